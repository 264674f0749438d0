/**
 * `POST /api/chat/send` and the two ways to cut an answer short (`stop`, `interrupt`). A prompt is
 * stored as a `user_message`, handed to the agent and answered 202 with a receipt naming its seq.
 *
 * Post-mortem, known bug #2: a retried prompt is stored and answered twice.
 * The browser retries a prompt whose POST failed with the same `clientMsgId`, and this route is
 * meant to answer such a retry with the first receipt instead of storing the prompt again. The
 * receipts were kept on the connection's entry (`stream.prompts`) because that was the object the
 * handler had at hand, and it is freed with the stream, so no table grows forever. But a POST
 * whose response is lost has usually been lost to the same network trouble that dropped the event
 * stream, and a stream that is gone takes its connection id with it: the retry on the old id gets
 * 404, the browser opens a new stream and retries on the new id. The new connection has never seen
 * the id, so the prompt is stored a second time and the agent answers it twice. A retry on the
 * same connection (the only case the tests tried) is deduplicated. ssesim shows it with
 * `response-lost` together with any fault that replaces the stream (`stream-drop`,
 * `client-offline`, `server-crash`): the prompt is persisted more than once (no-silent-loss) and
 * run twice (at-most-once). The fix is to look the id up in the `messages` table, which survives
 * both reconnects and restarts.
 */
import express, { type Router } from 'express';
import type { ChatContext } from './chat-context.ts';
import type { SendReceipt } from './connections.ts';
import { bodyOf, callerStream, missingStrings, requireConnection, sessionIdOrRefuse } from './request-checks.ts';

const SEND_FIELDS = ['sessionId', 'clientMsgId'] as const;

export function promptRoutes(ctx: ChatContext): Router {
  const router = express.Router();
  const connected = requireConnection(ctx.connections);

  router.post('/send', connected, (req, res) => {
    const body = bodyOf(req);
    const problem =
      missingStrings(body, SEND_FIELDS) ?? (typeof body.prompt === 'string' ? null : 'prompt must be a string');
    if (problem) {
      res.status(400).json({ error: problem });
      return;
    }
    const stream = callerStream(res);
    const sessionId = body.sessionId as string;
    const clientMsgId = body.clientMsgId as string;
    const prompt = body.prompt as string;
    const earlier = stream.prompts.get(clientMsgId);
    if (earlier) {
      if (earlier.sessionId === sessionId && earlier.prompt === prompt) res.status(202).json(earlier.receipt);
      else res.status(409).json({ error: `clientMsgId ${clientMsgId} was used for another prompt` });
      return;
    }
    const stored = ctx.publish(sessionId, 'user_message', { clientMsgId, prompt });
    ctx.agent.enqueue(sessionId, { clientMsgId, prompt });
    const receipt: SendReceipt = { accepted: true, clientMsgId, sessionId, seq: stored.seq };
    stream.prompts.set(clientMsgId, { sessionId, prompt, receipt });
    res.status(202).json(receipt);
  });

  router.post('/interrupt', connected, (req, res) => {
    const sessionId = sessionIdOrRefuse(req, res);
    if (sessionId === null) return;
    ctx.agent.interrupt(sessionId, false);
    res.status(202).json({ ok: true });
  });

  router.post('/stop', connected, (req, res) => {
    const sessionId = sessionIdOrRefuse(req, res);
    if (sessionId === null) return;
    ctx.agent.interrupt(sessionId, true);
    res.json({ ok: true });
  });

  return router;
}
