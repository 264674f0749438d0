/**
 * Files a writer created and may write again, as a test that keeps only its latest counterexample
 * does. Ownership is a stamp (device, inode, size, modification time) taken right after the
 * writer's own write: a file whose stamp has changed since was touched by someone else, and is
 * never written over; the writer must then take a new name (exclusive-write.ts). A change in the
 * microseconds between the check and the rewrite goes unseen: this guards against a person or a
 * tool that edited or replaced the file, not against a race.
 */
import { renameSync, statSync, writeFileSync } from 'node:fs';
import { assert } from '../core/index.ts';

export interface OwnedFile {
  readonly path: string;
  readonly stamp: string;
}

let tmpCounter = 0;

/** Takes ownership of the file its caller has just written at `path`. */
export function ownedFile(path: string): OwnedFile {
  const stamp = stampOf(path);
  assert(stamp !== null, `ownedFile: ${path} is owned right after its owner wrote it, so it is there`);
  return { path, stamp };
}

/** Whether the file is still as its owner last left it. */
export function isStillOwned(file: OwnedFile): boolean {
  return stampOf(file.path) === file.stamp;
}

/**
 * Replaces an owned file's content, atomically (a reader sees the old file or the new one). The
 * caller checks isStillOwned first.
 */
export function rewriteOwnedFile(file: OwnedFile, content: string): OwnedFile {
  const tmp = `${file.path}.tmp-${process.pid}-${tmpCounter++}`;
  writeFileSync(tmp, content);
  renameSync(tmp, file.path);
  return ownedFile(file.path);
}

function stampOf(path: string): string | null {
  try {
    const stat = statSync(path, { bigint: true });
    return `${stat.dev}:${stat.ino}:${stat.size}:${stat.mtimeNs}`;
  } catch {
    return null;
  }
}
