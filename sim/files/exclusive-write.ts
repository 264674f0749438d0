/**
 * Writing files without ever replacing an existing one, for every file the harness leaves behind
 * (repros, regressions, reports, results). The content goes to a temporary file first and is then
 * hard-linked into place: link fails with EEXIST instead of overwriting, so two writers (or two
 * workers) racing for one name cannot clobber each other, and a reader never sees a half-written
 * file. A caller either needs one exact name (`writeFileExclusive`) or takes the first free one of
 * a numbered series (`writeNew`).
 */
import { existsSync, linkSync, mkdirSync, renameSync, unlinkSync, writeFileSync } from 'node:fs';
import { join, parse } from 'node:path';

/** `writeNew` gives up past this many same-named files: a directory that full is a mistake, not a history. */
const MAX_NAME_COUNTER = 10_000;

let tmpCounter = 0;

/** Writes `content` to `path` unless a file is already there; false when the name was taken. */
export function writeFileExclusive(path: string, content: string): boolean {
  return writeUnderFirstFreeName([path], content) !== null;
}

/**
 * Writes `content` under `fileName` in `dir` (created if missing), or the first free
 * `<name>-<n><ext>`; returns the path used.
 */
export function writeNew(dir: string, fileName: string, content: string): string {
  mkdirSync(dir, { recursive: true });
  const path = writeUnderFirstFreeName(numberedNames(dir, fileName), content);
  if (path !== null) return path;
  const limit = `limit MAX_NAME_COUNTER=${MAX_NAME_COUNTER}`;
  throw new Error(`writeNew: ${MAX_NAME_COUNTER} files named like ${fileName} already exist in ${dir} (${limit})`);
}

function* numberedNames(dir: string, fileName: string): Generator<string> {
  // `trace.perfetto.json` keeps its double extension: trace-2.perfetto.json.
  const dot = fileName.indexOf('.');
  const { name, ext } = dot > 0 ? { name: fileName.slice(0, dot), ext: fileName.slice(dot) } : parse(fileName);
  for (let n = 1; n <= MAX_NAME_COUNTER; n++) yield join(dir, n === 1 ? fileName : `${name}-${n}${ext}`);
}

/** One temporary file, linked under the first candidate not taken; null when every one was. */
function writeUnderFirstFreeName(candidates: Iterable<string>, content: string): string | null {
  let tmp: string | undefined;
  try {
    for (const path of candidates) {
      if (tmp === undefined) {
        tmp = `${path}.tmp-${process.pid}-${tmpCounter++}`;
        writeFileSync(tmp, content);
      }
      if (linkIntoPlace(tmp, path)) return path;
    }
    return null;
  } finally {
    if (tmp !== undefined && existsSync(tmp)) unlinkSync(tmp);
  }
}

function linkIntoPlace(tmp: string, path: string): boolean {
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
  }
}
