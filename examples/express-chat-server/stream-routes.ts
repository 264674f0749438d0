/**
 * The reading side: `GET /api/chat/events`, the Server-Sent Events stream that starts with a
 * welcome naming the connection, and `GET /api/chat/history`, the pages a browser fetches when it
 * noticed a hole or was told a range was skipped.
 */
import express, { type Request, type Response, type Router } from 'express';
import type { ChatContext } from './chat-context.ts';
import { sessionEventFrame } from './connections.ts';

export const HISTORY_PAGE_LIMIT = 200;

function intParam(value: unknown, fallback: number | undefined): number | undefined | null {
  if (value === undefined) return fallback;
  const n = typeof value === 'string' && /^\d+$/.test(value) ? Number(value) : NaN;
  return Number.isSafeInteger(n) ? n : null;
}

function history(ctx: ChatContext, req: Request, res: Response): void {
  const stream = ctx.connections.get(req.get('x-connection-id') ?? '');
  const sessionId = typeof req.query.sessionId === 'string' ? req.query.sessionId : '';
  // Only a stream that watches the session may read it; anything else looks like an unknown id.
  if (!stream || !stream.cursors.has(sessionId)) {
    res.status(404).json({ error: 'unknown connection or session' });
    return;
  }
  const afterSeq = intParam(req.query.afterSeq, 0);
  const limit = intParam(req.query.limit, HISTORY_PAGE_LIMIT);
  const toSeq = intParam(req.query.toSeq, undefined);
  if (afterSeq == null || limit == null || limit < 1 || toSeq === null) {
    res.status(400).json({ error: 'afterSeq, limit and toSeq must be non-negative integers (limit >= 1)' });
    return;
  }
  const page = ctx.store.messagesAfter(sessionId, afterSeq, Math.min(limit, HISTORY_PAGE_LIMIT), toSeq);
  for (const message of page) {
    ctx.deps.log?.('frame.sent', { connectionId: stream.id, sessionId, seq: message.seq, via: 'history' });
    stream.cursors.set(sessionId, Math.max(stream.cursors.get(sessionId)!, message.seq));
  }
  res.json({ sessionId, events: page.map(sessionEventFrame), headSeq: ctx.store.headSeq(sessionId) });
}

export function streamRoutes(ctx: ChatContext): Router {
  const router = express.Router();

  router.get('/events', (req, res) => {
    res.writeHead(200, {
      'content-type': 'text/event-stream',
      'cache-control': 'no-cache',
      connection: 'keep-alive',
    });
    const stream = ctx.connections.open(res);
    ctx.deps.log?.('stream.opened', { connectionId: stream.id });
    req.on('close', () => {
      ctx.connections.close(stream);
      ctx.deps.log?.('stream.closed', { connectionId: stream.id });
    });
  });

  router.get('/history', (req, res) => history(ctx, req, res));

  return router;
}
