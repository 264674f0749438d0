/**
 * A world: one server process (with its SQLite store), N browser clients each with a user, the
 * simulated network between them, and the fault injector, all on one virtual clock and one seed.
 * Every nondeterministic input of every component comes from here: timers from clock scopes,
 * randomness from named rng streams, ids from the world's id source (kept across crashes so
 * ids are never reused), logs into the recorder.
 */
import { CountingIdSource, type Env, type Logger, type LogLevel } from '../../transport/index.ts';
import type { TransportVersion } from '../../transport/index.ts';
import { OBS } from '../../transport/index.ts';
import { SYNC_INTERVAL_MS } from '../../transport/index.ts';
import type { Scenario } from '../../scenarios/index.ts';
import { VirtualClock, type TimerScope } from '../core/index.ts';
import { SIMULATOR_ACTOR } from '../core/index.ts';
import { Rng } from '../core/index.ts';
import { Trace } from '../core/index.ts';
import { Recorder } from '../core/index.ts';
import { FaultInjector } from '../faults/index.ts';
import { SimNetwork } from '../net/index.ts';
import { ServerHost } from './server-host.ts';
import { ClientPage } from './client-page.ts';
import { UserActor } from './user-actor.ts';
import { realTransportFactory, type TransportFactory } from './transport-factory.ts';
import { NetworkFaultPolicy } from '../faults/index.ts';
import type { FaultTargetPage, TimedFaultTargets } from '../faults/index.ts';
import { observationToHistory } from './observation-history.ts';
import { sessionEventIn } from '../net/index.ts';
import type { EndState, Phase } from '../../model/index.ts';

/**
 * The last part of the heal phase in which users start nothing. Long enough for a POST to be
 * retried a few times and a heartbeat to close a forgotten stream.
 */
export const QUIET_WINDOW_MS = 30_000;

/** How long the supervisor waits before it restarts a crashed server process. */
export const RESTART_DELAY_MS = 2000;

export interface WorldOptions {
  scenario: Scenario;
  seed: number;
  version: TransportVersion;
  factory?: TransportFactory;
  /** The server's SQLite database: in memory unless the person running the tool names a file. */
  storePath?: string;
}

/** `prefix + name` strings, kept: the same few are written thousands of times per run. */
class PrefixedNames {
  private readonly byPrefix = new Map<string, Map<string, string>>();

  of(prefix: string, name: string): string {
    let names = this.byPrefix.get(prefix);
    if (names === undefined) this.byPrefix.set(prefix, (names = new Map()));
    let full = names.get(name);
    if (full === undefined) names.set(name, (full = `${prefix}${name}`));
    return full;
  }
}

export class World {
  readonly clock = new VirtualClock();
  readonly trace = new Trace();
  readonly recorder: Recorder;
  readonly faults: FaultInjector;
  private readonly rng: Rng;
  private readonly network: SimNetwork;
  private readonly server: ServerHost;
  private readonly pages: ClientPage[] = [];
  private readonly users: UserActor[] = [];
  private readonly sessionIds: string[];
  private readonly networkFaults: NetworkFaultPolicy;
  /** One id source for the whole world, kept across crashes so ids are never reused. */
  private readonly ids = new CountingIdSource();
  /** Timers of the world itself (faults, phases): they survive crashes and reloads. */
  private readonly worldTimers: TimerScope;
  /** Each user's timers: they survive reloads, and run as the user's page (the app is its code). */
  private readonly userTimers: TimerScope[] = [];
  private readonly connectionClients = new Map<string, string>();
  /** From this virtual time on the users start nothing: the run's final quiet window. */
  private readonly quietFromMs: number;
  /** The network's actor and kind names, built once each rather than per frame. */
  private readonly netNames = new PrefixedNames();
  /** Loads per rng stream: a reloaded page or restarted server draws from a fresh stream. */
  private readonly streamLoads = new Map<string, number>();

  constructor(readonly options: WorldOptions) {
    const { scenario, seed } = options;
    const factory = options.factory ?? realTransportFactory;
    this.rng = Rng.fromSeed(seed);
    this.recorder = new Recorder(this.trace, () => this.clock.now(), this.clock.now());
    this.worldTimers = this.clock.scope(SIMULATOR_ACTOR);
    this.faults = new FaultInjector(scenario, this.rng.split('faults'), this.recorder);
    this.sessionIds = Array.from({ length: scenario.sessions }, (_, i) => `s${i + 1}`);
    const endMs = this.clock.now() + scenario.phases.chaosMs + scenario.phases.healMs;
    this.quietFromMs = endMs - Math.min(QUIET_WINDOW_MS, Math.floor(scenario.phases.healMs / 2));
    this.networkFaults = new NetworkFaultPolicy(this.faults, this.rng.split('network-faults'));
    this.network = new SimNetwork({
      clock: this.clock,
      rng: this.rng.split('network'),
      latencyMsMin: scenario.network.latencyMsMin,
      latencyMsMax: scenario.network.latencyMsMax,
      handler: () => this.server.handler(),
      faults: this.networkFaults,
      onRecord: (entry) => this.onNetworkRecord(entry),
    });
    this.networkFaults.bind({
      nowMs: () => this.clock.now(),
      dropStreamsOf: (clientId) => {
        for (const stream of this.network.openStreams())
          if (stream.clientId === clientId) this.network.dropStream(stream.streamId);
      },
      after: (delayMs, action) => this.worldTimers.setTimeout(action, delayMs),
      latencyMsMax: scenario.network.latencyMsMax,
    });
    this.server = new ServerHost({
      clock: this.clock,
      factory,
      version: options.version,
      agentOptions: { ...scenario.agent },
      agentHooks: { interruptFails: (sessionId) => this.faults.decide(['interrupt-reject'], { sessionId }) !== null },
      storePath: options.storePath ?? ':memory:',
      makeEnv: (timers) => this.env('server', timers, 'server'),
      onDown: (injected, reason) =>
        this.recorder.record('server', 'server.down', { injected, reason }, { kind: 'server-down', injected, reason }),
      onUp: (incarnation) => this.recorder.record('server', 'server.up', { incarnation }, { kind: 'server-up' }),
      failAllInFlight: () => this.network.failAllInFlight(),
    });
    this.createClients(factory);
  }

  private createClients(factory: TransportFactory): void {
    const { scenario, version } = this.options;
    for (let i = 1; i <= scenario.clients; i++) {
      const clientId = `c${i}`;
      const timers = this.clock.scope(clientId);
      this.userTimers.push(timers);
      const user = new UserActor({
        clientId,
        scenario,
        sessionIds: this.sessionIds,
        rng: this.rng.split(`user:${clientId}`),
        timers,
        recorder: this.recorder,
        applyFails: (client, frame) =>
          this.faults.decide(['apply-failure'], { client, sessionId: frame.sessionId, seq: frame.seq }) !== null,
        inChaos: () => this.faults.inChaos(),
        quiet: () => this.clock.now() >= this.quietFromMs,
      });
      const page = new ClientPage({
        clientId,
        clock: this.clock,
        factory,
        version,
        io: this.network.clientIo(clientId),
        makeEnv: (timers) => this.env(clientId, timers, `client:${clientId}`, user),
        onMessage: (message) => user.handle(message),
        sessionIds: this.sessionIds,
        unload: () => this.network.disconnectClient(clientId),
      });
      user.attach(page);
      this.users.push(user);
      this.pages.push(page);
    }
  }

  /** The env of one actor: its own timer scope and rng stream, the world's clock, ids and recorder. */
  private env(actor: string, timers: TimerScope, stream: string, user?: UserActor): Env {
    const loads = (this.streamLoads.get(stream) ?? 0) + 1;
    this.streamLoads.set(stream, loads);
    return {
      clock: this.clock,
      timers,
      ids: this.ids,
      random: this.rng.split(`${stream}#${loads}`),
      logger: this.logger(actor, user),
    };
  }

  private readonly clientOfConnection = (connectionId: string): string | null =>
    this.connectionClients.get(connectionId) ?? null;

  private logger(actor: string, user?: UserActor): Logger {
    return {
      log: (level: LogLevel, event: string, data: Record<string, unknown> = {}) => {
        if (level === 'debug') return;
        if (event === OBS.clientPromptAccepted && user) user.noteAcceptedId(String(data.clientMsgId));
        const history = observationToHistory(actor, event, data, this.clientOfConnection);
        // Most lines are info; only another level is written, which spares a copy of every line.
        this.recorder.record(actor, event, level === 'info' ? data : { level, ...data }, history ?? undefined);
      },
    };
  }

  private onNetworkRecord(entry: { kind: string; clientId: string; details: Record<string, unknown> }): void {
    const welcome = entry.kind === 'welcome' ? String(entry.details.connectionId) : null;
    if (welcome) {
      this.connectionClients.set(welcome, entry.clientId);
      this.recorder.record(entry.clientId, 'net.welcome', entry.details, {
        kind: 'welcome',
        client: entry.clientId,
        connectionId: welcome,
      });
      return;
    }
    const received = entry.kind === 'frame-delivered' ? sessionEventIn(String(entry.details.chunk ?? '')) : null;
    const stream = String(entry.details.streamId ?? '');
    const history = received
      ? { kind: 'frame-received' as const, client: entry.clientId, stream, ...received }
      : undefined;
    this.recorder.record(
      this.netNames.of('net:', entry.clientId),
      this.netNames.of('net.', entry.kind),
      entry.details,
      history,
    );
  }

  /** Starts the server, connects every client and schedules users and timed faults. */
  start(): void {
    this.server.start();
    for (const user of this.users) user.start();
    this.faults.scheduleTimed(this.worldTimers, this.timedFaultTargets());
  }

  /** What of this world a timed fault may touch, and nothing more. */
  private timedFaultTargets(): TimedFaultTargets {
    const server = this.server;
    return {
      rng: this.rng.split('fault-targets'),
      nowMs: () => this.clock.now(),
      after: (delayMs, action) => this.worldTimers.setTimeout(action, delayMs),
      record: (actor, kind, details, history) => this.recorder.record(actor, kind, details, history),
      server: {
        isUp: () => server.isUp(),
        crash: (reason, restartMs) => server.crash(true, reason, restartMs),
        connectionIds: () => server.current()?.connectionIds() ?? [],
        forgetConnection: (connectionId) => server.current()?.forgetConnection(connectionId),
      },
      streams: this.network,
      networkConditions: this.networkFaults,
      pages: this.pages.map((page, index): FaultTargetPage => ({
        id: page.id,
        isHidden: () => page.isHidden(),
        hide: () => page.hide(),
        shown: () => page.shown(),
        reload: () => {
          page.reload();
          this.users[index]!.pageReloaded();
        },
      })),
    };
  }

  phase(phase: Phase): void {
    this.recorder.record('sim', 'phase', { phase }, { kind: 'phase', phase });
  }

  /** Heal phase: no fault fires any more; hidden tabs are shown again, paused readers read again. */
  heal(): void {
    this.faults.heal();
    this.networkFaults.heal();
    this.network.resumeAllReading();
    for (const page of this.pages) if (page.isHidden()) page.shown();
  }

  /**
   * An error nobody caught reached the process, raised by `actor`'s code (see actor-context.ts).
   * In a browser it is only logged, so a client's is recorded against that client. Server code
   * dies with it (a Node process exits on an unhandled rejection); so does an error raised
   * outside every client's code, since a step of the simulator's own may call server code
   * without naming it (a fault forgetting a connection).
   */
  processError(error: unknown, actor: string | undefined): void {
    const message = error instanceof Error ? error.message : String(error);
    const client = this.pages.find((page) => page.id === actor);
    if (client) {
      this.recorder.record(client.id, 'client.uncaught', { message });
      return;
    }
    this.server.crash(false, `uncaught: ${message}`, RESTART_DELAY_MS);
  }

  /**
   * The state the liveness properties judge. An event created in the last moments of the run may
   * still be on its way (live frames take a latency, a repaired gap waits for the next sync), so
   * only events older than the settle time count as ones every watcher must have applied.
   */
  endState(): EndState {
    const userMessages: EndState['userMessages'] = [];
    const sessionSeqs: EndState['sessionSeqs'] = {};
    const settledBeforeMs = this.clock.now() - this.livenessSettleMs();
    let settledSeq = 0;
    for (const sessionId of this.sessionIds) {
      const events = this.server.store.getSessionEvents(sessionId);
      sessionSeqs[sessionId] = events.map((event) => event.seq);
      for (const event of events) if (event.createdAt <= settledBeforeMs) settledSeq = Math.max(settledSeq, event.seq);
      for (const event of events) {
        if (event.type !== 'user_message') continue;
        const payload = event.payload as { clientMsgId?: string; prompt?: string };
        userMessages.push({
          seq: event.seq,
          sessionId,
          clientMsgId: String(payload.clientMsgId),
          prompt: String(payload.prompt),
        });
      }
    }
    const known = new Set(this.server.current()?.connectionIds() ?? []);
    const clients = this.pages.map((page) => {
      const connection = page.connection();
      const sessions = connection.trackedSessions().map(({ sessionId, lastSeq }) => ({ sessionId, cursor: lastSeq }));
      const connectionId = connection.getConnectionId();
      const serverKnowsConnection = connectionId !== null && known.has(connectionId);
      return {
        client: page.id,
        connected: connection.isConnected(),
        connectionId,
        serverKnowsConnection,
        pendingCount: connection.pendingCount(),
        sessions,
      };
    });
    const openPermissionRequests = this.server.current()?.openPermissionRequests() ?? [];
    return { userMessages, sessionSeqs, settledSeq, clients, openPermissionRequests };
  }

  /** Two sync ticks plus a round trip at the slowest latency: time enough for any event to land. */
  private livenessSettleMs(): number {
    return 2 * SYNC_INTERVAL_MS + 2 * this.options.scenario.network.latencyMsMax;
  }

  dispose(): void {
    for (const page of this.pages) page.dispose();
    this.worldTimers.cancelAll();
    for (const timers of this.userTimers) timers.cancelAll();
    this.server.dispose();
  }
}
