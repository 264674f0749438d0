/**
 * A run's history entries kept in columns instead of one object each. The kinds a long run is
 * made of (frames sent and received, applies, cursor, queue and buffer lengths: over nine entries
 * in ten) are stored as rows of small integers, their strings interned; an entry is built as an
 * object again only when read. An object per entry cost over a hundred bytes, and a run of
 * millions of entries kept them all until its properties were checked.
 */
import type { EntryOf, History, HistoryEntry, HistoryKind } from './history.ts';

/** What reading a history needs: positions, kinds, a length and trace-order iteration. */
export interface HistoryEntries {
  readonly length: number;
  at(position: number): HistoryEntry | undefined;
  /** The kind of the entry at a position, without building the entry. */
  kindAt(position: number): HistoryKind;
  [Symbol.iterator](): Iterator<HistoryEntry>;
}

/** Every kind, by a code that fits a row's kind byte. */
const KINDS = [
  'phase',
  'prompt',
  'signal',
  'applied',
  'cursor',
  'queue',
  'buffer',
  'send-attempt',
  'send-outcome',
  'welcome',
  'frame-received',
  'frame-sent',
  'reconnect-replay',
  'agent-run',
  'permission-answer',
  'fault',
  'server-down',
  'server-up',
  'reload',
] as const satisfies readonly HistoryKind[];
/** Fails to compile when a kind is missing above: its entries would be given another's code. */
const EVERY_KIND: Exclude<HistoryKind, (typeof KINDS)[number]> extends never ? true : never = true;
const KIND_CODES = new Map<HistoryKind, number>(KINDS.map((kind, code) => [kind, code]));
void EVERY_KIND;
/** Set in a row's kind byte when the row holds its entry whole. */
const WHOLE = 0x80;

/** Rows per chunk: columns grow a chunk at a time, never copied, never more than a chunk idle. */
const CHUNK_BITS = 15;
const CHUNK_ROWS = 1 << CHUNK_BITS;
const ROW_MASK = CHUNK_ROWS - 1;
/** Interned code of a null string field (a frame sent on a connection no welcome named yet). */
const NULL_CODE = -1;

interface Chunk {
  kind: Uint8Array;
  index: Int32Array;
  t: Int32Array;
  a: Int32Array;
  b: Int32Array;
  c: Int32Array;
  d: Int32Array;
  e: Int32Array;
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

const isInt32 = (value: unknown): value is number => typeof value === 'number' && (value | 0) === value;

export class HistoryLog implements HistoryEntries {
  private readonly chunks: Chunk[] = [];
  private readonly objects: HistoryEntry[] = [];
  private readonly strings: string[] = [];
  private readonly codes = new Map<string, number>();
  private rows = 0;

  get length(): number {
    return this.rows;
  }

  push(entry: HistoryEntry): void {
    const row = this.rows & ROW_MASK;
    if (row === 0) this.chunks.push(newChunk());
    const chunk = this.chunks[this.chunks.length - 1]!;
    const columns = isInt32(entry.index) && isInt32(entry.t) ? this.columnsOf(entry) : undefined;
    this.rows += 1;
    if (columns === undefined) {
      chunk.kind[row] = WHOLE | KIND_CODES.get(entry.kind)!;
      chunk.a[row] = this.objects.length;
      this.objects.push(entry);
      return;
    }
    chunk.kind[row] = KIND_CODES.get(entry.kind)!;
    chunk.index[row] = entry.index;
    chunk.t[row] = entry.t;
    chunk.a[row] = columns[0];
    chunk.b[row] = columns[1];
    chunk.c[row] = columns[2];
    chunk.d[row] = columns[3];
    chunk.e[row] = columns[4] ?? 0;
  }

  at(position: number): HistoryEntry | undefined {
    const at = position < 0 ? position + this.rows : position;
    if (!(at >= 0 && at < this.rows)) return undefined;
    const chunk = this.chunks[at >>> CHUNK_BITS]!;
    const row = at & ROW_MASK;
    const kind = chunk.kind[row]!;
    if ((kind & WHOLE) !== 0) return this.objects[chunk.a[row]!];
    return this.entryOf(KINDS[kind]!, chunk, row);
  }

  kindAt(position: number): HistoryKind {
    return KINDS[this.chunks[position >>> CHUNK_BITS]!.kind[position & ROW_MASK]! & ~WHOLE]!;
  }

  [Symbol.iterator](): Iterator<HistoryEntry> {
    let position = 0;
    return { next: () => (position < this.rows ? { done: false, value: this.at(position++)! } : DONE) };
  }

  /** Every entry as an object, in trace order: what a report or a run file reads. */
  toArray(): HistoryEntry[] {
    return Array.from(this);
  }

  private code(value: string): number {
    let code = this.codes.get(value);
    if (code === undefined) {
      code = this.strings.length;
      this.strings.push(value);
      this.codes.set(value, code);
    }
    return code;
  }

  /** The row of a column kind, or undefined when the entry is kept whole (a number that is not an int32). */
  private columnsOf(e: HistoryEntry): [number, number, number, number, number?] | undefined {
    switch (e.kind) {
      case 'frame-sent': {
        if (!isInt32(e.seq)) return undefined;
        const client = e.client === null ? NULL_CODE : this.code(e.client);
        return [this.code(e.connectionId), client, this.code(e.sessionId), e.seq, this.code(e.via)];
      }
      case 'applied':
        if (!isInt32(e.seq) || !isInt32(e.prevSessionSeq)) return undefined;
        return [this.code(e.client), this.code(e.sessionId), e.seq, e.prevSessionSeq, e.failed ? 1 : 0];
      case 'cursor':
        if (!isInt32(e.cursor)) return undefined;
        return [this.code(e.client), this.code(e.sessionId), e.cursor, 0];
      case 'frame-received':
        if (!isInt32(e.seq)) return undefined;
        return [this.code(e.client), this.code(e.stream), this.code(e.sessionId), e.seq];
      case 'buffer':
        if (!isInt32(e.length)) return undefined;
        return [this.code(e.client), this.code(e.sessionId), e.length, 0];
      case 'queue':
        if (!isInt32(e.length)) return undefined;
        return [this.code(e.client), e.length, 0, 0];
      default:
        return undefined;
    }
  }

  /** The entry of a column row, its fields in the order the recorder's entry had them. */
  private entryOf(kind: HistoryKind, chunk: Chunk, row: number): HistoryEntry {
    const index = chunk.index[row]!;
    const t = chunk.t[row]!;
    const a = chunk.a[row]!;
    const b = chunk.b[row]!;
    const c = chunk.c[row]!;
    const d = chunk.d[row]!;
    const s = this.strings;
    switch (kind) {
      case 'frame-sent': {
        const client = b === NULL_CODE ? null : s[b]!;
        const via = s[chunk.e[row]!]!;
        return { kind: 'frame-sent', connectionId: s[a]!, client, sessionId: s[c]!, seq: d, via, index, t };
      }
      case 'applied': {
        const failed = chunk.e[row] === 1;
        return { kind: 'applied', client: s[a]!, sessionId: s[b]!, seq: c, prevSessionSeq: d, failed, index, t };
      }
      case 'cursor':
        return { kind: 'cursor', client: s[a]!, sessionId: s[b]!, cursor: c, index, t };
      case 'frame-received':
        return { kind: 'frame-received', client: s[a]!, stream: s[b]!, sessionId: s[c]!, seq: d, index, t };
      case 'buffer':
        return { kind: 'buffer', client: s[a]!, sessionId: s[b]!, length: c, index, t };
      default:
        return { kind: 'queue', client: s[a]!, length: b, index, t };
    }
  }
}

function newChunk(): Chunk {
  const ints = (): Int32Array => new Int32Array(CHUNK_ROWS);
  return {
    kind: new Uint8Array(CHUNK_ROWS),
    index: ints(),
    t: ints(),
    a: ints(),
    b: ints(),
    c: ints(),
    d: ints(),
    e: ints(),
  };
}

const logs = new WeakMap<History, HistoryLog>();

/**
 * A History over a log. Its `entries` array is built on first read, for the readers that want
 * one (reports, run files); the properties read the log itself (`entriesOf`).
 */
export function historyOfLog(log: HistoryLog, rest: Omit<History, 'entries'>): History {
  let built: HistoryEntry[] | undefined;
  const history: History = {
    get entries(): HistoryEntry[] {
      return (built ??= log.toArray());
    },
    set entries(entries: HistoryEntry[]) {
      built = entries;
      logs.delete(history);
    },
    ...rest,
  };
  logs.set(history, log);
  return history;
}

/** A history's array read as HistoryEntries. */
class ArrayEntries implements HistoryEntries {
  constructor(private readonly entries: readonly HistoryEntry[]) {}

  get length(): number {
    return this.entries.length;
  }

  at(position: number): HistoryEntry | undefined {
    return this.entries.at(position);
  }

  kindAt(position: number): HistoryKind {
    return this.entries[position]!.kind;
  }

  [Symbol.iterator](): Iterator<HistoryEntry> {
    return this.entries[Symbol.iterator]();
  }
}

const arrays = new WeakMap<readonly HistoryEntry[], HistoryEntries>();

/** The entries of a history to read: its log when it has one, else its array. */
export function entriesOf(history: History): HistoryEntries {
  const log = logs.get(history);
  if (log !== undefined) return log;
  let read = arrays.get(history.entries);
  if (read === undefined) arrays.set(history.entries, (read = new ArrayEntries(history.entries)));
  return read;
}

/**
 * The entries of some kinds, in trace order. Entries of other kinds are skipped by their kind
 * alone, never built: most checks read a few rare kinds of a history made mostly of frames.
 */
export function* entriesOfKinds<K extends HistoryKind>(
  history: History,
  kinds: readonly K[],
): Generator<EntryOf<K>, void, undefined> {
  const entries = entriesOf(history);
  const wanted = new Set<HistoryKind>(kinds);
  for (let position = 0; position < entries.length; position++) {
    if (wanted.has(entries.kindAt(position))) yield entries.at(position) as EntryOf<K>;
  }
}

/** The entries at some positions of a history's entries, all of one kind (the caller chose them so). */
export function entriesAt<K extends HistoryKind>(entries: HistoryEntries, positions: ArrayLike<number>): EntryOf<K>[] {
  return Array.from(positions, (position) => entries.at(position) as EntryOf<K>);
}
