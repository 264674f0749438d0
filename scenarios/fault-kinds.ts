/**
 * The named fault kinds the simulator can inject. Request faults are decided per request with a
 * probability; timed faults fire at random moments with an expected rate per virtual minute.
 * A kind's effect (sim/faults/request-faults.ts, sim/faults/timed-faults.ts) and its generator rate
 * (generators.ts) sit in tables keyed by these kinds, so a name added here alone does not compile.
 */

export const REQUEST_FAULT_KINDS = [
  /** A POST is answered 404 as if the server had forgotten the connection. */
  'http-404',
  /** A POST is answered 429 with a Retry-After header. */
  'http-429',
  'http-500',
  'http-502',
  'http-503',
  /**
   * A poison prompt: a send POST is answered 400, and so is every later POST of the same
   * clientMsgId, also in the heal phase, since the prompt itself is what the server rejects.
   */
  'http-400',
  /** The request is lost before it reaches the server: the client sees a network error. */
  'request-lost',
  /** The server acts on the request but the response is lost: an ambiguous outcome. */
  'response-lost',
  /**
   * A slow server: the answer to a POST is held back for a drawn time, often past the client's
   * send timeout, so the client gives up on a request the server may already have acted on.
   */
  'slow-response',
  /** A live frame write on the server fails, opening a delivery gap for that watcher. */
  'write-failure',
  /** The app fails to apply a session event (its handler throws). */
  'apply-failure',
  /** The agent's interrupt() rejects. */
  'interrupt-reject',
] as const;

export const TIMED_FAULT_KINDS = [
  /** The server process crashes and restarts after a delay; SQLite is kept, memory is lost. */
  'server-crash',
  /** An SSE stream drops; the client sees an error and reconnects. */
  'stream-drop',
  /** The server side of a stream is gone, the client is told only after a while. */
  'half-open',
  /** The server forgets a connection: its id turns stale and POSTs get 404. */
  'forget-connection',
  /** Network latency jumps for a while. */
  'latency-spike',
  /** A second welcome arrives while a reconnect POST is in flight (two streams close together). */
  'concurrent-welcome',
  /**
   * The answer to a client's next reconnect POST is held back while its stream drops and a new
   * one comes up, so it arrives for a connection that no longer exists (a stale answer).
   */
  'stale-reconnect-answer',
  /** A page reload: the client's memory is lost, its storage kept. */
  'page-reload',
  /** The tab is hidden then shown again (suspend, then a foreground check). */
  'tab-hidden',
  /**
   * A client loses its network for a while (a train tunnel): its streams drop and every request
   * it makes fails until it is back, so prompts pile up and the agent runs on without it.
   */
  'client-offline',
  /**
   * A client stops reading one of its streams for a while (a busy or frozen page, a slow link):
   * what the server writes piles up unread until the client reads again or the server closes
   * the stream for not being drained; then the client reconnects and catches up.
   */
  'slow-reader',
] as const;

export type RequestFaultKind = (typeof REQUEST_FAULT_KINDS)[number];
export type TimedFaultKind = (typeof TIMED_FAULT_KINDS)[number];
export type FaultKind = RequestFaultKind | TimedFaultKind;

export const FAULT_KINDS: readonly FaultKind[] = [...REQUEST_FAULT_KINDS, ...TIMED_FAULT_KINDS];
