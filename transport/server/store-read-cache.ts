/**
 * What the EventStore answers from memory instead of SQLite: each session's head seq and its
 * session row, which the server asks for on every sync tick of every watcher, hundreds of times
 * per event appended; and the event appended last, which every append reads back at once to
 * broadcast it. The store is the only writer of its file (one server process owns it), so the
 * cache is written through by the store's own writes and dropped whole when a transaction rolls
 * back, after which every answer is read again.
 */
import type { SessionRow, StoredEvent } from './event-store.ts';

export class StoreReadCache {
  private readonly headSeqs = new Map<string, number>();
  /** `null` remembers that a session does not exist, which sync ticks ask about too. */
  private readonly sessions = new Map<string, Readonly<SessionRow> | null>();
  private lastAppended: StoredEvent | null = null;

  headSeq(sessionId: string, read: (sessionId: string) => number): number {
    let head = this.headSeqs.get(sessionId);
    if (head === undefined) {
      head = read(sessionId);
      this.headSeqs.set(sessionId, head);
    }
    return head;
  }

  /** An event was inserted: it is its session's new head (seqs only grow) and the last appended. */
  appended(event: StoredEvent): void {
    this.headSeqs.set(event.sessionId, event.seq);
    this.lastAppended = event;
  }

  /** The event appended last, when it has this seq. */
  appendedEvent(seq: number): StoredEvent | null {
    return this.lastAppended?.seq === seq ? this.lastAppended : null;
  }

  session(sessionId: string, read: (sessionId: string) => SessionRow | null): Readonly<SessionRow> | null {
    let row = this.sessions.get(sessionId);
    if (row === undefined) {
      // Frozen: every caller gets the same object, and none may change what the next one reads.
      const fresh = read(sessionId);
      row = fresh === null ? null : Object.freeze(fresh);
      this.sessions.set(sessionId, row);
    }
    return row;
  }

  /** The session's row was written; the next read takes it from the database. */
  sessionWritten(sessionId: string): void {
    this.sessions.delete(sessionId);
  }

  /** A transaction rolled back: nothing remembered since it began can be trusted. */
  clear(): void {
    this.headSeqs.clear();
    this.sessions.clear();
    this.lastAppended = null;
  }
}
