/**
 * What a transport may report about itself that the simulator cannot see on its own network.
 * The simulator always knows what crosses the network it owns (every POST with its body and
 * answer, every frame on every stream, welcomes), what the client hands the app, what the store
 * holds at the end and when the server process went down. Everything else is internal state of
 * the client or the server, which only the transport can report, through the `observe` API its
 * factory is handed (docs/observations.md). A property that reads one of these kinds is checked
 * only in a run whose transport declared it reports that kind.
 */
export const OBSERVATION_KINDS = [
  /** A client's applied cursor per session, each time it moves. */
  'cursor',
  /** A client's pending queue (prompts and control messages not yet done), each time it changes. */
  'queue-length',
  /** A client's out-of-order buffer per session, each time it changes. */
  'buffer-length',
  /** How many messages a client still has pending at the end of the run. */
  'pending-count',
  /** Every session event frame the server writes, with the connection and the route it went by. */
  'frames-sent',
  /** Every reconnect the server handled, with how many events it replayed. */
  'reconnect-replays',
  /** Every prompt the agent started running. */
  'agent-runs',
  /** The connections the server knows at the end: reported by a server that can list them (`connectionIds`). */
  'server-connections',
  /** Permission requests an agent still waits on at the end: a server's `openPermissionRequests`. */
  'open-permission-requests',
] as const;

export type ObservationKind = (typeof OBSERVATION_KINDS)[number];

/**
 * What a property may need of a transport's protocol profile rather than of its reports: a
 * profile that does not state it leaves the property not checked, as a missing report does.
 */
const PROFILE_STATEMENTS = [
  /** The client's retry schedule: backoff, longest delay, Retry-After cap and slack, send timeout. */
  'retry-schedule',
] as const;

export type ProfileStatement = (typeof PROFILE_STATEMENTS)[number];

/** Anything a property may need beyond what the simulator sees itself. */
export type Need = ObservationKind | ProfileStatement;

export function isObservationKind(value: unknown): value is ObservationKind {
  return typeof value === 'string' && (OBSERVATION_KINDS as readonly string[]).includes(value);
}
