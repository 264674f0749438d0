/**
 * The public surface of transport/: what other folders may import from it. Everything else in
 * the folder is internal and may change without notice.
 */
export { EVENT_SOURCE_CLOSED, EVENT_SOURCE_CONNECTING, EVENT_SOURCE_OPEN, MemoryStorage } from './client/browser-io.ts';
export type {
  EventSourceFactory,
  EventSourceLike,
  FetchInit,
  FetchLike,
  FetchResponseLike,
  MessageEventLike,
  StorageLike,
} from './client/browser-io.ts';
export {
  DEFECTS,
  DEFECT_IDS,
  Defects,
  VERSION_NAMES,
  isDefectId,
  isVersionName,
  resolveVersion,
  versionDefectIds,
} from './defects.ts';
export type { DefectId, SendPath, TransportVersion, VersionName } from './defects.ts';
export { CountingIdSource, realEnv, silentLogger } from './env.ts';
export type { Clock, Env, LogLevel, Logger, RandomSource, TimerHandle, Timers } from './env.ts';
export type { HttpRequest, HttpResponse, RequestHandler, StreamResponse, StreamSink } from './http.ts';
export { clientOfVersion } from './legacy/client-of-version.ts';
export { OBS, PROBE_NAMES } from './observations.ts';
export {
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
} from './protocol.ts';
export type { ClientMessage, ClientSignal, ServerFrame, SessionEventFrame } from './protocol.ts';
export { AgentInterruptError, SimulatedAgent } from './server/agent.ts';
export type { Agent, AgentOptions, QueuedPrompts } from './server/agent.ts';
export { ChatServer } from './server/chat-server.ts';
export { EventStore } from './server/event-store.ts';
export { createFakeEnv } from './testing/fake-env.ts';
