/**
 * The client side of `GET /api/chat/history`: fetches the events of a session after a seq and
 * checks the answer's shape, so AppliedDelivery only ever sees well-formed pages. Every failure
 * (bad arguments, network, status, body) is a rejection with an Error that says what was wrong.
 */
import type { FetchLike } from './browser-io.ts';
import { CONNECTION_HEADER, HISTORY_PATH, type HistoryResponse } from '../protocol.ts';
import { historyResponseProblem } from './validate-frame.ts';

/** `toSeq` bounds the page to the range the caller is missing (inclusive). */
export type HistoryFetcher = (
  sessionId: string,
  afterSeq: number,
  limit: number,
  toSeq?: number,
) => Promise<HistoryResponse>;

function argumentProblem(sessionId: unknown, afterSeq: unknown, limit: unknown): string | null {
  if (typeof sessionId !== 'string' || sessionId === '') return 'sessionId must be a non-empty string';
  if (typeof afterSeq !== 'number' || !Number.isSafeInteger(afterSeq) || afterSeq < 0) {
    return `afterSeq must be a non-negative integer, got ${String(afterSeq)}`;
  }
  if (typeof limit !== 'number' || !Number.isSafeInteger(limit) || limit < 1) {
    return `limit must be a positive integer, got ${String(limit)}`;
  }
  return null;
}

export function historyUrl(
  baseUrl: string,
  sessionId: string,
  afterSeq: number,
  limit: number,
  toSeq?: number,
): string {
  const query = new URLSearchParams({ sessionId, afterSeq: String(afterSeq), limit: String(limit) });
  if (toSeq !== undefined) query.set('toSeq', String(toSeq));
  return `${baseUrl}${HISTORY_PATH}?${query.toString()}`;
}

/**
 * `connectionId` names the stream this client currently holds: the server then counts the page as
 * delivered to it and its sync does not send the same events again over the stream.
 */
export function createHistoryFetcher(
  fetch: FetchLike,
  baseUrl: string,
  connectionId: () => string | null = () => null,
): HistoryFetcher {
  return async (sessionId, afterSeq, limit, toSeq) => {
    const problem = argumentProblem(sessionId, afterSeq, limit);
    if (problem) throw new Error(`history request: ${problem}`);
    const current = connectionId();
    const headers: Record<string, string> = { accept: 'application/json' };
    if (current) headers[CONNECTION_HEADER] = current;
    const response = await fetch(historyUrl(baseUrl, sessionId, afterSeq, limit, toSeq), { method: 'GET', headers });
    if (!response.ok) throw new Error(`history request for ${sessionId} failed with status ${response.status}`);
    let body: unknown;
    try {
      body = await response.json();
    } catch (error) {
      throw new Error(
        `history response for ${sessionId} is not JSON: ${error instanceof Error ? error.message : String(error)}`,
      );
    }
    const shapeProblem = historyResponseProblem(body, sessionId);
    if (shapeProblem) throw new Error(shapeProblem);
    return body as HistoryResponse;
  };
}
