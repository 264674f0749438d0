/**
 * The POSTs that say which sessions a stream follows (`watch`, `unwatch`, `switch`, `reconnect`)
 * and the session controls this app accepts but has nothing to do for (the echo agent has no
 * modes, never asks permission, and sessions are never suspended or closed).
 */
import express, { type Response, type Router } from 'express';
import type { ChatContext } from './chat-context.ts';
import { bodyOf, callerStream, isSeq, missingStrings, requireConnection, sessionIdOrRefuse } from './request-checks.ts';
import { replaySession } from './replay.ts';

const ACKNOWLEDGED: Record<string, readonly string[]> = {
  mode: ['sessionId', 'mode'],
  suspend: ['sessionId'],
  close: ['sessionId'],
  permission: ['sessionId', 'requestId'],
};

function refuse(res: Response, problem: string): void {
  res.status(400).json({ error: problem });
}

/** `[{sessionId, lastSeq}]` from a reconnect body, or a problem naming the bad entry. */
function reconnectSessions(body: Record<string, unknown>): { sessionId: string; lastSeq: number }[] | string {
  if (!Array.isArray(body.sessions)) return 'sessions must be an array';
  for (const [index, entry] of (body.sessions as unknown[]).entries()) {
    const session = entry as { sessionId?: unknown; lastSeq?: unknown } | null;
    if (typeof session?.sessionId !== 'string' || session.sessionId === '' || !isSeq(session.lastSeq))
      return `sessions[${index}] must be {sessionId: string, lastSeq: integer >= 0}`;
  }
  return body.sessions as { sessionId: string; lastSeq: number }[];
}

export function sessionRoutes(ctx: ChatContext): Router {
  const router = express.Router();
  const connected = requireConnection(ctx.connections);
  const { store, connections } = ctx;

  router.post('/watch', connected, (req, res) => {
    const sessionId = sessionIdOrRefuse(req, res);
    if (sessionId === null) return;
    const body = bodyOf(req);
    // Without a cursor the browser has the session already: from here on, live only.
    const lastSeq = isSeq(body.lastSeq) ? body.lastSeq : store.headSeq(sessionId);
    replaySession(store, connections, callerStream(res), sessionId, lastSeq, 'watch');
    res.json({ ok: true });
  });

  router.post('/switch', connected, (req, res) => {
    const sessionId = sessionIdOrRefuse(req, res);
    if (sessionId === null) return;
    const stream = callerStream(res);
    if (!stream.cursors.has(sessionId)) stream.cursors.set(sessionId, store.headSeq(sessionId));
    res.json({ ok: true });
  });

  router.post('/unwatch', connected, (req, res) => {
    const sessionId = sessionIdOrRefuse(req, res);
    if (sessionId === null) return;
    callerStream(res).cursors.delete(sessionId);
    res.json({ ok: true });
  });

  router.post('/reconnect', connected, (req, res) => {
    const sessions = reconnectSessions(bodyOf(req));
    if (typeof sessions === 'string') return refuse(res, sessions);
    const stream = callerStream(res);
    const replayedBySession = sessions.map(({ sessionId, lastSeq }) => {
      const replayed = replaySession(store, connections, stream, sessionId, lastSeq, 'replay');
      ctx.deps.log?.('reconnect.replayed', { connectionId: stream.id, sessionId, lastSeq, replayed });
      return { sessionId, replayed };
    });
    connections.sendControl(stream, { type: 'reconnected', sessions: replayedBySession });
    res.json({ ok: true });
  });

  for (const [endpoint, fields] of Object.entries(ACKNOWLEDGED)) {
    router.post(`/${endpoint}`, connected, (req, res) => {
      const problem = missingStrings(bodyOf(req), fields);
      if (problem) return refuse(res, problem);
      res.json({ ok: true });
    });
  }

  return router;
}
