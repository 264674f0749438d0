/**
 * Output folders are checked before any run starts, so a campaign does not discover at its first
 * finding, minutes in, that it has nowhere to write. An empty name, a path that is a file or runs
 * through one, and a folder that cannot be created or written to are each a one-line UsageError.
 * Missing folders are created one level at a time: Node's recursive mkdir never returns on some
 * pseudo file systems (`/proc/x`), and a folder created here is removed again if a deeper one fails.
 */
import {
  accessSync,
  constants,
  mkdirSync,
  openSync,
  closeSync,
  rmdirSync,
  statSync,
  unlinkSync,
  type Stats,
} from 'node:fs';
import { dirname, resolve } from 'node:path';
import { UsageError } from './usage-error.ts';

export interface OutDirCheck {
  /** The flag that named the folder, for the message (`--out`). */
  flag: string;
  path: string;
}

/** Refuses what can never be a folder to write in; writes nothing. Returns the nearest existing folder. */
export function checkOutDir({ flag, path }: OutDirCheck): { existing: string; exists: boolean } {
  if (path.trim() === '') throw new UsageError(`${flag} is empty; name a folder`);
  if (path.includes('\u0000')) throw new UsageError(`${flag} ${JSON.stringify(path)} is not a usable folder name`);
  let current = resolve(path);
  for (;;) {
    const stats = statOf(flag, path, current);
    if (stats !== null) {
      if (stats.isDirectory()) return { existing: current, exists: current === resolve(path) };
      if (current === resolve(path)) throw new UsageError(`${flag} ${path} is ${kindOf(stats)}, not a folder`);
      throw new UsageError(`${flag} ${path} is under ${current}, which is ${kindOf(stats)}, not a folder`);
    }
    const parent = dirname(current);
    if (parent === current) throw new UsageError(`${flag} ${path}: no existing folder above it`);
    current = parent;
  }
}

/**
 * Makes sure `path` is a folder this process can write in, creating it if needed. Call it after
 * the inputs are validated: a bad input must leave no folder behind.
 */
export function prepareOutDir(check: OutDirCheck): CreatedDirs {
  const { flag, path } = check;
  const { existing, exists } = checkOutDir(check);
  if (exists) {
    probeWritable(check);
    return { created: [] };
  }
  try {
    accessSync(existing, constants.W_OK | constants.X_OK);
  } catch {
    throw new UsageError(`${flag} ${path}: cannot create it, ${existing} is not writable`);
  }
  const missing: string[] = [];
  for (let dir = resolve(path); dir !== existing; dir = dirname(dir)) missing.unshift(dir);
  const created: string[] = [];
  for (const dir of missing) {
    try {
      mkdirSync(dir);
      created.push(dir);
    } catch (err) {
      removeCreatedDirs({ created });
      throw new UsageError(`${flag} ${path}: cannot create folder ${dir} (${codeOf(err)})`);
    }
  }
  return { created };
}

/** The folders prepareOutDir made, outermost first, so a command that fails after it can take them back. */
export interface CreatedDirs {
  created: string[];
}

/** Removes the folders prepareOutDir made, innermost first; one that holds anything by now stays. */
export function removeCreatedDirs({ created }: CreatedDirs): void {
  for (const dir of [...created].reverse()) {
    try {
      rmdirSync(dir);
    } catch {
      return;
    }
  }
}

/**
 * An existing folder is tried with a file created and removed at once: permission bits say little
 * to root, and nothing about a read-only or pseudo file system.
 */
function probeWritable({ flag, path }: OutDirCheck): void {
  const probe = resolve(path, `.ssesim-write-check-${process.pid}`);
  try {
    closeSync(openSync(probe, 'wx'));
  } catch (err) {
    throw new UsageError(`${flag} ${path}: cannot write in this folder (${codeOf(err)})`);
  }
  unlinkSync(probe);
}

/** The stats of `at`, or null when nothing is there; any other failure is the user's path at fault. */
function statOf(flag: string, path: string, at: string): Stats | null {
  try {
    return statSync(at);
  } catch (err) {
    const code = codeOf(err);
    if (code === 'ENOENT') return null;
    // ENOTDIR: a part of `at` is a file; the walk up finds and names it.
    if (code === 'ENOTDIR') return null;
    throw new UsageError(`${flag} ${path}: cannot use it (${code})`);
  }
}

function kindOf(stats: Stats): string {
  if (stats.isFile()) return 'a file';
  if (stats.isFIFO()) return 'a named pipe';
  if (stats.isCharacterDevice() || stats.isBlockDevice()) return 'a device';
  if (stats.isSocket()) return 'a socket';
  return 'not a folder';
}

function codeOf(err: unknown): string {
  const { code, message } = err as NodeJS.ErrnoException;
  return code ?? message;
}
