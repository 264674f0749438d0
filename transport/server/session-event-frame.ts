/** How a stored event travels to a client: the one mapping from store rows to wire frames. */
import type { SessionEventFrame } from '../protocol.ts';
import type { StoredEvent } from './event-store.ts';

export function toSessionEventFrame(event: StoredEvent): SessionEventFrame {
  return {
    type: 'session_event',
    seq: event.seq,
    sessionId: event.sessionId,
    prevSessionSeq: event.prevSessionSeq,
    eventType: event.type,
    payload: event.payload,
    createdAt: event.createdAt,
  };
}
