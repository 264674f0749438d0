/**
 * The simulated server process. Fault model: the process can crash at any step boundary (an
 * injected crash, or an error nobody caught); a crash loses everything in memory (registry,
 * streams, agents, timers) and fails every open request and stream, while the SQLite database
 * survives because better-sqlite3 commits synchronously. A supervisor restarts the process after
 * a delay; start-up runs recoverStaleSessions. Its timers and its start-up run as the server
 * actor, so an error they raise crashes it. A server that uses global timers gets each
 * incarnation's scope as its globals, so they die with the process too.
 */
import type { Env } from '../../transport/index.ts';
import type { TransportVersion } from '../../transport/index.ts';
import type { HttpRequest, HttpResponse } from '../../transport/index.ts';
import type { AgentOptions } from '../../transport/index.ts';
import type { VirtualClock, TimerScope } from '../core/index.ts';
import { runAs, SERVER_ACTOR } from '../core/index.ts';
import type { ServerCapability } from '../faults/index.ts';
import { SERVER_CAPABILITIES } from '../faults/index.ts';
import type { ServerHooks, ServerLike, StoreLike, TransportFactory } from './transport-factory.ts';

export interface ServerHostOptions {
  clock: VirtualClock;
  factory: TransportFactory;
  version: TransportVersion;
  agentOptions: Partial<AgentOptions>;
  hooks: Omit<ServerHooks, 'dbPath'>;
  /** The run's database, handed to the server as `hooks.dbPath` and to the factory's store. */
  storePath: string;
  /** Builds the env of one server incarnation from the timer scope that dies with it. */
  makeEnv: (timers: TimerScope) => Env;
  onDown: (injected: boolean, reason: string) => void;
  onUp: (incarnation: number) => void;
  /** Called when a crash must fail every open request and stream of the network. */
  failAllInFlight: () => void;
  /** An incarnation's timers become the server's global timers; null: the process is down. */
  bindGlobals?: (timers: TimerScope | null) => void;
}

export class ServerHost {
  private server: ServerLike | null = null;
  private scope: TimerScope | null = null;
  private incarnation = 0;
  /** What the last server started can do beyond handling requests; none before the first start. */
  private serverCapabilities: ServerCapability[] = [];
  /** Timers of the supervisor (restart), which outlive any one incarnation. */
  private readonly supervisor: TimerScope;
  readonly store: StoreLike;

  constructor(private readonly options: ServerHostOptions) {
    this.supervisor = options.clock.scope(SERVER_ACTOR);
    this.store = options.factory.createStore(options.makeEnv(this.supervisor), options.storePath);
  }

  isUp(): boolean {
    return this.server !== null;
  }

  current(): ServerLike | null {
    return this.server;
  }

  capabilities(): readonly ServerCapability[] {
    return this.serverCapabilities;
  }

  start(): void {
    if (!this.server) runAs(SERVER_ACTOR, () => this.startIncarnation());
  }

  private startIncarnation(): void {
    this.scope = this.options.clock.scope(SERVER_ACTOR);
    this.options.bindGlobals?.(this.scope);
    const env = this.options.makeEnv(this.scope);
    this.incarnation += 1;
    this.server = this.options.factory.createServer(env, this.store, this.options.version, this.options.agentOptions, {
      ...this.options.hooks,
      dbPath: this.options.storePath,
    });
    this.serverCapabilities = capabilitiesOf(this.server);
    this.server.start();
    this.options.onUp(this.incarnation);
  }

  /** The process dies at once; a supervisor starts a new one after `restartDelayMs`. */
  crash(injected: boolean, reason: string, restartDelayMs: number): void {
    if (!this.server) return;
    this.scope?.cancelAll();
    this.scope = null;
    this.options.bindGlobals?.(null);
    this.releaseServer();
    this.options.onDown(injected, reason);
    this.options.failAllInFlight();
    this.supervisor.setTimeout(() => this.start(), restartDelayMs);
  }

  /** The request handler of the live process, or null while it is down. */
  handler(): ((request: HttpRequest) => Promise<HttpResponse>) | null {
    return this.server ? this.server.handle : null;
  }

  /** The dead process's files are closed by the OS; nothing keeps its server. */
  private releaseServer(): void {
    const server = this.server;
    this.server = null;
    server?.release?.();
  }

  dispose(): void {
    this.scope?.cancelAll();
    this.supervisor.cancelAll();
    this.releaseServer();
    this.store.close();
  }
}

function capabilitiesOf(server: ServerLike): ServerCapability[] {
  return SERVER_CAPABILITIES.filter((capability) =>
    capability === 'interrupts' ? server.interrupts === true : typeof server[capability] === 'function',
  );
}
