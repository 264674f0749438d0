/**
 * How the world builds the system under test. The default factory builds the real transport
 * classes; another implementation of the same contract (a third-party server or client) plugs in
 * by providing its own factory, and the simulator drives it through these narrow interfaces. What
 * the simulator learns on its own and what a transport reports through `observe` is the
 * observation contract of docs/observations.md.
 */
import type { Env, Logger } from '../../transport/index.ts';
import type { TransportVersion } from '../../transport/index.ts';
import type { RequestHandler } from '../../transport/index.ts';
import type { ClientMessage } from '../../transport/index.ts';
import type { EventSourceFactory, FetchLike, StorageLike } from '../../transport/index.ts';
import { EventStore } from '../../transport/index.ts';
import { ChatServer } from '../../transport/index.ts';
import { SimulatedAgent, type AgentOptions } from '../../transport/index.ts';
import { clientOfVersion } from '../../transport/index.ts';
import { OBS, PROBE_NAMES } from '../../transport/index.ts';
import { OBSERVATION_KINDS, type ObservationKind } from '../../model/index.ts';
import { FaultInjectedAgent } from '../faults/index.ts';
import type { PromptOnWire, ProtocolProfile } from '../net/index.ts';

export interface StoreLike {
  getSessionEvents(sessionId: string): { seq: number; type: string; payload: unknown; createdAt: number }[];
  close(): void;
}

/**
 * The server of one process start. Beyond its handler, what it can do for the fault injector and
 * the end state is optional: a fault that needs a capability it lacks is not applicable and never
 * drawn, and a property that needs its end state is not checked (docs/observations.md).
 */
export interface ServerLike {
  readonly handle: RequestHandler;
  start(): void;
  /** What the OS does to a dead process's files (close its database handle), after a crash. */
  release?(): void;
  /** Forget a connection as a restarted load balancer or an evicting registry would. */
  forgetConnection?(connectionId: string): boolean;
  connectionIds?(): string[];
  /** Permission requests an agent is still waiting on. */
  openPermissionRequests?(): { sessionId: string; requestId: string }[];
  /** Its agent runs consult `ServerHooks.interruptFails` when interrupted (fault `interrupt-reject`). */
  readonly interrupts?: boolean;
}

/** What the user asks a client to send: a prompt (the client gives it its id) or a control message. */
export type OutgoingMessage =
  Exclude<ClientMessage, { type: 'send' }> | { type: 'send'; sessionId: string; prompt: string };

/**
 * What `send` returns: whether the client took the message, and for a prompt the client message
 * id it goes by when the client says so here (else through `observe.promptAccepted`, else the
 * network learns it from the prompt's POST).
 */
export type SendResult = boolean | { accepted: boolean; clientMsgId?: string };

export interface ClientLike {
  connect(): void;
  dispose(): void;
  isConnected(): boolean;
  getConnectionId(): string | null;
  /** Every message the client hands the app; the protocol profile says how to read one. */
  onMessage(listener: (message: unknown) => void): void;
  send(message: OutgoingMessage): SendResult;
  /** Follow a session's events from where the client is. */
  watchSession(sessionId: string): void;
  /** The tab is visible again: check the connection (optional; a client without it is left alone). */
  checkAndReconnect?(force?: boolean): void;
  /** Messages not yet done, for the end state: the `pending-count` observation. */
  pendingCount?(): number;
  /** Sessions the client tracks with its cursor; absent, the sessions the world asked it to watch. */
  trackedSessions?(): { sessionId: string; lastSeq: number }[];
}

/** Extra fields a report carries into the trace for people reading it; no property reads them. */
export type TraceNote = Record<string, unknown>;

/** What a client may report about itself that the network does not show (docs/observations.md). */
export interface ClientObserver {
  /** `cursor`: the client's applied cursor of a session moved. */
  cursor(sessionId: string, cursor: number): void;
  /** `queue-length`: the pending queue (prompts and control messages not yet done) holds `length` entries. */
  queueLength(length: number, note?: TraceNote): void;
  /** `buffer-length`: a session's out-of-order buffer holds `length` events. */
  bufferLength(sessionId: string, length: number): void;
  /** send() took a prompt under this id; call it from inside `send`. */
  promptAccepted(prompt: PromptOnWire): void;
  /** A coverage probe of the client was hit: counted per run, never written to the trace. */
  probe(name: string): void;
}

/** What a server may report about itself that the network does not show (docs/observations.md). */
export interface ServerObserver {
  /** `frames-sent`: a session event was written to a connection, by one of the server's routes. */
  frameSent(frame: { connectionId: string | null; sessionId: string; seq: number; via: string }): void;
  /** `reconnect-replays`: a reconnect of a connection replayed `replayed` events of a session after `lastSeq`. */
  reconnectReplayed(replay: { connectionId: string; sessionId: string; lastSeq: number; replayed: number }): void;
  /** `agent-runs`: the agent started running a prompt. */
  agentRunStarted(run: { sessionId: string; clientMsgId: string; prompt: string }): void;
  /** A coverage probe of the server was hit: counted per run, never written to the trace. */
  probe(name: string): void;
}

export interface ClientIo {
  fetch: FetchLike;
  createEventSource: EventSourceFactory;
  storage: StorageLike;
  observe: ClientObserver;
}

/** What the world gives a server: its decisions for the agents (the fault injector's) and `observe`. */
export interface ServerHooks {
  interruptFails(sessionId: string): boolean;
  observe: ServerObserver;
  /** The run's SQLite database (`:memory:` unless a file was asked for, or the server opens it by path). */
  dbPath: string;
}

export interface TransportFactory {
  readonly name: string;
  /** The transport's wire and limits; the bundled transport's when absent. */
  readonly profile?: ProtocolProfile;
  /** What its client and server report through `observe`; nothing when absent. */
  readonly observations?: readonly ObservationKind[];
  /**
   * Its code reaches timers, `Date.now`, fetch, EventSource and localStorage through globals: the
   * simulator installs virtual ones for each run, scoped per page and per server process.
   */
  readonly usesGlobals?: boolean;
  /**
   * The names of its coverage probes (`observe.probe`), client's and server's: the catalogue a
   * campaign's summary measures its runs against, naming the probes no run hit.
   */
  readonly probes?: readonly string[];
  createStore(env: Env, path: string): StoreLike;
  createServer(
    env: Env,
    store: StoreLike,
    version: TransportVersion,
    agent: Partial<AgentOptions>,
    hooks: ServerHooks,
  ): ServerLike;
  createClient(env: Env, io: ClientIo, version: TransportVersion): ClientLike;
}

const BASE_URL = 'http://sim.local';

type Forward<O> = (observe: O, data: Record<string, unknown>) => void;

/** The bundled client's observation log events (transport/observations.ts), as `observe` calls. */
const CLIENT_REPORTS: Record<string, Forward<ClientObserver>> = {
  [OBS.probe]: (observe, data) => observe.probe(String(data.name)),
  [OBS.clientCursor]: (observe, data) => observe.cursor(String(data.sessionId), Number(data.cursor)),
  [OBS.clientQueueLength]: (observe, { length, ...note }) => observe.queueLength(Number(length), note),
  [OBS.clientBufferLength]: (observe, data) => observe.bufferLength(String(data.sessionId), Number(data.length)),
  [OBS.clientPromptAccepted]: (observe, data) =>
    observe.promptAccepted({
      clientMsgId: String(data.clientMsgId),
      sessionId: String(data.sessionId),
      prompt: String(data.prompt),
    }),
};

/** The bundled server's observation log events, as `observe` calls. */
const SERVER_REPORTS: Record<string, Forward<ServerObserver>> = {
  [OBS.probe]: (observe, data) => observe.probe(String(data.name)),
  [OBS.serverFrameSent]: (observe, data) =>
    observe.frameSent({
      connectionId: data.connectionId === null ? null : String(data.connectionId),
      sessionId: String(data.sessionId),
      seq: Number(data.seq),
      via: String(data.via),
    }),
  [OBS.serverReconnect]: (observe, data) =>
    observe.reconnectReplayed({
      connectionId: String(data.connectionId),
      sessionId: String(data.sessionId),
      lastSeq: Number(data.lastSeq),
      replayed: Number(data.replayed),
    }),
  [OBS.agentRunStart]: (observe, data) =>
    observe.agentRunStarted({
      sessionId: String(data.sessionId),
      clientMsgId: String(data.clientMsgId),
      prompt: String(data.prompt),
    }),
};

/**
 * The bundled transport reports what it knows as named log events, so it stays free of the
 * harness; this glue turns those events into `observe` calls, and passes every other line on.
 */
function reportingEnv<O>(env: Env, observe: O, reports: Record<string, Forward<O>>): Env {
  const logger: Logger = {
    log: (level, event, data = {}) => {
      const forward = reports[event];
      if (forward === undefined) env.logger.log(level, event, data);
      else forward(observe, data);
    },
  };
  return { ...env, logger };
}

export const realTransportFactory: TransportFactory = {
  name: 'ssesim-transport',
  observations: OBSERVATION_KINDS,
  probes: PROBE_NAMES,
  createStore(env, path) {
    return new EventStore({ env, path });
  },
  createServer(plainEnv, store, version, agentOptions, hooks) {
    const env = reportingEnv(plainEnv, hooks.observe, SERVER_REPORTS);
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
      interrupts: true,
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
  createClient(plainEnv, io, version) {
    const env = reportingEnv(plainEnv, io.observe, CLIENT_REPORTS);
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
      watchSession: (sessionId) => void connection.watchSession(sessionId),
      checkAndReconnect: (force) => connection.checkAndReconnect(force),
      pendingCount: () => connection.pendingCount(),
      trackedSessions: () => connection.trackedSessions(),
    };
  },
};
