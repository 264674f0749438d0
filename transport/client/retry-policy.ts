/**
 * When a failed POST is worth repeating and how long to wait first. Transient: the network, a
 * missing answer, 404 (the connection id went stale), 429 and 5xx. Anything else the server
 * refused on purpose and repeating it cannot help.
 */
import {
  RETRY_AFTER_CAP_MS,
  SEND_ATTEMPT_BUDGET,
  SEND_BACKOFF_CAP_MS,
  SEND_BACKOFF_MS,
  type SendReceipt,
} from '../protocol.ts';
import type { PostOutcome } from './post-outcome.ts';

export type FailureClass = 'transient' | 'definitive';

function isTransientStatus(status: number): boolean {
  return status === 404 || status === 429 || status >= 500;
}

/** Classifies a POST that did not succeed (a 2xx whose receipt does not match counts as transient). */
export function classifyFailure(outcome: PostOutcome): FailureClass {
  if (outcome.kind === 'http-error') return isTransientStatus(outcome.status) ? 'transient' : 'definitive';
  return 'transient';
}

/** Wait before the next attempt after `failedAttempts` failures: 1 s, 2 s, 4 s, 8 s, then 10 s. */
function backoffDelayMs(failedAttempts: number): number {
  const index = Math.max(0, Math.floor(failedAttempts) - 1);
  return index < SEND_BACKOFF_MS.length ? SEND_BACKOFF_MS[index]! : SEND_BACKOFF_CAP_MS;
}

/** Backoff, or the server's `Retry-After` when it asks for longer. */
export function retryDelayMs(failedAttempts: number, outcome: PostOutcome): number {
  const backoffMs = backoffDelayMs(failedAttempts);
  if (outcome.kind !== 'http-error' || outcome.retryAfterMs === undefined) return backoffMs;
  return Math.max(backoffMs, Math.min(outcome.retryAfterMs, RETRY_AFTER_CAP_MS));
}

export function budgetSpent(attempts: number): boolean {
  return attempts >= SEND_ATTEMPT_BUDGET;
}

/** The server's receipt for exactly this prompt. */
export function isMatchingReceipt(body: unknown, clientMsgId: string): body is SendReceipt {
  if (typeof body !== 'object' || body === null) return false;
  const receipt = body as Partial<SendReceipt>;
  return receipt.accepted === true && receipt.clientMsgId === clientMsgId && typeof receipt.seq === 'number';
}
