/**
 * Shape checks for the session frames the client takes from the network. Each returns null for
 * a well-formed value and otherwise a short problem naming the offending field, so a malformed
 * frame is reported and dropped instead of throwing inside the delivery path.
 */
import type { SessionEventFrame } from '../protocol.ts';

function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

function describe(value: unknown): string {
  if (value === undefined) return 'undefined';
  const text = JSON.stringify(value) ?? String(value);
  return text.length > 40 ? `${text.slice(0, 40)}...` : text;
}

function recordOf(value: unknown): Record<string, unknown> | null {
  return typeof value === 'object' && value !== null && !Array.isArray(value)
    ? (value as Record<string, unknown>)
    : null;
}

function sessionIdProblem(frame: Record<string, unknown>): string | null {
  if (typeof frame.sessionId !== 'string' || frame.sessionId === '') {
    return `sessionId must be a non-empty string, got ${describe(frame.sessionId)}`;
  }
  return null;
}

/** Checks the fields ordering depends on: sessionId, seq and prevSessionSeq. */
export function sessionEventFrameProblem(value: unknown): string | null {
  const frame = recordOf(value);
  if (!frame) return `frame must be an object, got ${describe(value)}`;
  const idProblem = sessionIdProblem(frame);
  if (idProblem) return idProblem;
  if (!isSeq(frame.seq) || frame.seq === 0) return `seq must be a positive integer, got ${describe(frame.seq)}`;
  if (!isSeq(frame.prevSessionSeq)) {
    return `prevSessionSeq must be a non-negative integer, got ${describe(frame.prevSessionSeq)}`;
  }
  if (frame.prevSessionSeq >= frame.seq) {
    return `prevSessionSeq must be lower than seq, got prevSessionSeq ${frame.prevSessionSeq} and seq ${frame.seq}`;
  }
  return null;
}

export function eventsSkippedFrameProblem(value: unknown): string | null {
  const frame = recordOf(value);
  if (!frame) return `frame must be an object, got ${describe(value)}`;
  const idProblem = sessionIdProblem(frame);
  if (idProblem) return idProblem;
  if (!isSeq(frame.fromSeq)) return `fromSeq must be a non-negative integer, got ${describe(frame.fromSeq)}`;
  if (!isSeq(frame.toSeq)) return `toSeq must be a non-negative integer, got ${describe(frame.toSeq)}`;
  if (frame.fromSeq > frame.toSeq) return `fromSeq must not exceed toSeq, got ${frame.fromSeq} > ${frame.toSeq}`;
  return null;
}

/** Checks a history answer for `sessionId`: the envelope and every event in it. */
export function historyResponseProblem(value: unknown, sessionId: string): string | null {
  const response = recordOf(value);
  if (!response) return `history response must be an object, got ${describe(value)}`;
  if (response.sessionId !== sessionId) {
    return `history response sessionId must be ${describe(sessionId)}, got ${describe(response.sessionId)}`;
  }
  if (!isSeq(response.headSeq))
    return `history response headSeq must be a non-negative integer, got ${describe(response.headSeq)}`;
  if (!Array.isArray(response.events))
    return `history response events must be an array, got ${describe(response.events)}`;
  for (const [index, event] of response.events.entries()) {
    const problem = sessionEventFrameProblem(event);
    if (problem) return `history response events[${index}]: ${problem}`;
    if ((event as SessionEventFrame).sessionId !== sessionId) {
      return `history response events[${index}].sessionId must be ${describe(sessionId)}`;
    }
  }
  return null;
}
