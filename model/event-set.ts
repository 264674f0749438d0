/**
 * Sets and maps of session events keyed by (sessionId, seq), without a composite string built per
 * lookup, and without an object or hash entry per event: a session's seqs are near-consecutive
 * integers, so each session keeps a typed array indexed by seq. Checks keep one of these per
 * client or connection over the whole history, so an entry per event was most of a long run's
 * check memory; a key string per lookup was most of its time.
 */

/** Most slots a dense window may have per seq it holds: seqs sparser than this go to a Map. */
const SLOTS_PER_SEQ_MAX = 8;
/** Slots a window may always reach, however few seqs it holds. */
const SLOTS_FREE = 1024;
const SLOTS_INITIAL = 64;

/**
 * Numbers by seq for one session: a dense window of slots from the lowest seq seen (NaN marks an
 * empty slot), and a Map for whatever the window cannot hold (seqs that are not integers, far
 * outside it, or a NaN value).
 */
class SeqNumbers {
  private base = 0;
  private slots: Float64Array | null = null;
  private held = 0;
  private sparse: Map<number, number> | null = null;

  get(seq: number): number | undefined {
    const at = seq - this.base;
    if (this.slots !== null && at >= 0 && at < this.slots.length && Number.isInteger(at)) {
      const value = this.slots[at]!;
      if (!Number.isNaN(value)) return value;
    }
    return this.sparse?.get(seq);
  }

  set(seq: number, value: number): void {
    if (!Number.isNaN(value) && this.fit(seq)) {
      const at = seq - this.base;
      if (Number.isNaN(this.slots![at]!)) this.held += 1;
      this.slots![at] = value;
      this.sparse?.delete(seq);
      return;
    }
    (this.sparse ??= new Map()).set(seq, value);
  }

  /** Whether the window holds `seq`'s slot, after growing it when that stays dense enough. */
  private fit(seq: number): boolean {
    if (!Number.isSafeInteger(seq)) return false;
    if (this.slots === null) {
      this.base = seq;
      this.slots = new Float64Array(SLOTS_INITIAL).fill(NaN);
      return true;
    }
    const start = Math.min(this.base, seq);
    const end = Math.max(this.base + this.slots.length, seq + 1);
    if (start === this.base && end === this.base + this.slots.length) return true;
    if (end - start > SLOTS_PER_SEQ_MAX * this.held + SLOTS_FREE) return false;
    // Grown upwards by doubling, downwards exactly: seqs mostly come in rising order.
    const length = seq < this.base ? end - start : Math.max(end - start, 2 * this.slots.length);
    const slots = new Float64Array(length).fill(NaN);
    slots.set(this.slots, this.base - start);
    this.slots = slots;
    this.base = start;
    return true;
  }
}

export class EventMap {
  private readonly bySession = new Map<string, SeqNumbers>();

  get(sessionId: string, seq: number): number | undefined {
    return this.bySession.get(sessionId)?.get(seq);
  }

  has(sessionId: string, seq: number): boolean {
    return this.get(sessionId, seq) !== undefined;
  }

  set(sessionId: string, seq: number, value: number): void {
    let seqs = this.bySession.get(sessionId);
    if (seqs === undefined) this.bySession.set(sessionId, (seqs = new SeqNumbers()));
    seqs.set(seq, value);
  }
}

export class EventSet {
  private readonly events = new EventMap();

  has(sessionId: string, seq: number): boolean {
    return this.events.has(sessionId, seq);
  }

  add(sessionId: string, seq: number): void {
    this.events.set(sessionId, seq, 1);
  }
}

/** A trace moment: virtual time and trace index. */
export interface Moment {
  t: number;
  index: number;
}

/** The first moment each event was seen, kept as two numbers per event rather than an object. */
export class FirstMoments {
  private readonly t = new EventMap();
  private readonly index = new EventMap();

  /** Keeps `moment` unless the event already has one. */
  see(sessionId: string, seq: number, moment: Moment): void {
    if (this.index.has(sessionId, seq)) return;
    this.t.set(sessionId, seq, moment.t);
    this.index.set(sessionId, seq, moment.index);
  }

  get(sessionId: string, seq: number): Moment | undefined {
    const index = this.index.get(sessionId, seq);
    return index === undefined ? undefined : { t: this.t.get(sessionId, seq)!, index };
  }
}
