import { existsSync, mkdtempSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { checkOutDir, prepareOutDir, removeCreatedDirs } from './out-dir.ts';
import { UsageError } from './usage-error.ts';

const dir = mkdtempSync(join(tmpdir(), 'ssesim-out-'));
const file = join(dir, 'file.txt');
writeFileSync(file, 'x');

function refusal(path: string): string {
  try {
    prepareOutDir({ flag: '--out', path });
  } catch (err) {
    expect(err).toBeInstanceOf(UsageError);
    return (err as Error).message;
  }
  throw new Error(`accepted ${path}`);
}

describe('output folders', () => {
  it.each([
    ['', '--out is empty; name a folder'],
    ['  ', '--out is empty; name a folder'],
    [file, `--out ${file} is a file, not a folder`],
    [join(file, 'a', 'b'), `--out ${join(file, 'a', 'b')} is under ${file}, which is a file, not a folder`],
    ['/proc/x/y', '--out /proc/x/y: cannot create folder /proc/x (ENOENT)'],
    ['/dev/null', '--out /dev/null is a device, not a folder'],
    ['a\u0000b', '--out "a\\u0000b" is not a usable folder name'],
  ])('refuses %j in one line, creating nothing', (path, message) => {
    const before = readdirSync(dir);
    expect(refusal(path)).toBe(message);
    expect(readdirSync(dir)).toEqual(before);
  });

  it('creates missing folders level by level and can take them back', () => {
    const target = join(dir, 'new', 'deeper');
    const made = prepareOutDir({ flag: '--out', path: target });
    expect(existsSync(target)).toBe(true);
    expect(made.created).toEqual([join(dir, 'new'), target]);
    removeCreatedDirs(made);
    expect(existsSync(join(dir, 'new'))).toBe(false);
  });

  it('accepts an existing writable folder and leaves no probe file in it', () => {
    expect(prepareOutDir({ flag: '--out', path: dir }).created).toEqual([]);
    expect(readdirSync(dir).some((name) => name.startsWith('.ssesim-write-check'))).toBe(false);
  });

  it('checks without writing: a missing folder under an existing one passes', () => {
    expect(checkOutDir({ flag: '--out', path: join(dir, 'later') })).toEqual({ existing: dir, exists: false });
    expect(existsSync(join(dir, 'later'))).toBe(false);
  });
});
