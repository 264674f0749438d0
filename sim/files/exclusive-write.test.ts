/** The one writer of files the harness leaves behind: it never replaces an existing file. */
import { mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { writeFileExclusive, writeNew } from './exclusive-write.ts';

const freshDir = () => mkdtempSync(join(tmpdir(), 'ssesim-exclusive-'));

describe('writeFileExclusive', () => {
  it('writes a new file and refuses to replace an existing one, leaving no temporary file', () => {
    const dir = freshDir();
    const path = join(dir, 'repro.json');
    expect(writeFileExclusive(path, 'first')).toBe(true);
    expect(writeFileExclusive(path, 'second')).toBe(false);
    expect(readFileSync(path, 'utf8')).toBe('first');
    expect(readdirSync(dir)).toEqual(['repro.json']);
  });
});

describe('writeNew', () => {
  it('creates a missing folder for a single file', () => {
    const dir = join(freshDir(), 'a', 'b');
    const path = writeNew(dir, 'summary.txt', 'ok');
    expect(readFileSync(path, 'utf8')).toBe('ok');
  });

  it('never overwrites: a taken name gets the next free counter, double extensions kept', () => {
    const dir = freshDir();
    writeFileSync(join(dir, 'trace.perfetto.json'), 'keep me');
    writeFileSync(join(dir, 'trace-2.perfetto.json'), 'keep me too');
    expect(writeNew(dir, 'trace.perfetto.json', 'new')).toBe(join(dir, 'trace-3.perfetto.json'));
    expect(writeNew(dir, 'README', 'a')).toBe(join(dir, 'README'));
    expect(writeNew(dir, 'README', 'b')).toBe(join(dir, 'README-2'));
    expect(readFileSync(join(dir, 'trace.perfetto.json'), 'utf8')).toBe('keep me');
    expect(readFileSync(join(dir, 'trace-3.perfetto.json'), 'utf8')).toBe('new');
    expect(readdirSync(dir)).toHaveLength(5);
  });
});
