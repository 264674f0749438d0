/**
 * The open event streams: one entry per `GET /api/chat/events`, keyed by the connection id the
 * welcome frame gave the browser. An entry lives exactly as long as its HTTP response; the POST
 * routes find the caller's stream through the `X-Connection-ID` header.
 */
import type { Response } from 'express';
import type { ChatDeps } from './chat-deps.ts';
import type { StoredMessage } from './chat-store.ts';

export const PROTOCOL_VERSION = 2;

export interface SendReceipt {
  accepted: true;
  clientMsgId: string;
  sessionId: string;
  seq: number;
}

/** A prompt this connection already posted, to answer a retry with the same receipt. */
export interface PostedPrompt {
  sessionId: string;
  prompt: string;
  receipt: SendReceipt;
}

export interface OpenStream {
  id: string;
  res: Response;
  /** Watched sessions, each with the highest seq this stream has sent or the browser announced. */
  cursors: Map<string, number>;
  prompts: Map<string, PostedPrompt>;
}

/** How a message went out, for the `frame.sent` log line. */
export type FrameVia = 'live' | 'replay' | 'watch' | 'history';

/** A stored message as the browser client reads it. */
export function sessionEventFrame(message: StoredMessage): Record<string, unknown> {
  return {
    type: 'session_event',
    seq: message.seq,
    sessionId: message.sessionId,
    prevSessionSeq: message.seq - 1,
    eventType: message.kind,
    payload: message.body,
    createdAt: message.createdAt,
  };
}

function writeFrame(res: Response, event: 'welcome' | 'message', data: unknown): void {
  res.write(`event: ${event}\ndata: ${JSON.stringify(data)}\n\n`);
}

export function createConnections(deps: ChatDeps) {
  const streams = new Map<string, OpenStream>();

  function sendMessage(stream: OpenStream, message: StoredMessage, via: FrameVia): void {
    writeFrame(stream.res, 'message', sessionEventFrame(message));
    const cursor = stream.cursors.get(message.sessionId) ?? 0;
    stream.cursors.set(message.sessionId, Math.max(cursor, message.seq));
    const { sessionId, seq } = message;
    deps.log?.('frame.sent', { connectionId: stream.id, sessionId, seq, via });
  }

  return {
    open(res: Response): OpenStream {
      const stream: OpenStream = { id: deps.newId('conn'), res, cursors: new Map(), prompts: new Map() };
      streams.set(stream.id, stream);
      writeFrame(res, 'welcome', { type: 'welcome', protocolVersion: PROTOCOL_VERSION, connectionId: stream.id });
      return stream;
    },
    close(stream: OpenStream): void {
      if (streams.get(stream.id) === stream) streams.delete(stream.id);
    },
    get: (id: string) => streams.get(id),
    ids: () => [...streams.keys()],
    sendMessage,
    /** A frame that is not a session event (`reconnected`, `events_skipped`). */
    sendControl(stream: OpenStream, frame: Record<string, unknown>): void {
      writeFrame(stream.res, 'message', frame);
    },
    broadcast(message: StoredMessage): void {
      for (const stream of streams.values())
        if (stream.cursors.has(message.sessionId)) sendMessage(stream, message, 'live');
    },
    heartbeat(): void {
      for (const stream of streams.values()) stream.res.write(':heartbeat\n\n');
    },
    endAll(): void {
      for (const stream of streams.values()) stream.res.end();
      streams.clear();
    },
  };
}

export type Connections = ReturnType<typeof createConnections>;
