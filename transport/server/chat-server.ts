/**
 * The chat server assembled: store, connection registry, event streams, session logic and
 * routes, all on one injected Env so the simulator and the Node adapter run the same code.
 */
import { Defects } from '../defects.ts';
import type { Env } from '../env.ts';
import type { RequestHandler } from '../http.ts';
import { SimulatedAgent, type Agent, type AgentFactory } from './agent.ts';
import { ChatSessions } from './chat-sessions.ts';
import { ConnectionRegistry } from './connection-registry.ts';
import type { EventStore } from './event-store.ts';
import { createRoutes } from './routes.ts';
import { SseStreams } from './sse-streams.ts';

export interface ChatServerOptions {
  env: Env;
  store: EventStore;
  defects?: Defects;
  agentFactory?: AgentFactory;
  syncIntervalMs?: number;
}

export class ChatServer {
  readonly handle: RequestHandler;
  readonly registry: ConnectionRegistry;
  readonly store: EventStore;
  private readonly sessions: ChatSessions;
  private readonly streams: SseStreams;
  private phase: 'new' | 'running' | 'stopped' = 'new';

  constructor(options: ChatServerOptions) {
    const { env, store } = options;
    const defects = options.defects ?? Defects.none();
    this.store = store;
    this.registry = new ConnectionRegistry({ env, store, defects, syncIntervalMs: options.syncIntervalMs });
    const agentFactory = options.agentFactory ?? ((sessionId, emit) => new SimulatedAgent({ env, sessionId, emit }));
    this.sessions = new ChatSessions({ env, store, registry: this.registry, agentFactory });
    this.streams = new SseStreams({
      env,
      registry: this.registry,
      onStreamClosed: (_connectionId, watched) => this.sessions.detachUnwatched(watched),
    });
    this.handle = createRoutes({
      env,
      store,
      registry: this.registry,
      streams: this.streams,
      sessions: this.sessions,
      defects,
    });
  }

  /** Sessions whose agent died with a previous process are ended before anything else runs. */
  start(): void {
    if (this.phase !== 'new') return;
    this.phase = 'running';
    this.store.recoverStaleSessions();
    this.registry.start();
  }

  /** Stops timers, agents and streams for good; the store stays open, it belongs to the caller. */
  stop(): void {
    this.phase = 'stopped';
    this.registry.stop();
    this.sessions.dispose();
    this.streams.closeAll();
    this.registry.closeAll();
  }

  agentFor(sessionId: string): Agent | undefined {
    return this.sessions.agentFor(sessionId);
  }
}
