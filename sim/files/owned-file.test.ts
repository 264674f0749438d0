/** An owned file is rewritten only while it is as its owner left it. */
import { mkdtempSync, readFileSync, renameSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isStillOwned, ownedFile, rewriteOwnedFile } from './owned-file.ts';

function written(content: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ssesim-owned-')), 'f.txt');
  writeFileSync(path, content);
  return path;
}

describe('owned files', () => {
  it('rewrites a file still as its owner left it, and stays its owner', () => {
    const file = ownedFile(written('one'));
    const again = rewriteOwnedFile(file, 'two');
    expect(readFileSync(file.path, 'utf8')).toBe('two');
    expect(isStillOwned(again)).toBe(true);
    expect(isStillOwned(file)).toBe(false);
  });

  it('no longer owns a file someone else wrote or replaced', () => {
    const edited = ownedFile(written('one'));
    writeFileSync(edited.path, 'someone else, longer');
    expect(isStillOwned(edited)).toBe(false);
    // Same name, same size: another file all the same.
    const replaced = ownedFile(written('one'));
    writeFileSync(`${replaced.path}.other`, 'one');
    renameSync(`${replaced.path}.other`, replaced.path);
    expect(isStillOwned(replaced)).toBe(false);
  });
});
