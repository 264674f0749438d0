/**
 * A file a user named (a scenario, a repro, a result), read as text without its byte order mark.
 * Anything but a regular file (a named pipe, /dev/zero, a directory) is refused before a byte is
 * read, since reading one can block forever or never end; a file over MAX_INPUT_FILE_BYTES is
 * refused rather than read whole; bytes that are not UTF-8 are refused rather than replaced. Each
 * case becomes a one-line reason for the caller's own error, never a raw fs error.
 */
import { closeSync, constants, fstatSync, openSync, readSync, type Stats } from 'node:fs';

/** 256 MiB: a long run's result.json is tens of megabytes; past this a file is a mistake, not an input. */
export const MAX_INPUT_FILE_BYTES = 256 * 1024 * 1024;

export type UserFile = { ok: true; text: string } | { ok: false; reason: string };

export function readUserFile(path: string, maxBytes: number = MAX_INPUT_FILE_BYTES): UserFile {
  let fd: number;
  try {
    // Non-blocking, so opening a named pipe with no writer returns at once instead of waiting for one.
    fd = openSync(path, constants.O_RDONLY | constants.O_NONBLOCK);
  } catch (err) {
    return { ok: false, reason: fsReason(err) };
  }
  try {
    const stats = fstatSync(fd);
    if (!stats.isFile()) return { ok: false, reason: `not a regular file (${fileKind(stats)})` };
    if (stats.size > maxBytes) return { ok: false, reason: tooLarge(`${stats.size} bytes`, maxBytes) };
    const bytes = readAtMost(fd, maxBytes);
    if (bytes === null) return { ok: false, reason: tooLarge(`more than ${maxBytes} bytes`, maxBytes) };
    return decodeUtf8(bytes);
  } catch (err) {
    return { ok: false, reason: fsReason(err) };
  } finally {
    closeSync(fd);
  }
}

function tooLarge(size: string, maxBytes: number): string {
  return `file too large: ${size}, over the limit of ${maxBytes} bytes (MAX_INPUT_FILE_BYTES)`;
}

/** The file's bytes, or null when it holds more than `maxBytes` (it may have grown since fstat). */
function readAtMost(fd: number, maxBytes: number): Buffer | null {
  const chunks: Buffer[] = [];
  let total = 0;
  for (;;) {
    const chunk = Buffer.allocUnsafe(Math.min(1024 * 1024, maxBytes + 1 - total));
    const read = readSync(fd, chunk, 0, chunk.length, null);
    if (read === 0) return Buffer.concat(chunks, total);
    chunks.push(chunk.subarray(0, read));
    total += read;
    if (total > maxBytes) return null;
  }
}

const STRICT_UTF8 = new TextDecoder('utf-8', { fatal: true });

function decodeUtf8(bytes: Buffer): UserFile {
  try {
    // The decoder drops a leading byte order mark itself.
    return { ok: true, text: STRICT_UTF8.decode(bytes) };
  } catch {
    return { ok: false, reason: `not valid UTF-8 (first bad byte at offset ${firstInvalidUtf8Offset(bytes)})` };
  }
}

/** Byte offset of the first byte that does not begin or continue a valid UTF-8 sequence. */
export function firstInvalidUtf8Offset(bytes: Uint8Array): number {
  let i = 0;
  while (i < bytes.length) {
    const length = utf8SequenceLength(bytes, i);
    if (length === 0) return i;
    i += length;
  }
  return -1;
}

/** Length of the well-formed sequence at `i` (RFC 3629: no overlongs, surrogates or > U+10FFFF), else 0. */
function utf8SequenceLength(bytes: Uint8Array, i: number): number {
  const b0 = bytes[i]!;
  if (b0 < 0x80) return 1;
  const cont = (k: number, min = 0x80, max = 0xbf) => {
    const b = bytes[i + k];
    return b !== undefined && b >= min && b <= max;
  };
  if (b0 >= 0xc2 && b0 <= 0xdf) return cont(1) ? 2 : 0;
  if (b0 >= 0xe0 && b0 <= 0xef) {
    const [min, max] = b0 === 0xe0 ? [0xa0, 0xbf] : b0 === 0xed ? [0x80, 0x9f] : [0x80, 0xbf];
    return cont(1, min, max) && cont(2) ? 3 : 0;
  }
  if (b0 >= 0xf0 && b0 <= 0xf4) {
    const [min, max] = b0 === 0xf0 ? [0x90, 0xbf] : b0 === 0xf4 ? [0x80, 0x8f] : [0x80, 0xbf];
    return cont(1, min, max) && cont(2) && cont(3) ? 4 : 0;
  }
  return 0;
}

function fileKind(stats: Stats): string {
  if (stats.isDirectory()) return 'a directory';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isCharacterDevice()) return 'a character device';
  if (stats.isBlockDevice()) return 'a block device';
  if (stats.isSocket()) return 'a socket';
  return 'not a file';
}

function fsReason(err: unknown): string {
  const { code, message } = err as NodeJS.ErrnoException;
  if (code === 'ENOENT') return 'no such file';
  if (code === 'ENOTDIR') return 'no such file (a part of the path is not a directory)';
  if (code === 'EACCES' || code === 'EPERM') return 'cannot read file (permission denied)';
  if (code === 'ENAMETOOLONG') return 'cannot read file (name too long)';
  if (code === 'ERR_INVALID_ARG_VALUE' || code === 'ERR_INVALID_ARG_TYPE') return 'not a usable file name';
  return `cannot read file (${code ?? message})`;
}
