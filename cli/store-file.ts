/**
 * `run --store FILE`: the server's SQLite database kept in a file the person running the tool
 * chose (a scenario or repro never names one). A run must start from an empty store to stay
 * deterministic, so an existing file is replaced, and only when it is a store an earlier run
 * wrote: anything else (another program's database, any other file) is refused rather than
 * having tables added to it or being deleted.
 */
import { closeSync, lstatSync, openSync, readSync, unlinkSync, type Stats } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import { UsageError } from './usage-error.ts';
import { prepareOutDir } from './out-dir.ts';

/** The tables and the columns of `events` the bundled event store creates, which mark a file as ours. */
const STORE_TABLES = ['events', 'send_commands', 'sessions'];
const EVENT_COLUMNS = ['seq', 'session_id', 'type', 'payload', 'prev_session_seq', 'created_at'];
const SQLITE_HEADER = 'SQLite format 3\u0000';
/** Files SQLite keeps beside a database, which go with it. */
const SIDE_FILES = ['-wal', '-shm', '-journal'];

/** Makes `path` ready for a run: its folder exists, and no file is there (an earlier store is removed). */
export function prepareStoreFile(path: string): void {
  if (path.trim() === '') throw new UsageError('--store is empty; name a file');
  const stats = lstatOrNull(path);
  if (stats === null) {
    prepareOutDir({ flag: '--store', path: dirname(path) });
    return;
  }
  if (!stats.isFile()) throw new UsageError(`--store ${path} is not a regular file; not touching it`);
  const tables = storeTables(path);
  if (tables === null) throw new UsageError(`--store ${path} exists and is not an SQLite database; not touching it`);
  if (!isOurStore(path, tables))
    throw new UsageError(
      `--store ${path} is a database but not an ssesim store (tables: ${tables.join(', ') || 'none'}); not touching it`,
    );
  for (const file of [path, ...SIDE_FILES.map((suffix) => `${path}${suffix}`)]) {
    if (lstatOrNull(file) !== null) unlinkSync(file);
  }
}

function lstatOrNull(path: string): Stats | null {
  try {
    return lstatSync(path);
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code;
    if (code === 'ENOENT') return null;
    throw new UsageError(`--store ${path}: cannot use it (${code ?? (err as Error).message})`);
  }
}

/** The table names of an SQLite file, or null when the file is not one. */
function storeTables(path: string): string[] | null {
  if (!hasSqliteHeader(path)) return null;
  try {
    const db = new Database(path, { readonly: true, fileMustExist: true });
    try {
      const rows = db
        .prepare("SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name")
        .all() as { name: string }[];
      return rows.map((row) => row.name);
    } finally {
      db.close();
    }
  } catch {
    return null;
  }
}

function isOurStore(path: string, tables: string[]): boolean {
  if (tables.join(',') !== STORE_TABLES.join(',')) return false;
  const db = new Database(path, { readonly: true, fileMustExist: true });
  try {
    const columns = (db.prepare('PRAGMA table_info(events)').all() as { name: string }[]).map((c) => c.name);
    return columns.join(',') === EVENT_COLUMNS.join(',');
  } finally {
    db.close();
  }
}

function hasSqliteHeader(path: string): boolean {
  const fd = openSync(path, 'r');
  try {
    const header = Buffer.alloc(SQLITE_HEADER.length);
    const read = readSync(fd, header, 0, header.length, 0);
    return read === header.length && header.toString('latin1') === SQLITE_HEADER;
  } finally {
    closeSync(fd);
  }
}
