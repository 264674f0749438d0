/**
 * Sets and maps of session events keyed by (sessionId, seq), without a composite string built per
 * lookup: checks look events up once per history entry, and building and hashing those strings was
 * most of a check's time on long histories.
 */
export class EventMap<T> {
  private readonly bySession = new Map<string, Map<number, T>>();

  get(sessionId: string, seq: number): T | undefined {
    return this.bySession.get(sessionId)?.get(seq);
  }

  has(sessionId: string, seq: number): boolean {
    return this.bySession.get(sessionId)?.has(seq) ?? false;
  }

  set(sessionId: string, seq: number, value: T): void {
    let seqs = this.bySession.get(sessionId);
    if (seqs === undefined) this.bySession.set(sessionId, (seqs = new Map()));
    seqs.set(seq, value);
  }
}

export class EventSet {
  private readonly events = new EventMap<true>();

  has(sessionId: string, seq: number): boolean {
    return this.events.has(sessionId, seq);
  }

  add(sessionId: string, seq: number): void {
    this.events.set(sessionId, seq, true);
  }
}
