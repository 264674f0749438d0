/**
 * The Express chat server (app.ts) under ssesim, with ssesim's bundled browser client: the
 * transport module `npx ssesim fuzz --transport examples/express-chat-server/transport.ts` runs.
 * Only the package's public API is used; `'../../index.ts'` is what a project writes as `'ssesim'`.
 *
 * `nodeServer` runs the app's request listener on the simulated network. Each start of the
 * simulated process builds the app as production does, over the run's SQLite file, with the
 * incarnation's clock, timers and ids for its `deps`; a crash drops the app and closes its
 * database handle (`release`), and the next start migrates and opens the same file again. The
 * end state is read through the app's own reader of its schema (`createStore`).
 *
 * The app can list its open streams (`connectionIds`) but cannot forget a connection, does not
 * consult the injector when interrupting and does not list open permission requests: the
 * `forget-connection` and `interrupt-reject` faults are not applicable to it, and liveness is not
 * checked. The app's own log lines of the frames it sent, the reconnects it replayed and the
 * prompts its agent ran (README.md) become `observe` reports; the bundled client reports its own.
 */
import Database from 'better-sqlite3';
import {
  bundledTransport,
  nodeServer,
  type Env,
  type NodeServerApp,
  type NodeServerStart,
  type ServerObserver,
  type TransportFactory,
} from '../../index.ts';
import { createChatApp, type ChatDeps } from './app.ts';
import { openChatStoreReader } from './chat-store-reader.ts';

type TimerHandle = Parameters<Env['timers']['clearTimeout']>[0];

type LogData = Record<string, unknown>;

/** The app's log events that are observations (README.md), as `observe` calls. */
const REPORTS: Record<string, (observe: ServerObserver, data: LogData) => void> = {
  'frame.sent': (observe, data) =>
    observe.frameSent({
      connectionId: String(data.connectionId),
      sessionId: String(data.sessionId),
      seq: Number(data.seq),
      via: String(data.via),
    }),
  'reconnect.replayed': (observe, data) =>
    observe.reconnectReplayed({
      connectionId: String(data.connectionId),
      sessionId: String(data.sessionId),
      lastSeq: Number(data.lastSeq),
      replayed: Number(data.replayed),
    }),
  'agent.run.started': (observe, data) =>
    observe.agentRunStarted({
      sessionId: String(data.sessionId),
      clientMsgId: String(data.clientMsgId),
      prompt: String(data.prompt),
    }),
};

/** The app's deps from one incarnation's injected environment; its log lines go to the trace or to `observe`. */
function chatDepsOf({ env, observe }: Pick<NodeServerStart, 'env' | 'observe'>, db: Database.Database): ChatDeps {
  return {
    db,
    now: () => env.clock.now(),
    setTimeout: (fn, ms) => env.timers.setTimeout(fn, ms),
    clearTimeout: (handle) => env.timers.clearTimeout(handle as TimerHandle),
    setInterval: (fn, ms) => env.timers.setInterval(fn, ms),
    clearInterval: (handle) => env.timers.clearInterval(handle as TimerHandle),
    newId: (prefix) => env.ids.next(prefix),
    log: (event, data) => {
      const report = REPORTS[event];
      if (report) report(observe, data);
      else env.logger.log('info', event, data);
    },
  };
}

/** One process start: the app over the run's file, as `http.createServer(chat.app)` would serve it. */
function startChatServer({ env, dbPath, observe }: NodeServerStart): NodeServerApp {
  const db = new Database(dbPath);
  const chat = createChatApp(chatDepsOf({ env, observe }, db));
  return {
    listener: chat.app,
    release: () => db.close(),
    capabilities: { connectionIds: () => chat.connectionIds() },
  };
}

const expressChatServer: TransportFactory = {
  name: 'express-chat-server',
  // What the bundled client reports, and what the app logs of the frames it sent and the prompts it ran.
  observations: [
    'cursor',
    'queue-length',
    'buffer-length',
    'pending-count',
    'frames-sent',
    'reconnect-replays',
    'agent-runs',
  ],
  createStore: (_env, path) => openChatStoreReader(path),
  createServer: nodeServer(startChatServer),
  createClient: (env, io, version) => bundledTransport.createClient(env, io, version),
};

export default expressChatServer;
