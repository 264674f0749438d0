/**
 * Named log events that production code emits through `env.logger` and that the harness reads
 * to check properties of internal state it cannot see at the network boundary. A production
 * deployment sends them to its log pipeline; the simulator records them in its trace. Each
 * entry names the event and the fields it must carry; components must emit them at the moment
 * the state changes.
 */
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
} as const;
