/**
 * Catching one stream up on a session: the stored messages after the seq the browser has, at most
 * REPLAY_LIMIT of them in one go. A longer backlog is not pushed down the stream: the rest is
 * announced with `events_skipped` and the browser pages it in from `GET /api/chat/history`.
 */
import type { ChatStore } from './chat-store.ts';
import type { Connections, FrameVia, OpenStream } from './connections.ts';

export const REPLAY_LIMIT = 200;

/**
 * Starts watching and sends the messages after `afterSeq`, or after what this stream already sent
 * when that is further; returns how many were sent.
 */
export function replaySession(
  store: ChatStore,
  connections: Connections,
  stream: OpenStream,
  sessionId: string,
  afterSeq: number,
  via: FrameVia,
): number {
  const fromSeq = Math.max(afterSeq, stream.cursors.get(sessionId) ?? 0);
  stream.cursors.set(sessionId, fromSeq);
  const backlog = store.messagesAfter(sessionId, fromSeq, REPLAY_LIMIT + 1);
  const sent = backlog.slice(0, REPLAY_LIMIT);
  for (const message of sent) connections.sendMessage(stream, message, via);
  if (backlog.length > REPLAY_LIMIT) {
    const skippedFrom = sent.at(-1)!.seq + 1;
    const toSeq = store.headSeq(sessionId);
    connections.sendControl(stream, { type: 'events_skipped', sessionId, fromSeq: skippedFrom, toSeq });
  }
  return sent.length;
}
