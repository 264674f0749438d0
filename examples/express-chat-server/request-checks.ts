/**
 * What every chat POST checks first: the `X-Connection-ID` header names an open stream of ours,
 * and the JSON body has the fields the route reads.
 */
import type { NextFunction, Request, RequestHandler, Response } from 'express';
import type { Connections, OpenStream } from './connections.ts';

/** Puts the caller's stream in `res.locals.stream`; 400 without the header, 404 for an unknown id. */
export function requireConnection(connections: Connections): RequestHandler {
  return (req: Request, res: Response, next: NextFunction) => {
    const id = req.get('x-connection-id');
    if (!id) {
      res.status(400).json({ error: 'missing X-Connection-ID header' });
      return;
    }
    const stream = connections.get(id);
    if (!stream) {
      res.status(404).json({ error: 'unknown connection' });
      return;
    }
    res.locals.stream = stream;
    next();
  };
}

export function callerStream(res: Response): OpenStream {
  return res.locals.stream as OpenStream;
}

type Body = Record<string, unknown>;

export function bodyOf(req: Request): Body {
  const body: unknown = req.body;
  return typeof body === 'object' && body !== null && !Array.isArray(body) ? (body as Body) : {};
}

/** The first of `fields` that is not a non-empty string, as a 400 message; null when all are. */
export function missingStrings(body: Body, fields: readonly string[]): string | null {
  const bad = fields.find((field) => typeof body[field] !== 'string' || body[field] === '');
  return bad === undefined ? null : `${bad} must be a non-empty string`;
}

export function isSeq(value: unknown): value is number {
  return typeof value === 'number' && Number.isSafeInteger(value) && value >= 0;
}

/** The body's `sessionId`, or null after answering 400 when it has none. */
export function sessionIdOrRefuse(req: Request, res: Response): string | null {
  const body = bodyOf(req);
  const problem = missingStrings(body, ['sessionId']);
  if (problem === null) return body.sessionId as string;
  res.status(400).json({ error: problem });
  return null;
}
