/**
 * What reading a named file refuses: pipes and devices that would block or never end, files over
 * the size limit and bytes that are not UTF-8, each as a one-line reason rather than a hang.
 */
import { execFileSync } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { firstInvalidUtf8Offset, MAX_INPUT_FILE_BYTES, readUserFile } from './read-user-file.ts';

const dir = mkdtempSync(join(tmpdir(), 'ssesim-read-'));

describe('readUserFile', () => {
  it('reads UTF-8 text without its byte order mark', () => {
    const path = join(dir, 'ok.json');
    writeFileSync(path, '\uFEFF{"name": "é"}');
    expect(readUserFile(path)).toEqual({ ok: true, text: '{"name": "é"}' });
  });

  it('refuses a named pipe at once, without waiting for a writer', () => {
    const fifo = join(dir, 'pipe.json');
    execFileSync('mkfifo', [fifo]);
    expect(readUserFile(fifo)).toEqual({ ok: false, reason: 'not a regular file (a named pipe)' });
  });

  it.each([
    ['/dev/zero', 'a character device'],
    ['/dev/null', 'a character device'],
    [tmpdir(), 'a directory'],
  ])('refuses %s as %s', (path, kind) => {
    expect(readUserFile(path)).toEqual({ ok: false, reason: `not a regular file (${kind})` });
  });

  it('refuses a file over the limit, naming its size and the limit', () => {
    const path = join(dir, 'big.json');
    writeFileSync(path, 'x'.repeat(2000));
    const file = readUserFile(path, 1000);
    expect(file.ok).toBe(false);
    if (!file.ok)
      expect(file.reason).toBe('file too large: 2000 bytes, over the limit of 1000 bytes (MAX_INPUT_FILE_BYTES)');
    expect(MAX_INPUT_FILE_BYTES).toBe(256 * 1024 * 1024);
  });

  it('refuses bytes that are not UTF-8, naming the first bad offset', () => {
    const path = join(dir, 'latin1.json');
    writeFileSync(path, Buffer.from([0x7b, 0x22, 0x61, 0xe9, 0x22, 0x7d]));
    expect(readUserFile(path)).toEqual({ ok: false, reason: 'not valid UTF-8 (first bad byte at offset 3)' });
  });

  it('names missing files and paths through a file', () => {
    expect(readUserFile(join(dir, 'nope.json'))).toEqual({ ok: false, reason: 'no such file' });
    const file = join(dir, 'plain');
    writeFileSync(file, '{}');
    expect(readUserFile(join(file, 'x.json'))).toMatchObject({
      ok: false,
      reason: expect.stringMatching(/^no such file/),
    });
    expect(readUserFile('a\u0000b')).toEqual({ ok: false, reason: 'not a usable file name' });
  });
});

describe('firstInvalidUtf8Offset', () => {
  it.each([
    [[0x61, 0x62], -1],
    [[0xc3, 0xa9], -1],
    [[0xf0, 0x9f, 0x98, 0x80], -1],
    [[0x61, 0xc0, 0xaf], 1], // overlong
    [[0xed, 0xa0, 0x80], 0], // surrogate
    [[0x61, 0x62, 0xe2, 0x82], 2], // cut short
    [[0xf4, 0x90, 0x80, 0x80], 0], // past U+10FFFF
    [[0x80], 0],
  ])('%j -> %d', (bytes, offset) => {
    expect(firstInvalidUtf8Offset(Uint8Array.from(bytes))).toBe(offset);
    let decodes = true;
    try {
      new TextDecoder('utf-8', { fatal: true }).decode(Uint8Array.from(bytes));
    } catch {
      decodes = false;
    }
    expect(decodes).toBe(offset === -1);
  });
});
