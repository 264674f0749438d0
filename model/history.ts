/**
 * The history of one run: what every actor did and saw, with virtual times, as the simulator
 * records it. Properties are pure functions over a History; they never look at live objects.
 * `index` ties an entry to the trace entry it came from, so a violation can cite its evidence.
 */
import type { ClientSignal } from '../transport/index.ts';
import type { ObservationKind } from './observation-kind.ts';

export type Phase = 'chaos' | 'heal' | 'end';

interface Base {
  /** Position in the run's trace; violations cite these. */
  index: number;
  /** Virtual milliseconds since the start of the run. */
  t: number;
}

export type HistoryEntry = Base &
  (
    | { kind: 'phase'; phase: Phase }
    /** The user called send() for a prompt; `accepted` is what send() returned. */
    | { kind: 'prompt'; client: string; sessionId: string; prompt: string; accepted: boolean; clientMsgId?: string }
    /** A synthetic signal the app listener received (_send_failed, _send_accepted, _gap, _open, _close, error). */
    | { kind: 'signal'; client: string; signal: ClientSignal }
    /** The app listener was handed a session event (the app applied it unless `failed`). */
    | { kind: 'applied'; client: string; sessionId: string; seq: number; prevSessionSeq: number; failed: boolean }
    /** The client's applied cursor for a session changed. */
    | { kind: 'cursor'; client: string; sessionId: string; cursor: number }
    /** Pending queue / outbox length of a client changed. */
    | { kind: 'queue'; client: string; length: number }
    /** Out-of-order buffer length of a client's session changed. */
    | { kind: 'buffer'; client: string; sessionId: string; length: number }
    /**
     * A prompt POST left the client, as the network saw it: `attempt` counts the client's POSTs
     * of this clientMsgId so far, `prompt` is the text its body carried, `connectionId` the one
     * it named.
     */
    | {
        kind: 'send-attempt';
        client: string;
        clientMsgId: string;
        sessionId: string;
        attempt: number;
        prompt?: string;
        connectionId?: string | null;
      }
    /**
     * The network's answer to a prompt POST, delivered to the client; `status` is null when the
     * request failed on the way (lost, refused connection, server crash). `attempt` names the POST
     * it answers. A request the page dropped (reload, abort) has no outcome. `retryAfterMs` is the
     * answer's `Retry-After` (in delay-seconds), when it carried one.
     */
    | {
        kind: 'send-outcome';
        client: string;
        clientMsgId: string;
        sessionId: string;
        status: number | null;
        attempt: number;
        retryAfterMs?: number;
      }
    /** The client received a welcome and took this connectionId. */
    | { kind: 'welcome'; client: string; connectionId: string }
    /** A session event frame reached the client over its stream (frames lost on the way never do). */
    | { kind: 'frame-received'; client: string; stream: string; sessionId: string; seq: number }
    /** The server wrote a session event frame to a connection. */
    | { kind: 'frame-sent'; connectionId: string; client: string | null; sessionId: string; seq: number; via: string }
    /** The server handled a reconnect for one session. */
    | {
        kind: 'reconnect-replay';
        connectionId: string;
        client: string | null;
        sessionId: string;
        lastSeq: number;
        replayed: number;
      }
    /** The agent started running a prompt. */
    | { kind: 'agent-run'; sessionId: string; clientMsgId: string; prompt: string }
    /** The app answered a permission request. */
    | { kind: 'permission-answer'; client: string; sessionId: string; requestId: string }
    /** A fault fired. */
    | { kind: 'fault'; fault: string; details: Record<string, unknown> }
    /** The server process ended: by an injected crash or by an error nobody caught. */
    | { kind: 'server-down'; injected: boolean; reason: string }
    | { kind: 'server-up' }
    /** A page reload: the client's memory is gone, its storage kept. */
    | { kind: 'reload'; client: string }
  );

export type HistoryKind = HistoryEntry['kind'];
/** A history entry before the recorder gives it its trace index and time. */
export type HistoryEntryBody = HistoryEntry extends infer E
  ? E extends HistoryEntry
    ? Omit<E, 'index' | 't'>
    : never
  : never;
export type EntryOf<K extends HistoryKind> = Extract<HistoryEntry, { kind: K }>;

export interface PersistedUserMessage {
  seq: number;
  sessionId: string;
  clientMsgId: string;
  prompt: string;
}

export interface ClientEndState {
  client: string;
  /** What the client says of itself (a welcome taken, its stream open). */
  connected: boolean;
  /** The connection id the client is on, if any. */
  connectionId: string | null;
  /**
   * Whether the server's registry holds the connection id the client is on. A client can believe
   * itself connected on an id the server forgot: its events would never arrive.
   */
  serverKnowsConnection: boolean;
  /** Prompts and control messages not yet done (queued or in flight); null when the client does not report it. */
  pendingCount: number | null;
  /**
   * Sessions the client tracks, with its applied cursor (null when it reports none). A client
   * that does not list them tracks the sessions the world asked it to watch.
   */
  sessions: { sessionId: string; cursor: number | null }[];
}

/** What the run's durable and in-memory state looked like at the end of the heal phase. */
export interface EndState {
  /** Every user_message in the store, by seq. */
  userMessages: PersistedUserMessage[];
  /** Every seq of every session in the store, ascending. */
  sessionSeqs: Record<string, number[]>;
  /**
   * Per session, the events up to this seq are old enough that every watcher must have them by
   * the end; later ones may still be on their way. Per session, because a transport may number
   * each session's events on its own. A session absent (or the whole map): every event counts.
   */
  settledSeqs?: Record<string, number>;
  clients: ClientEndState[];
  /** Permission requests still waiting in an agent: {sessionId, requestId}. */
  openPermissionRequests: { sessionId: string; requestId: string }[];
}

/** The transport's own limits, as its protocol profile states them; the bounded properties judge by these. */
export interface HistoryLimits {
  /** Most entries a client's pending queue may hold. */
  maxPendingSends: number;
  /** Most events a session's out-of-order buffer may hold. */
  applyBufferLimit: number;
  /** Most POSTs of one prompt, the first included. */
  sendAttemptBudget: number;
  /** Most events one reconnect may replay per session. */
  reconnectReplayLimit: number;
  /** Replay amplification bound: session frames sent / distinct events needed, per client. */
  replayAmplificationMax: number;
}

/**
 * When a transport's client retries a prompt, as its protocol profile states it; the timing
 * properties (timeliness, retry-after) judge by it. Plain data, so a history stays cloneable.
 */
export interface RetrySchedule {
  /** Wait before the next attempt after 1, 2, ... failures; past the list, `maxDelayMs`. */
  backoffMs: readonly number[];
  /** The longest backoff the client waits between attempts without a `Retry-After`. */
  maxDelayMs: number;
  /** The longest `Retry-After` the client honours; a longer one is waited only this long. */
  retryAfterCapMs: number;
  /** How long an attempt waits for its answer before it counts as failed (and is aborted). */
  sendTimeoutMs: number;
  /**
   * How much later than a `Retry-After` asked a retry may come: a client that waits the larger
   * of its own backoff and the server's ask may be late by up to its longest backoff.
   */
  retryAfterSlackMs: number;
}

/** What the timing properties need to know of the run beyond its entries. */
export interface HistoryTiming {
  /** The transport's retry schedule, or null when its profile states none. */
  retrySchedule: RetrySchedule | null;
  /** How often the server repairs what a client missed. */
  syncIntervalMs: number;
  /** The slowest one-way latency of the run's network. */
  latencyMsMax: number;
}

export interface History {
  entries: HistoryEntry[];
  end: EndState;
  limits: HistoryLimits;
  /** What the run's transport reports beyond the network; a property needing another kind is not checked. */
  observations: readonly ObservationKind[];
  /** The run's timing facts; absent, the timing properties are not checked. */
  timing?: HistoryTiming;
}
