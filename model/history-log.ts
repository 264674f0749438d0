/**
 * A run's history entries packed as rows of bytes instead of one object each. The kinds a long
 * run is made of (frames sent and received, applies, cursor, queue and buffer lengths: over nine
 * entries in ten) become a few small integers, their strings interned; an entry is built as an
 * object again only when read. An object per entry cost over a hundred bytes, and a run of
 * millions of entries kept them all until its properties were checked.
 */
import type { HistoryEntry, HistoryKind } from './history.ts';
import type { HistoryEntries } from './history-entries.ts';
import { RowBytes, type RowReader } from './row-bytes.ts';

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

/** Rows per chunk of the kind column, which grows a chunk at a time. */
const CHUNK_BITS = 15;
const CHUNK_ROWS = 1 << CHUNK_BITS;
const ROW_MASK = CHUNK_ROWS - 1;
/** Every so many rows the log marks where a row starts, so a read never decodes more than that many. */
const MARK_ROWS = 64;
/** Interned code of a null string field (a frame sent on a connection no welcome named yet). */
const NULL_CODE = -1;

/**
 * A mark is four int32s: where its row starts (chunk, offset) and the index and time of the column
 * row before it (deltas count from those). An object per mark cost about 270 bytes (each had a
 * hidden class of its own): 5 MB of the live heap of a run of 1.3 M entries.
 */
const MARK_FIELDS = 4;

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

const isInt32 = (value: unknown): value is number =>
  typeof value === 'number' && (value | 0) === value && !Object.is(value, -0);

/**
 * The entries of one run, in trace order. A row of a column kind is its trace index and time as
 * deltas from the row before, then its fields, strings as interned codes; any other entry, or one
 * with a number that is not an int32, is kept whole.
 */
export class HistoryLog implements HistoryEntries {
  private readonly kinds: Uint8Array[] = [];
  private readonly bytes = new RowBytes();
  private marks = new Int32Array(MARK_FIELDS * 1024);
  private readonly objects: HistoryEntry[] = [];
  private readonly strings: string[] = [];
  private readonly codes = new Map<string, number>();
  private rows = 0;
  private lastIndex = 0;
  private lastT = 0;
  /** Where reading stands: reads mostly go forward, row by row. */
  private readonly cursor = { position: 0, index: 0, t: 0, reader: this.bytes.readerAt(0, 0) };

  get length(): number {
    return this.rows;
  }

  push(entry: HistoryEntry): void {
    const position = this.rows;
    if ((position & ROW_MASK) === 0) this.kinds.push(new Uint8Array(CHUNK_ROWS));
    this.bytes.startRow();
    if (position % MARK_ROWS === 0) this.mark(position / MARK_ROWS);
    const fields = isInt32(entry.index) && isInt32(entry.t) ? this.fieldsOf(entry) : undefined;
    this.rows += 1;
    const code = KIND_CODES.get(entry.kind)!;
    if (fields === undefined) {
      this.kinds[this.kinds.length - 1]![position & ROW_MASK] = WHOLE | code;
      this.bytes.write(this.objects.length);
      this.objects.push(entry);
      return;
    }
    this.kinds[this.kinds.length - 1]![position & ROW_MASK] = code;
    this.bytes.write(entry.index - this.lastIndex);
    this.bytes.write(entry.t - this.lastT);
    this.lastIndex = entry.index;
    this.lastT = entry.t;
    for (const field of fields) this.bytes.write(field);
  }

  at(position: number): HistoryEntry | undefined {
    const at = position < 0 ? position + this.rows : position;
    if (!(at >= 0 && at < this.rows)) return undefined;
    this.seek(at);
    return this.readRow();
  }

  kindAt(position: number): HistoryKind {
    return KINDS[this.kinds[position >>> CHUNK_BITS]![position & ROW_MASK]! & ~WHOLE]!;
  }

  [Symbol.iterator](): Iterator<HistoryEntry> {
    let position = 0;
    return { next: () => (position < this.rows ? { done: false, value: this.at(position++)! } : DONE) };
  }

  /** Every entry as an object, in trace order: what a report or a run file reads. */
  toArray(): HistoryEntry[] {
    return Array.from(this);
  }

  /** Puts the cursor at the start of row `position`: from where it stands, or from the mark before. */
  private seek(position: number): void {
    const cursor = this.cursor;
    if (position < cursor.position || position - cursor.position >= MARK_ROWS) {
      const marks = this.marks;
      const at = MARK_FIELDS * Math.floor(position / MARK_ROWS);
      cursor.reader.moveTo(marks[at]!, marks[at + 1]!);
      cursor.position = position - (position % MARK_ROWS);
      cursor.index = marks[at + 2]!;
      cursor.t = marks[at + 3]!;
    }
    while (cursor.position < position) this.readRow();
  }

  /** Marks the row begun last as the `ordinal`th marked row. */
  private mark(ordinal: number): void {
    const at = MARK_FIELDS * ordinal;
    if (at === this.marks.length) {
      const grown = new Int32Array(2 * this.marks.length);
      grown.set(this.marks);
      this.marks = grown;
    }
    this.marks[at] = this.bytes.chunk;
    this.marks[at + 1] = this.bytes.offset;
    this.marks[at + 2] = this.lastIndex;
    this.marks[at + 3] = this.lastT;
  }

  /** Reads the row at the cursor and moves past it. */
  private readRow(): HistoryEntry {
    const cursor = this.cursor;
    const reader = cursor.reader;
    const kind = this.kinds[cursor.position >>> CHUNK_BITS]![cursor.position & ROW_MASK]!;
    cursor.position += 1;
    reader.startRow();
    if ((kind & WHOLE) !== 0) return this.objects[reader.read()]!;
    cursor.index += reader.read();
    cursor.t += reader.read();
    return this.entryOf(KINDS[kind]!, reader, cursor.index, cursor.t);
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

  /** The fields of a column kind's row, or undefined when the entry is kept whole. */
  private fieldsOf(e: HistoryEntry): number[] | undefined {
    switch (e.kind) {
      case 'frame-sent': {
        if (!isInt32(e.seq)) return undefined;
        const client = e.client === null ? NULL_CODE : this.code(e.client);
        return [this.code(e.connectionId), client, this.code(e.sessionId), e.seq, this.code(e.via)];
      }
      case 'applied':
        // The predecessor as a distance back, mostly 1: one byte where the seq takes three.
        if (!isInt32(e.seq) || !isInt32(e.prevSessionSeq)) return undefined;
        return [this.code(e.client), this.code(e.sessionId), e.seq, e.seq - e.prevSessionSeq, e.failed ? 1 : 0];
      case 'cursor':
        return isInt32(e.cursor) ? [this.code(e.client), this.code(e.sessionId), e.cursor] : undefined;
      case 'frame-received':
        if (!isInt32(e.seq)) return undefined;
        return [this.code(e.client), this.code(e.stream), this.code(e.sessionId), e.seq];
      case 'buffer':
        return isInt32(e.length) ? [this.code(e.client), this.code(e.sessionId), e.length] : undefined;
      case 'queue':
        return isInt32(e.length) ? [this.code(e.client), e.length] : undefined;
      default:
        return undefined;
    }
  }

  /** The entry of a column row, its fields in the order the recorder's entry had them. */
  private entryOf(kind: HistoryKind, r: RowReader, index: number, t: number): HistoryEntry {
    const s = this.strings;
    switch (kind) {
      case 'frame-sent': {
        const connectionId = s[r.read()]!;
        const clientCode = r.read();
        const client = clientCode === NULL_CODE ? null : s[clientCode]!;
        const sessionId = s[r.read()]!;
        const seq = r.read();
        return { kind: 'frame-sent', connectionId, client, sessionId, seq, via: s[r.read()]!, index, t };
      }
      case 'applied': {
        const client = s[r.read()]!;
        const sessionId = s[r.read()]!;
        const seq = r.read();
        const prevSessionSeq = seq - r.read();
        return { kind: 'applied', client, sessionId, seq, prevSessionSeq, failed: r.read() === 1, index, t };
      }
      case 'cursor': {
        const client = s[r.read()]!;
        return { kind: 'cursor', client, sessionId: s[r.read()]!, cursor: r.read(), index, t };
      }
      case 'frame-received': {
        const client = s[r.read()]!;
        const stream = s[r.read()]!;
        return { kind: 'frame-received', client, stream, sessionId: s[r.read()]!, seq: r.read(), index, t };
      }
      case 'buffer': {
        const client = s[r.read()]!;
        return { kind: 'buffer', client, sessionId: s[r.read()]!, length: r.read(), index, t };
      }
      default: {
        const client = s[r.read()]!;
        return { kind: 'queue', client, length: r.read(), index, t };
      }
    }
  }
}
