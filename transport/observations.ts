/**
 * Named log events that production code emits through `env.logger` and that the harness reads
 * to check properties of internal state it cannot see at the network boundary. A production
 * deployment sends them to its log pipeline; the simulator records them in its trace. Each
 * entry names the event and the fields it must carry; components must emit them at the moment
 * the state changes.
 */
import type { Logger } from './env.ts';

export const OBS = {
  // Client side (the logger of one client's env).
  /** The applied cursor of a session changed: {sessionId, cursor}. */
  clientCursor: 'client.cursor',
  /** The app was handed a session event, at debug level: {sessionId, seq, prevSessionSeq}. */
  clientApplied: 'client.applied',
  /** Length of the pending queue (legacy path) or outbox changed: {length}. */
  clientQueueLength: 'client.queue.length',
  /** Length of a session's out-of-order buffer changed: {sessionId, length}. */
  clientBufferLength: 'client.buffer.length',
  /** A prompt POST is about to go out: {clientMsgId, sessionId, attempt, connectionId}. */
  clientSendAttempt: 'client.send.attempt',
  /** `send()` accepted a prompt: {clientMsgId, sessionId, prompt}. */
  clientPromptAccepted: 'client.prompt.accepted',
  /** The answer to a prompt POST: {clientMsgId, sessionId, status (absent without an answer), outcome}. */
  clientSendOutcome: 'client.send.outcome',
  /** A POST of a control message: {messageType, attempt, connectionId}. */
  clientControlAttempt: 'client.control.attempt',

  // Server side (the logger of the server's env).
  /**
   * A session event frame was written to a connection:
   * {connectionId, sessionId, seq, via: 'live'|'sync'|'replay'|'history'}.
   */
  serverFrameSent: 'server.frame.sent',
  /** A live or sync write failed: {connectionId, sessionId, seq, via}. */
  serverFrameFailed: 'server.frame.failed',
  /** The agent started running a prompt: {sessionId, clientMsgId, prompt}. */
  agentRunStart: 'agent.run.start',
  /** A reconnect was handled: {connectionId, sessionId, lastSeq, replayed}. */
  serverReconnect: 'server.reconnect',
  /** A skip of a backlog was announced: {connectionId, sessionId, fromSeq, toSeq}. */
  serverEventsSkipped: 'server.events_skipped',
  /**
   * A stream was closed because its client did not read it (backpressure), at warn level:
   * {connectionId, reason: 'buffer-limit'|'drain-timeout', unreadBytes, ...the limit it passed}.
   */
  serverStreamOverrun: 'server.stream.overrun',
  /** An unexpected error was caught at a boundary: {where, message}. */
  serverError: 'server.error',

  // Either side.
  /** A decision point of the code was reached, at debug level: {name}, one of PROBE's values. */
  probe: 'probe',
} as const;

/**
 * Coverage probes: named decision points of the transport, reached rarely and worth knowing a
 * test reached at all (a timeout fired, a cap was met, a stale answer was refused). Each is
 * reported as an OBS.probe event when reached; a test harness counts them, a production log
 * may ignore them. The list is the whole catalogue, so a harness also knows which were never hit.
 */
export const PROBE = {
  // Client: sending.
  outboxAtCap: 'client.outbox.at-cap',
  outboxReloaded: 'client.outbox.reloaded',
  retryAfterHonoured: 'client.send.retry-after-honoured',
  sendDefinitiveFailure: 'client.send.definitive-failure',
  sendBudgetSpent: 'client.send.budget-spent',
  connectionUnknown: 'client.connection-unknown',
  // Client: the stream.
  concurrentWelcome: 'client.welcome.concurrent',
  welcomeWaitedForHistory: 'client.welcome.waited-for-history',
  staleCallbackRefused: 'client.stale-callback-refused',
  reconnectPostFailed: 'client.reconnect.failed',
  // Client: delivery.
  gapTimeoutFired: 'client.gap.timeout-fired',
  applyBufferFull: 'client.buffer.full',
  applyFailed: 'client.apply.failed',
  historyPageFetched: 'client.history.page-fetched',
  historyFetchFailed: 'client.history.fetch-failed',
  gapReported: 'client.gap.reported',
  // Server.
  skipAnnounced: 'server.sync.skip-announced',
  syncRepairedGap: 'server.sync.repaired-gap',
  liveHeldForGap: 'server.live.held-for-gap',
  replayCapped: 'server.replay.capped',
  staleConnectionRefused: 'server.stale-connection-refused',
  promptDuplicate: 'server.prompt.duplicate',
  promptQueueFull: 'server.prompt.queue-full',
  interruptFailed: 'server.interrupt.failed',
  streamOverrun: 'server.stream.overrun',
} as const;

export type ProbeName = (typeof PROBE)[keyof typeof PROBE];

export const PROBE_NAMES: readonly ProbeName[] = Object.values(PROBE);

/** Reports that a probe's decision point was reached. */
export function hitProbe(logger: Logger, name: ProbeName): void {
  logger.log('debug', OBS.probe, { name });
}
