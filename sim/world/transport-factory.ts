/**
 * How the world builds the system under test. The default factory builds the real transport
 * classes; another implementation of the same contract (a third-party server or client) plugs in
 * by providing its own factory, and the simulator drives it through these narrow interfaces.
 */
import type { Env } from '../../transport/index.ts';
import type { TransportVersion } from '../../transport/index.ts';
import type { RequestHandler } from '../../transport/index.ts';
import type { ClientMessage, ClientSignal, ServerFrame } from '../../transport/index.ts';
import type { EventSourceFactory, FetchLike, StorageLike } from '../../transport/index.ts';
import { EventStore } from '../../transport/index.ts';
import { ChatServer } from '../../transport/index.ts';
import { SimulatedAgent, type AgentOptions } from '../../transport/index.ts';
import { clientOfVersion } from '../../transport/index.ts';
import { FaultInjectedAgent } from '../faults/index.ts';

export interface StoreLike {
  getSessionEvents(sessionId: string): { seq: number; type: string; payload: unknown; createdAt: number }[];
  close(): void;
}

export interface ServerLike {
  readonly handle: RequestHandler;
  start(): void;
  /** Forget a connection as a restarted load balancer or an evicting registry would. */
  forgetConnection(connectionId: string): boolean;
  connectionIds(): string[];
  /** Permission requests an agent is still waiting on. */
  openPermissionRequests(): { sessionId: string; requestId: string }[];
}

export type OutgoingMessage =
  Exclude<ClientMessage, { type: 'send' }> | { type: 'send'; sessionId: string; prompt: string };

export interface ClientLike {
  connect(): void;
  dispose(): void;
  isConnected(): boolean;
  getConnectionId(): string | null;
  onMessage(listener: (message: ServerFrame | ClientSignal) => void): void;
  send(message: OutgoingMessage): boolean;
  watchSession(sessionId: string): boolean;
  checkAndReconnect(force?: boolean): void;
  pendingCount(): number;
  trackedSessions(): { sessionId: string; lastSeq: number }[];
}

export interface ClientIo {
  fetch: FetchLike;
  createEventSource: EventSourceFactory;
  storage: StorageLike;
}

/** Decisions the world makes for the server's agents (the fault injector's, in a run). */
export interface AgentHooks {
  interruptFails(sessionId: string): boolean;
}

export interface TransportFactory {
  readonly name: string;
  createStore(env: Env, path: string): StoreLike;
  createServer(
    env: Env,
    store: StoreLike,
    version: TransportVersion,
    agent: Partial<AgentOptions>,
    hooks: AgentHooks,
  ): ServerLike;
  createClient(env: Env, io: ClientIo, version: TransportVersion): ClientLike;
}

export const BASE_URL = 'http://sim.local';

export const realTransportFactory: TransportFactory = {
  name: 'ssesim-transport',
  createStore(env, path) {
    return new EventStore({ env, path });
  },
  createServer(env, store, version, agentOptions, hooks) {
    // The agent's own interrupt failures are off: the world's injector decides and counts them.
    const options = { ...agentOptions, interruptFailureChance: [0, 1] as [number, number] };
    const server = new ChatServer({
      env,
      store: store as EventStore,
      defects: version.defects,
      agentFactory: (sessionId, emit) =>
        new FaultInjectedAgent(
          new SimulatedAgent({ env, sessionId, emit, agentOptions: options }),
          sessionId,
          hooks.interruptFails,
        ),
    });
    return {
      handle: server.handle,
      start: () => server.start(),
      forgetConnection: (connectionId) => server.registry.remove(connectionId),
      connectionIds: () => server.registry.connectionIds(),
      openPermissionRequests: () => {
        const open: { sessionId: string; requestId: string }[] = [];
        for (const session of (store as EventStore).listSessions()) {
          const agent = server.agentFor(session.sessionId);
          for (const requestId of agent?.pendingPermissionIds() ?? [])
            open.push({ sessionId: session.sessionId, requestId });
        }
        return open;
      },
    };
  },
  createClient(env, io, version) {
    const config = {
      baseUrl: BASE_URL,
      fetch: io.fetch,
      createEventSource: io.createEventSource,
      env,
      storage: io.storage,
      storageKey: 'ssesim.outbox',
    };
    const connection = clientOfVersion(config, version);
    return {
      connect: () => connection.connect(),
      dispose: () => connection.dispose(),
      isConnected: () => connection.isConnected(),
      getConnectionId: () => connection.getConnectionId(),
      onMessage: (listener) => void connection.onMessage(listener),
      send: (message) => connection.send(message as never),
      watchSession: (sessionId) => connection.watchSession(sessionId),
      checkAndReconnect: (force) => connection.checkAndReconnect(force),
      pendingCount: () => connection.pendingCount(),
      trackedSessions: () => connection.trackedSessions(),
    };
  },
};
