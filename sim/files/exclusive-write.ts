/**
 * Writing a file atomically without ever replacing an existing one. The content goes to a
 * temporary file first and is then hard-linked into place: link fails with EEXIST instead of
 * overwriting, so two writers (or two workers) racing for one name cannot clobber each other,
 * and a reader never sees a half-written file.
 */
import { existsSync, linkSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';

let tmpCounter = 0;

/** Writes `content` to `path` unless a file is already there; false when the name was taken. */
export function writeFileExclusive(path: string, content: string): boolean {
  const tmp = `${path}.tmp-${process.pid}-${tmpCounter++}`;
  writeFileSync(tmp, content);
  try {
    linkSync(tmp, path);
    return true;
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'EEXIST') return false;
    // Some file systems have no hard links; a rename is still atomic, only the check races.
    if (code !== 'EPERM' && code !== 'ENOTSUP' && code !== 'EXDEV') throw err;
    if (existsSync(path)) return false;
    renameSync(tmp, path);
    return true;
  } finally {
    if (existsSync(tmp)) unlinkSync(tmp);
  }
}
