/**
 * What each request fault does to the one request, frame or call it hits. The table covers every
 * kind of scenarios/fault-kinds.ts, so a kind named there without its effect here does not compile.
 * Which requests a kind may hit, and in which order kinds are tried (an order of random draws), is
 * up to the caller that decides it: network-fault-policy.ts for requests and frames, the world for
 * applies and interrupts.
 */
import type { RequestFaultKind } from '../../scenarios/index.ts';
import type { Rng } from '../core/index.ts';
import type { FrameFaultDecision, RequestFaultDecision } from '../net/index.ts';

export const RETRY_AFTER_S = { min: 1, max: 5 } as const;
/**
 * How long a slow server holds a POST's answer: up to twice the bundled client's 15 s send
 * timeout, so about half the holds outlast it and the client's timeout path runs.
 */
export const SLOW_RESPONSE_HOLD_MS = { min: 1000, max: 30_000 } as const;

export type RequestFaultEffect =
  /** One POST or GET: answered in the server's place, or lost on the way there or back. */
  | { readonly hits: 'request'; readonly decision: (rng: Rng) => RequestFaultDecision }
  /** One live frame the server writes: the write fails. */
  | { readonly hits: 'frame'; readonly decision: FrameFaultDecision }
  /** One event the app applies: its handler throws (sim/world/user-actor.ts). */
  | { readonly hits: 'apply' }
  /** One interrupt: the agent's interrupt() rejects (fault-injected-agent.ts). */
  | { readonly hits: 'interrupt' };

export type RequestFaultEffects = Record<RequestFaultKind, RequestFaultEffect>;

/** Every later POST of a poison prompt gets this answer too, in any phase. */
export const POISON_PROMPT_ANSWER: RequestFaultDecision = {
  action: 'respond',
  status: 400,
  body: JSON.stringify({ error: 'prompt rejected' }),
};

function refusal(status: number, error: string, headers?: Record<string, string>): RequestFaultDecision {
  return { action: 'respond', status, ...(headers ? { headers } : {}), body: JSON.stringify({ error }) };
}

function rateLimited(rng: Rng): RequestFaultDecision {
  const retryAfterS = rng.intBetween(RETRY_AFTER_S.min, RETRY_AFTER_S.max);
  return {
    action: 'respond',
    status: 429,
    headers: { 'retry-after': String(retryAfterS) },
    body: JSON.stringify({ error: 'rate limited' }),
  };
}

/** A server that is down for a while may say when to come back, or may not: half its 503s do. */
function unavailable(rng: Rng): RequestFaultDecision {
  if (!rng.chance(1, 2)) return refusal(503, 'http-503');
  const retryAfterS = rng.intBetween(RETRY_AFTER_S.min, RETRY_AFTER_S.max);
  return refusal(503, 'http-503', { 'retry-after': String(retryAfterS) });
}

function slowResponse(rng: Rng): RequestFaultDecision {
  return { action: 'hold-response', holdMs: rng.intBetween(SLOW_RESPONSE_HOLD_MS.min, SLOW_RESPONSE_HOLD_MS.max) };
}

export const REQUEST_FAULT_EFFECTS = {
  'http-404': { hits: 'request', decision: () => refusal(404, 'unknown connection') },
  'http-429': { hits: 'request', decision: rateLimited },
  'http-500': { hits: 'request', decision: () => refusal(500, 'http-500') },
  'http-502': { hits: 'request', decision: () => refusal(502, 'http-502') },
  'http-503': { hits: 'request', decision: unavailable },
  'http-400': { hits: 'request', decision: () => POISON_PROMPT_ANSWER },
  'request-lost': { hits: 'request', decision: (): RequestFaultDecision => ({ action: 'drop' }) },
  'response-lost': { hits: 'request', decision: (): RequestFaultDecision => ({ action: 'lose-response' }) },
  'slow-response': { hits: 'request', decision: slowResponse },
  'write-failure': { hits: 'frame', decision: { action: 'fail' } },
  'apply-failure': { hits: 'apply' },
  'interrupt-reject': { hits: 'interrupt' },
} as const satisfies RequestFaultEffects;

/** The kinds whose effect is a network decision on a request: the only ones a request is tried against. */
export type NetworkRequestFaultKind = {
  [K in RequestFaultKind]: (typeof REQUEST_FAULT_EFFECTS)[K]['hits'] extends 'request' ? K : never;
}[RequestFaultKind];
