/**
 * The trace of one run: every step the simulator took, in order, as structured entries. Each
 * entry is serialised to one JSON line when it is appended, so the hash is a pure function of
 * what happened: two runs of the same seed hash the same, and the first differing line explains
 * a divergence. A line is the array `[t, actor, kind, details]`; its index is its line number.
 * Details are written in the order their producer wrote them, which the same code does the same
 * way every time. (Sorting every details object, thousands per run, was a tenth of the cost of a
 * run; an object per line with named members cost a quarter more to write than the array.)
 * Traces written by older versions, one object per line, are still read.
 */
import { createHash, type Hash } from 'node:crypto';
import { isDeepStrictEqual } from 'node:util';
import { assert } from './assert.ts';
import { entryLine, LineBytes } from './trace-line.ts';
import { TraceFile } from './trace-file.ts';

/**
 * Lines gathered into one block, hashed and kept as UTF-8 bytes outside the JavaScript heap. Per
 * line, a digest update costs more than the hashing itself; and text kept on the heap until the
 * run ends was copied by every young-generation collection it lived through, a tenth of a long
 * run's time.
 */
const LINES_PER_BLOCK = 512;
/** A block also closes once its bytes pass this (a line is about 150 bytes, a frame's more). */
const BLOCK_BYTES = 48 * 1024;
/** The room a trace's block starts with, outside the heap, grown for a longer line. */
const BLOCK_BYTES_INITIAL = 64 * 1024;

/**
 * Kept lines beyond this many bytes go to a temporary file instead (trace-file.ts), so a long
 * run's memory does not grow with its length. A default run's trace is about a megabyte and never
 * gets there.
 */
const MEMORY_BYTES_MAX = 4 * 1024 * 1024;

/**
 * What a trace keeps: `full`, every line (in memory, then on disk past MEMORY_BYTES_MAX); `hash`,
 * only the running hash of the lines, for a run whose trace nobody will read unless it is rerun.
 */
export type TraceKeeping = 'full' | 'hash';

export interface TraceEntry {
  readonly index: number;
  /** Virtual milliseconds (the caller decides the origin, usually the start of the run). */
  readonly t: number;
  readonly actor: string;
  readonly kind: string;
  readonly details: Record<string, unknown>;
}

/** Where an appended step landed: its index (evidence for violations) and its time. */
export type TraceRef = Pick<TraceEntry, 'index' | 't'>;

export type TraceInput = Omit<TraceEntry, 'index' | 'details'> & { details?: Record<string, unknown> };

export interface Divergence {
  index: number;
  left: TraceEntry | null;
  right: TraceEntry | null;
}

export class Trace {
  /** Entries parsed back from their lines, on demand: most runs never look at them. */
  private readonly items: TraceEntry[] = [];
  /** Finished blocks held in memory: lines each followed by a newline, as UTF-8, already in the digest. */
  private blocks: Buffer[] = [];
  private blockBytes = 0;
  /** Where finished blocks go once they pass MEMORY_BYTES_MAX; from then on, all of them. */
  private file: TraceFile | null = null;
  private keeping: TraceKeeping = 'full';
  /** Lines not yet in a block, written as they are recorded, and how many. */
  private readonly pending = new LineBytes(BLOCK_BYTES_INITIAL);
  private pendingLines = 0;
  private count = 0;
  /** All lines, split out of the blocks when asked for; dropped on append. */
  private lineCache: string[] | null = null;
  private readonly digest: Hash = createHash('sha256');
  /** Read from lines an older version wrote (one object per line), which recorded some steps differently. */
  private olderFormat = false;

  static fromEntries(entries: readonly TraceInput[]): Trace {
    const trace = new Trace();
    for (const entry of entries) trace.append(entry);
    return trace;
  }

  /** Parses the output of `toJsonLines`, or a trace an older version wrote (one object per line). */
  static fromJsonLines(text: string): Trace {
    const entries = text
      .split('\n')
      .filter((line) => line.trim() !== '')
      .map((line, index) => entryOfLine(line, index));
    const trace = Trace.fromEntries(entries);
    trace.olderFormat = text.trimStart().startsWith('{');
    return trace;
  }

  /**
   * From now on only the hash is kept, and what was kept so far is let go: the lines still go
   * into the digest exactly as before, so the hash is the one a full trace of the run would have.
   */
  keepOnlyHash(): void {
    this.closeBlock();
    this.keeping = 'hash';
    this.blocks = [];
    this.blockBytes = 0;
    this.file?.close();
    this.file = null;
    this.items.length = 0;
    this.lineCache = null;
  }

  /** Whether the lines are kept, so that `entries()`, `canonicalLines()` and `toJsonLines()` can answer. */
  get kept(): boolean {
    return this.keeping === 'full';
  }

  /** Whether `fromJsonLines` read the trace from an older version's lines. */
  get readFromOlderFormat(): boolean {
    return this.olderFormat;
  }

  /**
   * Records one step. The line is written now, so a caller mutating its details object later
   * cannot rewrite history; the entry objects of `entries()` are parsed from these lines.
   */
  append(input: TraceInput): TraceRef;
  append(t: number, actor: string, kind: string, details?: Record<string, unknown>): TraceRef;
  append(first: TraceInput | number, actor?: string, kind?: string, details?: Record<string, unknown>): TraceRef {
    const index =
      typeof first === 'number'
        ? this.record(first, actor ?? '', kind ?? '', details)
        : this.record(first.t, first.actor, first.kind, first.details);
    return { index, t: typeof first === 'number' ? first : first.t };
  }

  /** `append` without an input or a result object to build: the recorder calls it per step. */
  record(t: number, actor: string, kind: string, details: Record<string, unknown> | undefined): number {
    const index = this.count;
    this.pending.writeLine(t, actor, kind, details);
    this.count += 1;
    this.lineCache = null;
    if (++this.pendingLines >= LINES_PER_BLOCK || this.pending.length >= BLOCK_BYTES) this.closeBlock();
    return index;
  }

  entries(): readonly TraceEntry[] {
    this.mustBeKept();
    if (this.items.length < this.count) {
      const lines = this.canonicalLines();
      for (let index = this.items.length; index < lines.length; index++) {
        const line = lines[index];
        assert(line !== undefined, 'every index below lines.length has a line');
        this.items.push(entryOfLine(line, index));
      }
    }
    return this.items;
  }

  get length(): number {
    return this.count;
  }

  /** The JSON lines, one per entry. */
  canonicalLines(): readonly string[] {
    this.mustBeKept();
    if (this.lineCache === null) {
      const lines: string[] = [];
      // A line never holds a raw newline (JSON escapes it), so splitting a block is exact.
      for (const block of this.keptBlocks()) {
        for (const line of block.toString('utf8', 0, block.length - 1).split('\n')) lines.push(line);
      }
      if (this.pendingLines > 0) for (const line of this.pending.text().slice(0, -1).split('\n')) lines.push(line);
      this.lineCache = lines;
    }
    return this.lineCache;
  }

  toJsonLines(): string {
    this.mustBeKept();
    this.closeBlock();
    return Buffer.concat([...this.keptBlocks()]).toString('utf8');
  }

  /** sha256 hex of the lines, each followed by a newline. */
  hash(): string {
    this.closeBlock();
    return this.digest.copy().digest('hex');
  }

  /** Moves the pending lines into a block of their own (blocks may be short: hash() closes one). */
  private closeBlock(): void {
    if (this.pendingLines === 0) return;
    const bytes = this.pending.view();
    this.pendingLines = 0;
    if (this.keeping === 'hash') {
      this.digest.update(bytes);
      this.pending.clear();
      return;
    }
    // A copy: the pending bytes are overwritten by the next block.
    const block = Buffer.from(bytes);
    this.pending.clear();
    this.digest.update(block);
    if (this.file !== null) {
      this.file.append(block);
      return;
    }
    this.blocks.push(block);
    this.blockBytes += block.length;
    if (this.blockBytes > MEMORY_BYTES_MAX) this.spill();
  }

  /** Moves the blocks held in memory to a file, where every later block goes too. */
  private spill(): void {
    const file = new TraceFile();
    for (const block of this.blocks) file.append(block);
    this.file = file;
    this.blocks = [];
    this.blockBytes = 0;
  }

  private keptBlocks(): Iterable<Buffer> {
    return this.file ?? this.blocks;
  }

  private mustBeKept(): void {
    if (this.keeping === 'hash')
      throw new Error('this trace kept only its hash: run the seed and scenario again with trace "full" to read it');
  }
}

/**
 * First index where the two traces differ (an entry missing on one side counts), or null. Entries
 * that differ only in the order of their members (a trace written by an older format) are equal.
 */
export function firstDivergence(a: Trace | readonly TraceEntry[], b: Trace | readonly TraceEntry[]): Divergence | null {
  const left = linesOf(a);
  const right = linesOf(b);
  const leftEntries = a instanceof Trace ? a.entries() : a;
  const rightEntries = b instanceof Trace ? b.entries() : b;
  const length = Math.max(left.length, right.length);
  for (let index = 0; index < length; index++) {
    if (left[index] !== right[index] && !isDeepStrictEqual(leftEntries[index], rightEntries[index])) {
      return { index, left: leftEntries[index] ?? null, right: rightEntries[index] ?? null };
    }
  }
  return null;
}

function linesOf(source: Trace | readonly TraceEntry[]): readonly string[] {
  return source instanceof Trace ? source.canonicalLines() : source.map(lineOf);
}

/** The trace line of an entry, as the trace that holds it wrote it. */
export function lineOf(entry: TraceEntry): string {
  return entryLine(entry.t, entry.actor, entry.kind, entry.details);
}

/** The entry a line at `index` holds, in either line format. */
function entryOfLine(line: string, index: number): TraceEntry {
  const value = JSON.parse(line) as unknown;
  if (Array.isArray(value)) {
    const [t, actor, kind, details] = value as [number, string, string, Record<string, unknown>];
    return { index, t, actor, kind, details };
  }
  const { t, actor, kind, details } = value as TraceEntry;
  return { index, t, actor, kind, details };
}
