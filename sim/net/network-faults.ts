/**
 * The fault policy of the simulated network: one object consulted at exactly two points, once
 * per request (POST, GET or EventSource connect) and once per frame a server writes to a
 * stream. Decisions are plain data so a run's faults can be recorded and replayed.
 */
import type { HttpRequest } from '../../transport/index.ts';

export type RequestChannel = 'fetch' | 'event-source';

export interface RequestFaultContext {
  requestId: string;
  clientId: string;
  channel: RequestChannel;
  request: HttpRequest;
}

export type RequestFaultDecision =
  | { action: 'pass' }
  /** Lost before the server: the client sees a network error. */
  | { action: 'drop' }
  /** Answered by the network itself (a proxy, a stale load balancer); the server never sees it. */
  | { action: 'respond'; status: number; headers?: Record<string, string>; body?: string }
  /** The server handles the request, the client gets a network error: an ambiguous outcome. */
  | { action: 'lose-response' }
  /** Passes, with this much extra latency on the way to the server. */
  | { action: 'delay'; delayMs: number }
  /** The server handles the request at once; its answer is held back this long on the way back. */
  | { action: 'hold-response'; holdMs: number };

export interface FrameFaultContext {
  streamId: string;
  clientId: string;
  chunk: string;
}

/** `fail` makes the server's `sink.write` return false; the frame is not delivered. */
export type FrameFaultDecision = { action: 'pass' } | { action: 'fail' };

export interface NetworkFaults {
  onRequest(context: RequestFaultContext): RequestFaultDecision;
  onFrame(context: FrameFaultContext): FrameFaultDecision;
}

export const NO_NETWORK_FAULTS: NetworkFaults = {
  onRequest: () => ({ action: 'pass' }),
  onFrame: () => ({ action: 'pass' }),
};
