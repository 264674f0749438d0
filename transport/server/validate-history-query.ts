/** Validation of the `GET /api/chat/history` query string. */
import { HISTORY_PAGE_LIMIT } from '../protocol.ts';
import { MAX_ID_LENGTH, reject, type Validated } from './validate-message.ts';

export interface HistoryQuery {
  sessionId: string;
  afterSeq: number;
  /** Already capped at HISTORY_PAGE_LIMIT. */
  limit: number;
  /** Inclusive upper bound, so a client can fetch just the range it is missing. */
  toSeq?: number;
}

const DIGITS = /^\d{1,15}$/;

export function validateHistoryQuery(params: URLSearchParams): Validated<HistoryQuery> {
  const sessionId = params.get('sessionId');
  if (sessionId === null || sessionId.length === 0 || sessionId.length > MAX_ID_LENGTH) {
    return reject('sessionId', `sessionId must be a string of 1 to ${MAX_ID_LENGTH} characters`);
  }
  const afterSeq = readCount(params.get('afterSeq'), 0);
  if (afterSeq === undefined) return reject('afterSeq', 'afterSeq must be a non-negative integer');
  const limit = readCount(params.get('limit'), HISTORY_PAGE_LIMIT);
  if (limit === undefined || limit === 0) return reject('limit', 'limit must be a positive integer');
  const rawToSeq = params.get('toSeq');
  const toSeq = rawToSeq === null ? undefined : readCount(rawToSeq, 0);
  if (rawToSeq !== null && (toSeq === undefined || toSeq <= afterSeq)) {
    return reject('toSeq', 'toSeq must be an integer greater than afterSeq');
  }
  const value: HistoryQuery = { sessionId, afterSeq, limit: Math.min(limit, HISTORY_PAGE_LIMIT) };
  if (toSeq !== undefined) value.toSeq = toSeq;
  return { ok: true, value };
}

function readCount(raw: string | null, fallback: number): number | undefined {
  if (raw === null || raw === '') return fallback;
  return DIGITS.test(raw) ? Number(raw) : undefined;
}
