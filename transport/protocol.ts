/**
 * The wire contract between browser and server: message shapes, endpoints, status codes and the
 * named limits of the transport spec. Shared by client and server; nothing here does I/O.
 */

export const PROTOCOL_VERSION = 2;

// Server limits.
export const SYNC_INTERVAL_MS = 5000;
export const SYNC_BATCH_LIMIT = 50;
/** Most events one reconnect replays per session; sync delivers the rest. */
export const RECONNECT_REPLAY_LIMIT = 200;
/**
 * A watcher further behind than this many events is not caught up by sync (50 per tick would
 * never overtake a busy session): the server announces the range with `events_skipped` and the
 * client fetches it from the history, a page of HISTORY_PAGE_LIMIT per request.
 */
export const SYNC_SKIP_BACKLOG = 200;
export const HEARTBEAT_INTERVAL_MS = 30_000;
/** Largest accepted POST body; larger bodies get 413 before parsing. */
export const MAX_BODY_BYTES = 256 * 1024;
/** Most events one history request returns. */
export const HISTORY_PAGE_LIMIT = 200;
/**
 * Backpressure on an event stream: a write that would leave more than this many bytes unread by
 * the client closes the stream instead, so a client that stops reading costs at most this much
 * (an empty buffer still takes one frame of any size, so no frame is undeliverable).
 */
export const STREAM_BUFFER_LIMIT_BYTES = 1024 * 1024;
/** A stream whose client takes none of its unread bytes for this long is closed. */
export const STREAM_DRAIN_TIMEOUT_MS = 30_000;
/**
 * Replay and sync stop a burst once this many bytes wait unread and leave the rest to a later
 * tick. With one frame at most about MAX_BODY_BYTES, a burst then stays below the buffer limit,
 * so catching up on large events never trips the limit and starts the same replay again.
 */
export const STREAM_BURST_YIELD_BYTES = 256 * 1024;
/**
 * Prompts a session may have waiting for its agent (the running one not counted); a prompt
 * beyond either bound gets 429. Two clients' whole outboxes (MAX_PENDING_SENDS each: a user with
 * the session open in two tabs) fit in the count; the bytes bound (UTF-8) is what keeps large
 * prompts from filling memory, about 32 prompts of MAX_BODY_BYTES.
 */
export const MAX_QUEUED_PROMPTS_PER_SESSION = 200;
export const MAX_QUEUED_PROMPT_BYTES_PER_SESSION = 8 * 1024 * 1024;
/** The `Retry-After` of that 429, in seconds, the unit the header carries. */
export const PROMPT_QUEUE_RETRY_AFTER_S = 5;
/** Random bits in a connection id: a capability, so it must not be guessable from another. */
export const CONNECTION_ID_RANDOM_BITS = 128;
/** `silent-gap-skip` threshold of the pr396 defect: head - cursor beyond this jumps the cursor. */
export const PR396_SKIP_THRESHOLD = 200;

// Client limits.
export const RECONNECT_DELAY_MS = 500;
export const MAX_PENDING_SENDS = 100;
export const SEND_BACKOFF_MS: readonly number[] = [1000, 2000, 4000, 8000];
export const SEND_BACKOFF_CAP_MS = 10_000;
/** Attempts per prompt (first try included) before `_send_failed`. */
export const SEND_ATTEMPT_BUDGET = 8;
export const SEND_TIMEOUT_MS = 15_000;
/** Longest `Retry-After` honoured; a larger one would stall the queue behind it for too long. */
export const RETRY_AFTER_CAP_MS = 60_000;
export const APPLY_BUFFER_LIMIT = 256;
export const GAP_RESYNC_TIMEOUT_MS = 15_000;

export const SESSION_STATES = ['CREATED', 'STARTING', 'ACTIVE', 'DETACHED', 'SUSPENDED', 'CLOSING', 'ENDED'] as const;
export type SessionState = (typeof SESSION_STATES)[number];

/** A stored session event as it travels to the client (`type: 'session_event'` frame). */
export interface SessionEventFrame {
  type: 'session_event';
  seq: number;
  sessionId: string;
  prevSessionSeq: number;
  eventType: string;
  payload: unknown;
  createdAt: number;
}

export interface WelcomeFrame {
  type: 'welcome';
  protocolVersion: number;
  connectionId: string;
}

export interface ReconnectedFrame {
  type: 'reconnected';
  sessions: { sessionId: string; replayed: number }[];
}

export interface EventsSkippedFrame {
  type: 'events_skipped';
  sessionId: string;
  fromSeq: number;
  toSeq: number;
}

export type ServerFrame = WelcomeFrame | SessionEventFrame | ReconnectedFrame | EventsSkippedFrame;

// Client -> server messages (POST bodies).
export interface SendMessage {
  type: 'send';
  sessionId: string;
  clientMsgId: string;
  prompt: string;
}
export interface StopMessage {
  type: 'stop';
  sessionId: string;
}
export interface InterruptMessage {
  type: 'interrupt';
  sessionId: string;
}
export interface PermissionResponseMessage {
  type: 'permission_response';
  sessionId: string;
  requestId: string;
  allow: boolean;
}
export interface SetModeMessage {
  type: 'set_mode';
  sessionId: string;
  mode: string;
}
export interface WatchMessage {
  type: 'watch';
  sessionId: string;
}
export interface UnwatchMessage {
  type: 'unwatch';
  sessionId: string;
}
export interface SwitchSessionMessage {
  type: 'switch_session';
  sessionId: string;
}
export interface SuspendMessage {
  type: 'session_suspend';
  sessionId: string;
}
export interface CloseMessage {
  type: 'session_close';
  sessionId: string;
}
export interface ReconnectMessage {
  type: 'reconnect';
  sessions: { sessionId: string; lastSeq: number }[];
}

export type ClientMessage =
  | SendMessage
  | StopMessage
  | InterruptMessage
  | PermissionResponseMessage
  | SetModeMessage
  | WatchMessage
  | UnwatchMessage
  | SwitchSessionMessage
  | SuspendMessage
  | CloseMessage
  | ReconnectMessage;

export type ClientMessageType = ClientMessage['type'];

export const ENDPOINT_BY_TYPE: Record<ClientMessageType, string> = {
  send: 'send',
  stop: 'stop',
  interrupt: 'interrupt',
  permission_response: 'permission',
  set_mode: 'mode',
  watch: 'watch',
  unwatch: 'unwatch',
  switch_session: 'switch',
  session_suspend: 'suspend',
  session_close: 'close',
  reconnect: 'reconnect',
};

export const EVENTS_PATH = '/api/chat/events';
export const POST_PREFIX = '/api/chat/';
/**
 * `GET /api/chat/history?sessionId=..&afterSeq=..&limit=..[&toSeq=..]` returns
 * `{events: SessionEventFrame[], headSeq}`: events with afterSeq < seq (<= toSeq when given).
 */
export const HISTORY_PATH = '/api/chat/history';
export const CONNECTION_HEADER = 'x-connection-id';

export interface SendReceipt {
  accepted: true;
  clientMsgId: string;
  sessionId: string;
  seq: number;
}

export interface HistoryResponse {
  sessionId: string;
  events: SessionEventFrame[];
  headSeq: number;
}

/** Synthetic events the client emits to the app listener besides server frames. */
export type ClientSignal =
  | { type: '_open'; connectionId: string }
  | { type: '_close'; reason: string }
  | { type: '_send_accepted'; clientMsgId: string; sessionId: string; seq: number }
  | { type: '_send_failed'; clientMsgId: string; sessionId: string; reason: string; status?: number }
  | { type: '_gap'; sessionId: string; fromSeq: number; toSeq: number; reason: string }
  /**
   * A call or a control message failed. A failed control POST says how many POSTs were made; a
   * failed permission_response names the request, so the app can ask its user again.
   */
  | {
      type: 'error';
      message: string;
      messageType?: string;
      status?: number;
      attempts?: number;
      sessionId?: string;
      requestId?: string;
    };
