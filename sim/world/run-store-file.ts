/**
 * The SQLite file of a run whose server opens its database by path (a user's own server): each
 * process start opens it again, and the end state is read from it, so it cannot be an in-memory
 * database. Unless the person running the tool named a file, the run gets a fresh one in a
 * private temporary folder, removed with the world. Its path never enters the trace.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export interface RunStoreFile {
  readonly path: string;
  /** Removes the file and the folder it is in (SQLite's -wal and -shm files with it). */
  remove(): void;
}

export function temporaryStoreFile(): RunStoreFile {
  const folder = mkdtempSync(join(tmpdir(), 'ssesim-run-'));
  return {
    path: join(folder, 'store.sqlite'),
    remove: () => rmSync(folder, { recursive: true, force: true }),
  };
}
