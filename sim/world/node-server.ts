/**
 * A user's own Node server as the simulator's server: each start of the simulated process calls
 * the user's `start` with that incarnation's environment and the run's SQLite file, and the app it
 * returns answers the network through its request listener (node-listener.ts). A crash discards
 * the app: the host drops every reference and calls `release()`, as the OS closes a dead
 * process's files; the next start calls `start` again over the same file. What the server can
 * additionally do for the fault injector and the end state is optional (its `capabilities`); a
 * fault that needs one it lacks is not applicable to it and never drawn.
 */
import type { Env } from '../../transport/index.ts';
import { listenerHandler, type NodeRequestListener } from './node-listener.ts';
import type { ServerLike, ServerObserver, TransportFactory } from './transport-factory.ts';

/** What one incarnation (process start) of the user's server is given. */
export interface NodeServerStart {
  /** This incarnation's injected clock, timers, ids, randomness and logger; its timers die with it on a crash. */
  env: Env;
  /** The run's SQLite file: the same path on every start within one run. */
  dbPath: string;
  /** Optional reports (docs/observations.md): frameSent, reconnectReplayed, agentRunStarted. */
  observe: ServerObserver;
  /** The fault injector's decision whether interrupting this session's agent run fails (capability `interrupts`). */
  interruptFails(sessionId: string): boolean;
}

/** The user's server app as one start built it. */
export interface NodeServerApp {
  listener: NodeRequestListener;
  /**
   * What the OS does to a dying process's files (close the database handle); called after a crash
   * and when the run's world is torn down, never a graceful stop.
   */
  release?(): void;
  /** What the server can additionally do for the fault injector and the end state; each is optional. */
  capabilities?: {
    /** Forget a connection as a restarted load balancer or an evicting registry would (fault `forget-connection`). */
    forgetConnection?(connectionId: string): boolean;
    connectionIds?(): string[];
    /** Permission requests an agent is still waiting on (end state for liveness). */
    openPermissionRequests?(): { sessionId: string; requestId: string }[];
    /** The server consults `interruptFails` when it interrupts an agent run (fault `interrupt-reject`). */
    interrupts?: true;
  };
}

/** The createServer functions nodeServer built: their runs keep the database in a file the app opens. */
const NODE_SERVERS = new WeakSet<object>();

/** Whether a factory's server opens the run's database by its path (so it cannot live in memory). */
export function opensStoreByPath(factory: TransportFactory): boolean {
  return NODE_SERVERS.has(factory.createServer);
}

/** Builds `TransportFactory.createServer` from a start function: each (re)start calls `start`. */
export function nodeServer(start: (ctx: NodeServerStart) => NodeServerApp): TransportFactory['createServer'] {
  const createServer: TransportFactory['createServer'] = (env, _store, _version, _agent, hooks) => {
    const app = start({
      env,
      dbPath: hooks.dbPath,
      observe: hooks.observe,
      interruptFails: (sessionId) => hooks.interruptFails(sessionId),
    });
    if (typeof app?.listener !== 'function')
      throw new TypeError('nodeServer: start() must return { listener } with a request listener function');
    return serverOf(app, env);
  };
  NODE_SERVERS.add(createServer);
  return createServer;
}

function serverOf(app: NodeServerApp, env: Env): ServerLike {
  const capabilities = app.capabilities ?? {};
  const { forgetConnection, connectionIds, openPermissionRequests } = capabilities;
  return {
    // The listener's own work settles within the step that ran it; a zero-delay timer of this
    // incarnation runs after that, in virtual time, and dies with the process.
    handle: listenerHandler(app.listener, { afterMicrotasks: (check) => void env.timers.setTimeout(check, 0) }),
    start: () => {},
    ...(app.release ? { release: () => app.release?.() } : {}),
    ...(forgetConnection ? { forgetConnection: (id: string) => forgetConnection.call(capabilities, id) } : {}),
    ...(connectionIds ? { connectionIds: () => connectionIds.call(capabilities) } : {}),
    ...(openPermissionRequests ? { openPermissionRequests: () => openPermissionRequests.call(capabilities) } : {}),
    ...(capabilities.interrupts === true ? { interrupts: true } : {}),
  };
}
