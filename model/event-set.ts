/**
 * Sets and maps of session events keyed by (sessionId, seq), without a composite string built per
 * lookup, and without an object or hash entry per event: a session's seqs are near-consecutive
 * integers, so each session keeps a typed array indexed by seq. Checks keep one of these per
 * client or connection over the whole history, so an entry per event was most of a long run's
 * check memory; a key string per lookup was most of its time.
 */

/** Most slots a window may have per slot in use: seqs sparser than this go to a Map. */
const SLOTS_PER_USED_MAX = 8;
/** Slots a window may always reach, however few are in use. */
const SLOTS_FREE = 1024;
const SLOTS_INITIAL = 64;
/** An empty slot of a SeqNumbers window; the value itself goes to the Map. */
const ABSENT = -(2 ** 31);

/**
 * A dense run of int32 slots from a base unit, grown by half again in either direction while at
 * most SLOTS_PER_USED_MAX slots per used one (plus SLOTS_FREE) would be allocated.
 */
class SlotWindow {
  private base = 0;
  slots: Int32Array | null = null;
  private used = 0;

  constructor(private readonly empty: number) {}

  /** The slot of `unit`, made room for when that stays dense enough, else -1. */
  slotOf(unit: number, make: boolean): number {
    if (!Number.isSafeInteger(unit)) return -1;
    const slots = this.slots;
    if (slots !== null && unit >= this.base && unit < this.base + slots.length) return unit - this.base;
    if (!make) return -1;
    if (slots === null) {
      this.base = unit;
      this.slots = new Int32Array(SLOTS_INITIAL).fill(this.empty);
      return 0;
    }
    const start = Math.min(this.base, unit);
    const end = Math.max(this.base + slots.length, unit + 1);
    if (end - start > SLOTS_PER_USED_MAX * this.used + SLOTS_FREE) return -1;
    const length = Math.max(end - start, Math.ceil(1.5 * slots.length));
    // Room is added on the side the unit fell, so a run of falling seqs is not copied per seq.
    const newBase = unit < this.base ? this.base + slots.length - length : this.base;
    const grown = new Int32Array(length).fill(this.empty);
    grown.set(slots, this.base - newBase);
    this.slots = grown;
    this.base = newBase;
    return unit - newBase;
  }

  /**
   * Room for every unit from `low` to `high` at once, before any is set, when that many slots stay
   * within the density rule for `count` units: a window grown to its size by half again each time
   * left garbage of twice its final size.
   */
  reserve(low: number, high: number, count: number): void {
    if (this.slots !== null || !Number.isSafeInteger(low) || !Number.isSafeInteger(high) || high < low) return;
    if (high - low + 1 > SLOTS_PER_USED_MAX * count + SLOTS_FREE) return;
    this.base = low;
    this.slots = new Int32Array(high - low + 1).fill(this.empty);
  }

  /** Counts a slot newly in use, for the density rule. */
  using(): void {
    this.used += 1;
  }
}

/**
 * Numbers by seq for one session: int32 slots from the lowest seq seen, and a Map for whatever
 * they cannot hold (seqs that are not integers or lie far outside, values that are not int32).
 */
class SeqNumbers {
  private readonly window = new SlotWindow(ABSENT);
  private sparse: Map<number, number> | null = null;

  /** `expected`: the seqs most sets will be of, so their window is allocated once. */
  constructor(expected: readonly number[] = []) {
    let low = Infinity;
    let high = -Infinity;
    for (const seq of expected) {
      if (seq < low) low = seq;
      if (seq > high) high = seq;
    }
    this.window.reserve(low, high, expected.length);
  }

  get(seq: number): number | undefined {
    const slot = this.window.slotOf(seq, false);
    if (slot >= 0 && this.window.slots![slot] !== ABSENT) return this.window.slots![slot];
    return this.sparse?.get(seq);
  }

  set(seq: number, value: number): void {
    const slot = (value | 0) === value && value !== ABSENT ? this.window.slotOf(seq, true) : -1;
    if (slot < 0) {
      (this.sparse ??= new Map()).set(seq, value);
      return;
    }
    const slots = this.window.slots!;
    if (slots[slot] === ABSENT) this.window.using();
    slots[slot] = value;
    this.sparse?.delete(seq);
  }
}

/** Seqs of one session as bits, 32 to a slot, with a Set for seqs the slots cannot hold. */
class SeqBits {
  private readonly window = new SlotWindow(0);
  private sparse: Set<number> | null = null;

  has(seq: number): boolean {
    const unit = Math.floor(seq / 32);
    const slot = Number.isSafeInteger(seq) ? this.window.slotOf(unit, false) : -1;
    if (slot >= 0 && (this.window.slots![slot]! & (1 << (seq - 32 * unit))) !== 0) return true;
    return this.sparse?.has(seq) ?? false;
  }

  add(seq: number): void {
    const unit = Math.floor(seq / 32);
    const slot = Number.isSafeInteger(seq) ? this.window.slotOf(unit, true) : -1;
    if (slot < 0) {
      (this.sparse ??= new Set()).add(seq);
      return;
    }
    const slots = this.window.slots!;
    if (slots[slot] === 0) this.window.using();
    slots[slot]! |= 1 << (seq - 32 * unit);
  }
}

export class EventMap {
  private readonly bySession = new Map<string, SeqNumbers>();

  /** `expected`: per session, the seqs most sets will be of (a run's stored events); only a size hint. */
  constructor(private readonly expected: Readonly<Record<string, readonly number[]>> = {}) {}

  get(sessionId: string, seq: number): number | undefined {
    return this.bySession.get(sessionId)?.get(seq);
  }

  has(sessionId: string, seq: number): boolean {
    return this.get(sessionId, seq) !== undefined;
  }

  set(sessionId: string, seq: number, value: number): void {
    let seqs = this.bySession.get(sessionId);
    if (seqs === undefined) {
      const expected = Object.hasOwn(this.expected, sessionId) ? this.expected[sessionId] : undefined;
      this.bySession.set(sessionId, (seqs = new SeqNumbers(expected)));
    }
    seqs.set(seq, value);
  }
}

export class EventSet {
  private readonly bySession = new Map<string, SeqBits>();

  has(sessionId: string, seq: number): boolean {
    return this.bySession.get(sessionId)?.has(seq) ?? false;
  }

  add(sessionId: string, seq: number): void {
    let seqs = this.bySession.get(sessionId);
    if (seqs === undefined) this.bySession.set(sessionId, (seqs = new SeqBits()));
    seqs.add(seq);
  }
}

/** A trace moment: virtual time and trace index. */
export interface Moment {
  t: number;
  index: number;
}

/** The first moment each event was seen, kept as two numbers per event rather than an object. */
export class FirstMoments {
  private readonly t: EventMap;
  private readonly index: EventMap;

  /** `expected`: per session, the seqs most moments will be of; only a size hint. */
  constructor(expected: Readonly<Record<string, readonly number[]>> = {}) {
    this.t = new EventMap(expected);
    this.index = new EventMap(expected);
  }

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
