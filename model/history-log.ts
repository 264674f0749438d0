/**
 * A run's history entries packed as rows of bytes instead of one object each. The kinds a long
 * run is made of (frames sent and received, applies, cursor, queue and buffer lengths: over nine
 * entries in ten) become a few small integers, their strings interned; an entry is built as an
 * object again only when read. An object per entry cost over a hundred bytes, and a run of
 * millions of entries kept them all until its properties were checked.
 */
import type { HistoryEntry, HistoryEntryBody, HistoryKind } from './history.ts';
import type { HistoryEntries } from './history-entries.ts';
import { KINDS, kindCode, maskHas, type KindMask } from './history-kind-codes.ts';
import { RowBytes, type RowReader } from './row-bytes.ts';
import { RowMarks } from './row-marks.ts';
import { KeptEntries } from './kept-entries.ts';

/** Set in a row's kind byte when the row holds its entry whole. */
const WHOLE = 0x80;

/** Rows per chunk of the kind column, which grows a chunk at a time. */
const CHUNK_BITS = 15;
const CHUNK_ROWS = 1 << CHUNK_BITS;
const ROW_MASK = CHUNK_ROWS - 1;
/**
 * Every so many rows the log marks where a row starts, so a read never decodes more than that
 * many: checks read some kinds among many, and a read at a later position skips every row between.
 */
const MARK_ROWS = 8;
/** Interned code of a null string field (a frame sent on a connection no welcome named yet). */
const NULL_CODE = -1;

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

const isInt32 = (value: unknown): value is number =>
  typeof value === 'number' && (value | 0) === value && !Object.is(value, -0);

/** Whether an entry of a column kind has numbers its row can hold; any other entry is kept whole. */
function fitsColumns(e: HistoryEntryBody): boolean {
  switch (e.kind) {
    case 'frame-sent':
    case 'frame-received':
      return isInt32(e.seq);
    case 'applied':
      return isInt32(e.seq) && isInt32(e.prevSessionSeq);
    case 'cursor':
      return isInt32(e.cursor);
    case 'buffer':
    case 'queue':
      return isInt32(e.length);
    default:
      return false;
  }
}

/** Fields after the index and time in a column kind's row, by kind code (as `writeFields` writes them). */
const FIELD_COUNTS = new Uint8Array(KINDS.length);
for (const [kind, count] of [
  ['frame-sent', 5],
  ['applied', 5],
  ['cursor', 3],
  ['frame-received', 4],
  ['buffer', 3],
  ['queue', 2],
] as const)
  FIELD_COUNTS[kindCode(kind)] = count;

/**
 * The entries of one run, in trace order. A row of a column kind is its trace index and time as
 * deltas from the row before, then its fields, strings as interned codes; any other entry, or one
 * with a number that is not an int32, is kept whole.
 */
export class HistoryLog implements HistoryEntries {
  private readonly kinds: Uint8Array[] = [];
  private readonly bytes = new RowBytes();
  private readonly marks = new RowMarks();
  private readonly objects: HistoryEntry[] = [];
  private readonly strings: string[] = [];
  private readonly codes = new Map<string, number>();
  private readonly kept = new KeptEntries<HistoryEntry>();
  private rows = 0;
  private lastIndex = 0;
  private lastT = 0;
  /** Where reading stands: reads mostly go forward, row by row. */
  private readonly cursor = { position: 0, index: 0, t: 0, reader: this.bytes.readerAt(0, 0) };

  get length(): number {
    return this.rows;
  }

  push(entry: HistoryEntry): void {
    this.pushAt(entry, entry.index, entry.t);
  }

  /**
   * Appends an entry given as its body, trace index and time. A row of columns takes the index
   * and time as they are; only a body kept whole has them set on it (after its own fields, where
   * an entry has them). Setting two members on every body grew each one's property store, most of
   * the bytes the recorder allocated, for the nine entries in ten that become a row and are let go.
   */
  pushAt(body: HistoryEntryBody, index: number, t: number): void {
    const position = this.rows;
    if ((position & ROW_MASK) === 0) this.kinds.push(new Uint8Array(CHUNK_ROWS));
    this.bytes.startRow();
    if (position % MARK_ROWS === 0)
      this.marks.add(this.bytes.chunkNow(), this.bytes.offsetNow(), this.lastIndex, this.lastT);
    this.rows += 1;
    const code = kindCode(body.kind);
    const kinds = this.kinds[this.kinds.length - 1]!;
    if (!(isInt32(index) && isInt32(t) && fitsColumns(body))) {
      const entry = body as HistoryEntry;
      entry.index = index;
      entry.t = t;
      kinds[position & ROW_MASK] = WHOLE | code;
      this.bytes.write(this.objects.length);
      this.objects.push(entry);
      return;
    }
    kinds[position & ROW_MASK] = code;
    this.bytes.write(index - this.lastIndex);
    this.bytes.write(t - this.lastT);
    this.lastIndex = index;
    this.lastT = t;
    this.writeFields(body);
  }

  at(position: number): HistoryEntry | undefined {
    const at = position < 0 ? position + this.rows : position;
    if (!(at >= 0 && at < this.rows)) return undefined;
    return this.kept.get(at, this.rows, this.build);
  }

  /** The entry of row `position`, built from its bytes. */
  private readonly build = (position: number): HistoryEntry => {
    this.seek(position);
    return this.readRow();
  };

  nextOfKinds(mask: KindMask, from: number): number {
    const rows = this.rows;
    let position = Math.max(from, 0);
    while (position < rows) {
      const kinds = this.kinds[position >>> CHUNK_BITS]!;
      const end = Math.min(rows, (position | ROW_MASK) + 1);
      for (; position < end; position++) if (maskHas(mask, kinds[position & ROW_MASK]! & ~WHOLE)) return position;
    }
    return rows;
  }

  [Symbol.iterator](): Iterator<HistoryEntry> {
    let position = 0;
    // Built afresh, not kept: a report or a run file reads each entry once, and may change its copy.
    return { next: () => (position < this.rows ? { done: false, value: this.build(position++) } : DONE) };
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
      const mark = Math.floor(position / MARK_ROWS);
      cursor.reader.moveTo(marks.chunk(mark), marks.offset(mark));
      cursor.position = mark * MARK_ROWS;
      cursor.index = marks.index(mark);
      cursor.t = marks.t(mark);
    }
    while (cursor.position < position) this.skipRow();
  }

  /** Reads the row at the cursor and moves past it. */
  private readRow(): HistoryEntry {
    const kind = this.enterRow();
    const { reader, index, t } = this.cursor;
    if ((kind & WHOLE) !== 0) return this.objects[reader.read()]!;
    return this.entryOf(KINDS[kind]!, reader, index, t);
  }

  /** Moves the cursor past the row at it without building its entry. */
  private skipRow(): void {
    const kind = this.enterRow();
    this.cursor.reader.skip((kind & WHOLE) !== 0 ? 1 : FIELD_COUNTS[kind]!);
  }

  /**
   * Moves the cursor onto the row at its position and returns the row's kind byte; for a column
   * row the cursor's index and time are then the row's, and the reader is at its fields.
   */
  private enterRow(): number {
    const cursor = this.cursor;
    const reader = cursor.reader;
    const kind = this.kinds[cursor.position >>> CHUNK_BITS]![cursor.position & ROW_MASK]!;
    cursor.position += 1;
    reader.startRow();
    if ((kind & WHOLE) === 0) {
      cursor.index += reader.read();
      cursor.t += reader.read();
    }
    return kind;
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

  /**
   * Writes the fields of a column kind's row (`fitsColumns` said it is one), each straight to the
   * row: an array of them per entry was garbage the collector paid for.
   */
  private writeFields(e: HistoryEntryBody): void {
    const b = this.bytes;
    switch (e.kind) {
      case 'frame-sent':
        b.write(this.code(e.connectionId));
        b.write(e.client === null ? NULL_CODE : this.code(e.client));
        b.write(this.code(e.sessionId));
        b.write(e.seq);
        b.write(this.code(e.via));
        return;
      case 'applied':
        // The predecessor as a distance back, mostly 1: one byte where the seq takes three.
        b.write(this.code(e.client));
        b.write(this.code(e.sessionId));
        b.write(e.seq);
        b.write(e.seq - e.prevSessionSeq);
        b.write(e.failed ? 1 : 0);
        return;
      case 'cursor':
        b.write(this.code(e.client));
        b.write(this.code(e.sessionId));
        b.write(e.cursor);
        return;
      case 'frame-received':
        b.write(this.code(e.client));
        b.write(this.code(e.stream));
        b.write(this.code(e.sessionId));
        b.write(e.seq);
        return;
      case 'buffer':
        b.write(this.code(e.client));
        b.write(this.code(e.sessionId));
        b.write(e.length);
        return;
      case 'queue':
        b.write(this.code(e.client));
        b.write(e.length);
        return;
      default:
        throw new Error(`history kind ${e.kind} has no columns`);
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
