/**
 * Turns the data of one SSE frame into a ServerFrame, or a problem naming what is wrong, so a
 * malformed or unknown frame becomes an `error` signal instead of an exception in a callback.
 */
import type { ServerFrame } from '../protocol.ts';
import { eventsSkippedFrameProblem, sessionEventFrameProblem } from './validate-frame.ts';

export type ParsedFrame = { ok: true; frame: ServerFrame } | { ok: false; problem: string };

function welcomeProblem(frame: Record<string, unknown>): string | null {
  if (typeof frame.connectionId !== 'string' || frame.connectionId === '')
    return 'welcome.connectionId must be a non-empty string';
  return null;
}

function reconnectedProblem(frame: Record<string, unknown>): string | null {
  if (!Array.isArray(frame.sessions)) return 'reconnected.sessions must be an array';
  for (const [index, entry] of frame.sessions.entries()) {
    const session = entry as { sessionId?: unknown; replayed?: unknown } | null;
    if (typeof session?.sessionId !== 'string' || typeof session.replayed !== 'number') {
      return `reconnected.sessions[${index}] must be {sessionId: string, replayed: number}`;
    }
  }
  return null;
}

function frameProblem(frame: Record<string, unknown>): string | null {
  switch (frame.type) {
    case 'welcome':
      return welcomeProblem(frame);
    case 'session_event':
      return sessionEventFrameProblem(frame);
    case 'events_skipped':
      return eventsSkippedFrameProblem(frame);
    case 'reconnected':
      return reconnectedProblem(frame);
    default:
      return `unknown frame type ${JSON.stringify(frame.type) ?? 'undefined'}`;
  }
}

export function parseServerFrame(data: string): ParsedFrame {
  let value: unknown;
  try {
    value = JSON.parse(data);
  } catch {
    return { ok: false, problem: `frame data is not JSON: ${data.slice(0, 60)}` };
  }
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return { ok: false, problem: 'frame must be a JSON object' };
  const problem = frameProblem(value as Record<string, unknown>);
  return problem === null ? { ok: true, frame: value as ServerFrame } : { ok: false, problem };
}
