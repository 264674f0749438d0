/**
 * A file a user named (a scenario, a repro, a result), read as text without its byte order mark.
 * A missing or unreadable file becomes a one-line reason for the caller's own error, never a raw
 * fs error.
 */
import { readFileSync } from 'node:fs';

export type UserFile = { ok: true; text: string } | { ok: false; reason: string };

export function readUserFile(path: string): UserFile {
  try {
    return { ok: true, text: readFileSync(path, 'utf8').replace(/^\uFEFF/, '') };
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    return { ok: false, reason: code === 'ENOENT' ? 'no such file' : `cannot read file (${(err as Error).message})` };
  }
}
