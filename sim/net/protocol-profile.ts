/**
 * A protocol profile: every assumption the simulator makes about a transport's wire, in one typed
 * object, so a transport of the same family (an SSE stream of numbered session events, prompts
 * POSTed with a client message id) with other names and limits is tested without editing the
 * simulator. The user actor, the network fault policy, the network-derived history and the
 * bounded properties read it; the bundled transport's profile is the default. See
 * docs/observations.md for what each part is used for.
 */
import {
  APPLY_BUFFER_LIMIT,
  CONNECTION_HEADER,
  HISTORY_PATH,
  MAX_PENDING_SENDS,
  POST_PREFIX,
  RECONNECT_REPLAY_LIMIT,
  RETRY_AFTER_CAP_MS,
  SEND_ATTEMPT_BUDGET,
  SEND_BACKOFF_CAP_MS,
  SEND_BACKOFF_MS,
  SEND_TIMEOUT_MS,
  SYNC_INTERVAL_MS,
  type ClientSignal,
  type SessionEventFrame,
} from '../../transport/index.ts';
import type { HistoryLimits, RetrySchedule } from '../../model/index.ts';
import { sessionEventIn } from './session-event-in.ts';

/** The prompt a POST body carries. */
export interface PromptOnWire {
  clientMsgId: string;
  sessionId: string;
  prompt: string;
}

/** What the client handed the app, in the simulator's words. */
export type AppMessage =
  /** A session event for the app to apply; a permission request names the request to answer. */
  | {
      kind: 'event';
      sessionId: string;
      seq: number;
      prevSessionSeq: number;
      eventType: string;
      permissionRequestId: string | null;
    }
  /** A signal the properties read (`_send_failed`, `_gap`, `error`, ...), named as the bundled client does. */
  | { kind: 'signal'; signal: ClientSignal }
  /** Anything else: recorded, never judged. */
  | { kind: 'other'; type: string; details: Record<string, unknown> };

export interface ProtocolProfile {
  /** Request paths, without a query string. */
  readonly paths: {
    /** Every client-to-server message is a POST under this prefix; the request faults act on them. */
    readonly postPrefix: string;
    /** The prompt POST: its attempts and answers become history, and only it can be poisoned. */
    readonly send: string;
    /** The POST a client re-announces its cursors with after a welcome; the welcome faults hold it back. */
    readonly reconnect: string;
    /** The history GET (the request faults lose it), or null for a transport without one. */
    readonly history: string | null;
  };
  /** The request header naming the connection a POST belongs to (lower case). */
  readonly connectionHeader: string;
  /** The connection id an SSE event gives, when it is a welcome; null for any other event. */
  welcomeOf(eventType: string, data: string): string | null;
  /** The session event a frame's SSE text carries; null for any other frame. */
  sessionEventOf(chunk: string): { sessionId: string; seq: number } | null;
  /** The prompt a body POSTed to `paths.send` carries; null when it names no client message id. */
  promptOf(body: string): PromptOnWire | null;
  /** A message the client handed the app's listener. */
  appMessageOf(message: unknown): AppMessage;
  /** The prompt a stored event persists, or null for an event that is not a user message. */
  userMessageOf(event: { type: string; payload: unknown }): { clientMsgId: string; prompt: string } | null;
  /** The transport's own limits; the bounded properties judge by them. */
  readonly limits: HistoryLimits;
  /**
   * How often the server repairs an event a client missed (its sync interval): liveness leaves
   * two of these and a round trip for the run's last events to land.
   */
  readonly syncIntervalMs: number;
  /**
   * When the client retries a prompt (backoff, longest delay, Retry-After cap and slack, send
   * timeout); timeliness and retry-after judge by it and are not checked without it.
   */
  readonly retrySchedule?: RetrySchedule;
}

function parseObject(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null && !Array.isArray(value)
      ? (value as Record<string, unknown>)
      : null;
  } catch {
    return null;
  }
}

function bundledPromptOf(body: string): PromptOnWire | null {
  const message = parseObject(body);
  if (message === null || typeof message.clientMsgId !== 'string') return null;
  return {
    clientMsgId: message.clientMsgId,
    sessionId: String(message.sessionId ?? ''),
    prompt: String(message.prompt ?? ''),
  };
}

function bundledAppMessageOf(message: unknown): AppMessage {
  const type = (message as { type?: unknown } | null)?.type;
  if (typeof type !== 'string') return { kind: 'other', type: typeof message, details: {} };
  if (type === 'session_event') {
    const frame = message as SessionEventFrame;
    const requestId = String((frame.payload as { requestId?: unknown } | null)?.requestId ?? '');
    const permissionRequestId = frame.eventType === 'permission_request' && requestId !== '' ? requestId : null;
    const { sessionId, seq, prevSessionSeq, eventType } = frame;
    return { kind: 'event', sessionId, seq, prevSessionSeq, eventType, permissionRequestId };
  }
  if (type.startsWith('_') || type === 'error') return { kind: 'signal', signal: message as ClientSignal };
  return { kind: 'other', type, details: { ...(message as Record<string, unknown>) } };
}

/** The bundled transport's wire (transport/protocol.ts) and limits. */
export const BUNDLED_PROFILE: ProtocolProfile = {
  paths: {
    postPrefix: POST_PREFIX,
    send: `${POST_PREFIX}send`,
    reconnect: `${POST_PREFIX}reconnect`,
    history: HISTORY_PATH,
  },
  connectionHeader: CONNECTION_HEADER,
  welcomeOf: (eventType, data) => {
    if (eventType !== 'welcome') return null;
    const connectionId = parseObject(data)?.connectionId;
    return typeof connectionId === 'string' ? connectionId : null;
  },
  sessionEventOf: sessionEventIn,
  promptOf: bundledPromptOf,
  appMessageOf: bundledAppMessageOf,
  userMessageOf: (event) => {
    if (event.type !== 'user_message') return null;
    const payload = event.payload as { clientMsgId?: unknown; prompt?: unknown } | null;
    return { clientMsgId: String(payload?.clientMsgId), prompt: String(payload?.prompt) };
  },
  limits: {
    maxPendingSends: MAX_PENDING_SENDS,
    applyBufferLimit: APPLY_BUFFER_LIMIT,
    sendAttemptBudget: SEND_ATTEMPT_BUDGET,
    reconnectReplayLimit: RECONNECT_REPLAY_LIMIT,
    replayAmplificationMax: 1.5,
  },
  syncIntervalMs: SYNC_INTERVAL_MS,
  // transport/client/retry-policy.ts: the larger of the backoff and the capped Retry-After.
  retrySchedule: {
    backoffMs: SEND_BACKOFF_MS,
    maxDelayMs: SEND_BACKOFF_CAP_MS,
    retryAfterCapMs: RETRY_AFTER_CAP_MS,
    sendTimeoutMs: SEND_TIMEOUT_MS,
    retryAfterSlackMs: SEND_BACKOFF_CAP_MS,
  },
};
