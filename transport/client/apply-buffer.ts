/**
 * Session events of one session that arrived before their predecessor. They are keyed by
 * prevSessionSeq so the event that follows the cursor is found in constant time; the caller
 * enforces the size limit.
 */
import type { SessionEventFrame } from '../protocol.ts';

export class ApplyBuffer {
  private readonly byPrevSeq = new Map<number, SessionEventFrame>();

  get size(): number {
    return this.byPrevSeq.size;
  }

  /** Whether an event with the same predecessor is already held (a duplicate delivery). */
  holds(frame: SessionEventFrame): boolean {
    return this.byPrevSeq.has(frame.prevSessionSeq);
  }

  add(frame: SessionEventFrame): void {
    this.byPrevSeq.set(frame.prevSessionSeq, frame);
  }

  /**
   * Removes and returns the held event that comes next after `cursor`, dropping events the
   * cursor already covers. After a skipped range the cursor may sit between an event's
   * predecessor and the event itself; that event is next too.
   */
  takeNext(cursor: number): SessionEventFrame | undefined {
    const direct = this.byPrevSeq.get(cursor);
    if (direct) {
      this.byPrevSeq.delete(cursor);
      return direct;
    }
    let next: SessionEventFrame | undefined;
    for (const [prevSeq, frame] of this.byPrevSeq) {
      if (frame.seq <= cursor) this.byPrevSeq.delete(prevSeq);
      else if (prevSeq < cursor && (!next || frame.seq < next.seq)) next = frame;
    }
    if (next) this.byPrevSeq.delete(next.prevSessionSeq);
    return next;
  }

  /** The lowest predecessor any held event waits for, or undefined when empty. */
  lowestPrevSeq(): number | undefined {
    let lowest: number | undefined;
    for (const prevSeq of this.byPrevSeq.keys()) {
      if (lowest === undefined || prevSeq < lowest) lowest = prevSeq;
    }
    return lowest;
  }

  clear(): void {
    this.byPrevSeq.clear();
  }
}
