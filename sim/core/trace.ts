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
import { keptResults } from './kept-results.ts';
import { TraceFile } from './trace-file.ts';

/**
 * Lines gathered into one block, hashed and kept as UTF-8 bytes outside the JavaScript heap. Per
 * line, a digest update costs more than the hashing itself; and text kept on the heap until the
 * run ends was copied by every young-generation collection it lived through, a tenth of a long
 * run's time.
 */
const LINES_PER_BLOCK = 512;
/**
 * A block also closes after the line that takes its pieces to this many (a line is about ten),
 * which sizes each trace's pending array: 16 KiB, allocated per run.
 */
const PIECES_PER_BLOCK = 2048;

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
  /**
   * Lines not yet in a block, as the pieces `writeLine` gives (each line ends in a newline), how
   * many pieces and how many lines. Encoded once when the block closes: a line built as one
   * string first was garbage of several small strings per line. The array is the trace's own for
   * its whole life.
   */
  private readonly pending: string[] = new Array<string>(PIECES_PER_BLOCK).fill('');
  private pendingPieces = 0;
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
    this.pendingPieces = writeLine(this.pending, this.pendingPieces, t, actor, kind, details);
    this.count += 1;
    this.lineCache = null;
    if (++this.pendingLines >= LINES_PER_BLOCK || this.pendingPieces >= PIECES_PER_BLOCK) this.closeBlock();
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
      if (this.pendingLines > 0) for (const line of this.pendingText().slice(0, -1).split('\n')) lines.push(line);
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
    const bytes = encodePieces(this.pending, this.pendingPieces);
    // Emptied, so the pieces are garbage now rather than when the next block overwrites them.
    this.pending.fill('', 0, this.pendingPieces);
    this.pendingPieces = 0;
    this.pendingLines = 0;
    if (this.keeping === 'hash') {
      this.digest.update(bytes);
      return;
    }
    // A copy: `bytes` is the shared scratch buffer, which the next block overwrites.
    const block = Buffer.from(bytes);
    this.digest.update(block);
    if (this.file !== null) {
      this.file.append(block);
      return;
    }
    this.blocks.push(block);
    this.blockBytes += block.length;
    if (this.blockBytes > MEMORY_BYTES_MAX) this.spill();
  }

  /** The pending lines as one string (for `canonicalLines`; blocks are encoded without it). */
  private pendingText(): string {
    const pieces = this.pendingPieces;
    return pieces === this.pending.length ? this.pending.join('') : this.pending.slice(0, pieces).join('');
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
 * Where a block's pieces are encoded as UTF-8, shared by every trace of the thread (encoding is
 * synchronous) and grown as needed. Joining the pieces into one string first was a tenth of the
 * bytes a default run allocates on the heap; this buffer lives outside it. Each piece is
 * well-formed UTF-16 (JSON.stringify escapes lone surrogates), so encoding piece by piece gives
 * the bytes of the joined text.
 */
let scratch = Buffer.allocUnsafeSlow(64 * 1024);

/** The first `count` pieces as UTF-8, in the scratch buffer: valid until the next call. */
function encodePieces(pieces: readonly string[], count: number): Buffer {
  let bytes = 0;
  for (let index = 0; index < count; index++) {
    const piece = pieces[index] as string;
    // At most three bytes per UTF-16 unit, so a piece within this bound is written whole.
    const bound = bytes + piece.length * 3;
    if (bound > scratch.length) {
      const larger = Buffer.allocUnsafeSlow(Math.max(bound, scratch.length * 2));
      scratch.copy(larger, 0, 0, bytes);
      scratch = larger;
    }
    if (piece.length <= ASCII_LOOP_CHARS_MAX) {
      const end = writeAscii(piece, bytes);
      if (end !== -1) {
        bytes = end;
        continue;
      }
    }
    bytes += scratch.write(piece, bytes, 'utf8');
  }
  return scratch.subarray(0, bytes);
}

/**
 * Pieces up to this long are copied by a loop when they are ASCII, as most are (a bracket, a
 * number, a quoted name): a call into the native UTF-8 encoder per piece cost more than the
 * encoding, a tenth of a run in profiles. Longer pieces (frame texts) go to the encoder.
 */
const ASCII_LOOP_CHARS_MAX = 64;

/** Writes an all-ASCII `piece` into the scratch buffer at `at`; the index after it, or -1 if it is not ASCII. */
function writeAscii(piece: string, at: number): number {
  for (let index = 0; index < piece.length; index++) {
    const code = piece.charCodeAt(index);
    if (code >= 0x80) return -1;
    scratch[at + index] = code;
  }
  return at + piece.length;
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

/** Most actors, kinds and detail names recur thousands of times per run; their JSON text is kept. */
const quote = keptResults((text: string) => JSON.stringify(text), 1024);

/**
 * The line of one entry: `[t, actor, kind, details]`, details as written; the same text
 * JSON.stringify gives for that array, with the quoted actor and kind reused (a fifth less work per
 * line). An Error among the details keeps its name and message instead of becoming `{}`, and a
 * bigint is written as a string instead of throwing.
 */
function entryLine(t: number, actor: string, kind: string, details: Record<string, unknown> = {}): string {
  return `[${Number.isFinite(t) ? t : null}${actorAndKind(actor, kind)}${detailsJson(details)}]`;
}

/**
 * `entryLine` and a newline, written to `pieces` from `at` as short strings that are mostly shared
 * (quoted names and texts, numbers), so a line allocates little of its own; returns the index
 * after its last piece.
 */
function writeLine(
  pieces: string[],
  at: number,
  t: number,
  actor: string,
  kind: string,
  details: Record<string, unknown> = {},
): number {
  pieces[at++] = '[';
  pieces[at++] = Number.isFinite(t) ? String(t) : 'null';
  pieces[at++] = actorAndKind(actor, kind);
  at = writeDetails(pieces, at, details);
  pieces[at++] = LINE_END;
  return at;
}

const LINE_END = ']\n';
/** `,"actor","kind",` per actor and kind, up to a bound: a run has a few hundred pairs at most. */
const PAIRS_MAX = 4096;
const pairs = new Map<string, Map<string, string>>();
let pairCount = 0;

function actorAndKind(actor: string, kind: string): string {
  let byKind = pairs.get(actor);
  let text = byKind?.get(kind);
  if (text === undefined) {
    text = `,${quote(String(actor))},${quote(String(kind))},`;
    if (pairCount < PAIRS_MAX) {
      if (byKind === undefined) pairs.set(actor, (byKind = new Map()));
      byKind.set(kind, text);
      pairCount += 1;
    }
  }
  return text;
}

function detailsJson(details: Record<string, unknown>): string {
  if (isFlat(details)) {
    const pieces: string[] = [];
    writeFlat(pieces, 0, details);
    return pieces.join('');
  }
  return nestedJson(details);
}

/** The details' JSON written to `pieces` from `at`; returns the index after. */
function writeDetails(pieces: string[], at: number, details: Record<string, unknown>): number {
  if (isFlat(details)) return writeFlat(pieces, at, details);
  pieces[at] = nestedJson(details);
  return at + 1;
}

/**
 * A plain object whose members are all strings, numbers, booleans or null (or what JSON leaves
 * out: undefined, a function, a symbol): written member by member by `writeFlat`.
 */
function isFlat(details: Record<string, unknown>): boolean {
  for (const key in details) {
    const value = details[key];
    if (typeof value === 'bigint' || (typeof value === 'object' && value !== null)) return false;
  }
  return Object.getPrototypeOf(details) === Object.prototype && !('toJSON' in details);
}

/** JSON.stringify's text of anything else, a bigint or an Error among the details made readable. */
function nestedJson(details: Record<string, unknown>): string {
  for (const key in details) {
    const value = details[key];
    if (typeof value === 'bigint' || value instanceof Error) return JSON.stringify(details, readable);
  }
  try {
    return JSON.stringify(details);
  } catch (error) {
    // A bigint deeper down; a cycle throws again, naming itself.
    if (error instanceof TypeError && /BigInt/.test(error.message)) return JSON.stringify(details, readable);
    throw error;
  }
}

/**
 * Strings this long among the details (a frame's text, a request's body) have their JSON kept
 * apart from the short ones: a frame broadcast to every client is delivered, and written to the
 * trace, once per client.
 */
const LONG_TEXT_CHARS = 64;
const longTextJson = keptResults((text: string) => JSON.stringify(text), 256);
/** `{"key":` and `,"key":`: a run's details use a few dozen names. */
const firstKey = keptResults((key: string) => `{${JSON.stringify(key)}:`, 1024);
const laterKey = keptResults((key: string) => `,${JSON.stringify(key)}:`, 1024);

/**
 * JSON.stringify's text of a flat object (`isFlat`), written to `pieces` from `at` as shared
 * strings: the quoted names, and each value's JSON (kept for strings, the number-to-string cache's
 * for small integers). Returns the index after.
 */
function writeFlat(pieces: string[], at: number, details: Record<string, unknown>): number {
  let first = true;
  // A plain object's for-in walks its own keys in Object.keys order, without building their array.
  for (const key in details) {
    if (!Object.hasOwn(details, key)) continue;
    const value = details[key];
    let member: string;
    if (typeof value === 'string') member = value.length >= LONG_TEXT_CHARS ? longTextJson(value) : quote(value);
    else if (typeof value === 'number') member = Number.isFinite(value) ? String(value) : 'null';
    else if (typeof value === 'boolean') member = value ? 'true' : 'false';
    else if (value === null) member = 'null';
    else continue;
    pieces[at++] = first ? firstKey(key) : laterKey(key);
    pieces[at++] = member;
    first = false;
  }
  pieces[at++] = first ? '{}' : '}';
  return at;
}

function readable(_key: string, value: unknown): unknown {
  if (typeof value === 'bigint') return value.toString();
  if (value instanceof Error) return { name: value.name, message: value.message };
  return value;
}
