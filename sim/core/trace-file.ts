/**
 * Where a long trace's lines go once they outgrow memory: a temporary file, unlinked as soon as it
 * is open where the system allows it, so nothing is left behind even when the process is killed.
 * Blocks are appended in order and read back one at a time; the descriptor is closed with
 * `close()` or, failing that, when the trace holding it is collected.
 */
import { closeSync, mkdtempSync, openSync, readSync, rmSync, writeSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

interface Handle {
  fd: number;
  /** The folder to remove on close where the open file could not be unlinked (Windows). */
  leftover: string | null;
  closed: boolean;
}

function release(handle: Handle): void {
  if (handle.closed) return;
  handle.closed = true;
  closeSync(handle.fd);
  if (handle.leftover !== null) rmSync(handle.leftover, { recursive: true, force: true });
}

const unreleased = new FinalizationRegistry<Handle>(release);

export class TraceFile {
  private readonly handle: Handle;
  /** Start offset and length of each block, in the order written. */
  private readonly offsets: number[] = [];
  private readonly lengths: number[] = [];
  private sizeBytes = 0;

  constructor() {
    const dir = mkdtempSync(join(tmpdir(), 'ssesim-trace-'));
    const path = join(dir, 'trace.jsonl');
    const fd = openSync(path, 'w+');
    let leftover: string | null = dir;
    try {
      rmSync(dir, { recursive: true });
      leftover = null;
    } catch {
      // An open file cannot be removed here: it goes when the descriptor is released.
    }
    this.handle = { fd, leftover, closed: false };
    unreleased.register(this, this.handle, this);
  }

  get bytes(): number {
    return this.sizeBytes;
  }

  append(block: Buffer): void {
    let written = 0;
    while (written < block.length)
      written += writeSync(this.handle.fd, block, written, block.length - written, this.sizeBytes + written);
    this.offsets.push(this.sizeBytes);
    this.lengths.push(block.length);
    this.sizeBytes += block.length;
  }

  /** Each block as written, in order, read one at a time so a file of any size can be walked. */
  *[Symbol.iterator](): Generator<Buffer> {
    for (let i = 0; i < this.offsets.length; i++) {
      const block = Buffer.allocUnsafe(this.lengths[i]!);
      let read = 0;
      while (read < block.length) {
        const n = readSync(this.handle.fd, block, read, block.length - read, this.offsets[i]! + read);
        if (n === 0) throw new Error('trace file ended before its last block: was it truncated?');
        read += n;
      }
      yield block;
    }
  }

  close(): void {
    unreleased.unregister(this);
    release(this.handle);
  }
}
