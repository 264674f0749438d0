/**
 * A chat server as an Express app: browsers follow sessions over Server-Sent Events and post
 * prompts and controls as JSON, every message is kept in SQLite, and a small echo agent answers
 * each prompt over a few steps. Its wire is the one ssesim's bundled browser client speaks
 * (`/api/chat/events`, `/api/chat/<action>` with `X-Connection-ID`, `/api/chat/history`), so that
 * client works against it unchanged. It has two known bugs, each described in the file where it
 * lives: chat-store.ts (#1) and prompt-routes.ts (#2).
 *
 * Everything the app needs from outside comes in `deps` (chat-deps.ts): in production
 *
 *   const db = new Database('chat.db');
 *   const chat = createChatApp({ db, now: Date.now, setTimeout, clearTimeout, setInterval,
 *     clearInterval, newId: (prefix) => `${prefix}-${crypto.randomUUID()}` });
 *   http.createServer(chat.app).listen(3000);
 */
import express, { type Express, type NextFunction, type Request, type Response } from 'express';
import type { ChatContext } from './chat-context.ts';
import type { ChatDeps } from './chat-deps.ts';
import { createChatStore } from './chat-store.ts';
import { createConnections } from './connections.ts';
import { createEchoAgent } from './echo-agent.ts';
import { migrate } from './migrations.ts';
import { promptRoutes } from './prompt-routes.ts';
import { sessionRoutes } from './session-routes.ts';
import { streamRoutes } from './stream-routes.ts';

export type { ChatDeps } from './chat-deps.ts';

/** A comment line on every open stream this often, so proxies do not close idle ones. */
const HEARTBEAT_INTERVAL_MS = 30_000;
const MAX_BODY = '256kb';

export interface ChatApp {
  /** The Express app: a Node request listener for `http.createServer`. */
  app: Express;
  /** The ids of the event streams open now. */
  connectionIds(): string[];
  /** Graceful shutdown: ends every stream and stops the agent's and the heartbeat's timers. */
  close(): void;
}

/** Body-parser errors carry their status (400 bad JSON, 413 too large); anything else is ours. */
function jsonErrors(error: unknown, _req: Request, res: Response, next: NextFunction): void {
  if (res.headersSent) return next(error);
  const status = (error as { status?: unknown }).status;
  const code = typeof status === 'number' && status >= 400 && status < 500 ? status : 500;
  res.status(code).json({ error: code === 500 ? 'internal error' : String((error as Error).message) });
}

export function createChatApp(deps: ChatDeps): ChatApp {
  migrate(deps.db);
  const store = createChatStore(deps.db, () => deps.now());
  const connections = createConnections(deps);
  const publish: ChatContext['publish'] = (sessionId, kind, body) => {
    const message = store.append(sessionId, kind, body);
    connections.broadcast(message);
    return message;
  };
  const agent = createEchoAgent(deps, publish);
  const ctx: ChatContext = { deps, store, connections, agent, publish };

  const app = express();
  app.disable('x-powered-by');
  app.use(express.json({ limit: MAX_BODY }));
  app.use('/api/chat', streamRoutes(ctx), promptRoutes(ctx), sessionRoutes(ctx));
  app.use(jsonErrors);

  const heartbeat = deps.setInterval(() => connections.heartbeat(), HEARTBEAT_INTERVAL_MS);
  return {
    app,
    connectionIds: () => connections.ids(),
    close() {
      deps.clearInterval(heartbeat);
      agent.stopAll();
      connections.endAll();
    },
  };
}
