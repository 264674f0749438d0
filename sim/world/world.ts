/**
 * A world: one server process (with its SQLite store), N browser clients each with a user, the
 * simulated network between them, and the fault injector, all on one virtual clock and one seed.
 * Every nondeterministic input of every component comes from here: timers from clock scopes,
 * randomness from named rng streams, ids from the world's id source (kept across crashes so
 * ids are never reused), logs into the recorder.
 */
import { CountingIdSource, type Env, type Logger, type LogLevel } from '../../transport/index.ts';
import type { TransportVersion } from '../../transport/index.ts';
import type { Scenario } from '../../scenarios/index.ts';
import { VirtualClock, type TimerScope } from '../core/index.ts';
import { SIMULATOR_ACTOR } from '../core/index.ts';
import { Rng } from '../core/index.ts';
import { Trace } from '../core/index.ts';
import { Recorder } from '../core/index.ts';
import { FaultInjector } from '../faults/index.ts';
import { BUNDLED_PROFILE, SimNetwork, type NetworkRecord, type ProtocolProfile } from '../net/index.ts';
import { SERVER_ACTOR } from '../core/index.ts';
import { ServerHost } from './server-host.ts';
import { ClientPage } from './client-page.ts';
import { UserActor } from './user-actor.ts';
import { realTransportFactory, type ClientIo, type ClientLike, type TransportFactory } from './transport-factory.ts';
import { NetworkFaultPolicy, inapplicableFaults } from '../faults/index.ts';
import type { ServerCapability } from '../faults/index.ts';
import type { FaultKind } from '../../scenarios/index.ts';
import { opensStoreByPath } from './node-server.ts';
import { temporaryStoreFile, type RunStoreFile } from './run-store-file.ts';
import type { FaultTargetPage, TimedFaultTargets } from '../faults/index.ts';
import { clientObserver, serverObserver } from './observers.ts';
import { ProbeCounts } from './probe-counts.ts';
import { NetworkHistory } from './network-history.ts';
import { PageGlobals } from './page-globals.ts';
import type { ClientEndState, EndState, ObservationKind, Phase } from '../../model/index.ts';
import { isObservationKind, OBSERVATION_KINDS } from '../../model/index.ts';

/**
 * The last part of the heal phase in which users start nothing. Long enough for a POST to be
 * retried a few times and a heartbeat to close a forgotten stream.
 */
const QUIET_WINDOW_MS = 30_000;

/** How long the supervisor waits before it restarts a crashed server process. */
const RESTART_DELAY_MS = 2000;

/** Distinct frame texts whose reading is kept; past it the memory starts over. */
const FRAME_READINGS_KEPT = 1024;

/**
 * The profile with each frame's text read once: the fault policy reads a frame when the server
 * writes it and the history again when it arrives, and a broadcast writes the same text to every
 * client.
 */
function readingFramesOnce(profile: ProtocolProfile): ProtocolProfile {
  const readings = new Map<string, ReturnType<ProtocolProfile['sessionEventOf']>>();
  const sessionEventOf = (chunk: string) => {
    let reading = readings.get(chunk);
    if (reading === undefined) {
      reading = profile.sessionEventOf(chunk);
      if (readings.size >= FRAME_READINGS_KEPT) readings.clear();
      readings.set(chunk, reading);
    }
    return reading;
  };
  return { ...profile, sessionEventOf };
}

/** The kinds the server reports by having a capability, whatever its factory declares. */
const CAPABILITY_OBSERVATIONS: Partial<Record<ObservationKind, ServerCapability>> = {
  'server-connections': 'connectionIds',
  'open-permission-requests': 'openPermissionRequests',
};

/** What a factory says it reports; a name that is no observation kind is the factory's mistake, said at once. */
function declaredObservations(factory: TransportFactory): readonly ObservationKind[] {
  const declared: readonly unknown[] = factory.observations ?? [];
  const unknown = declared.filter((kind) => !isObservationKind(kind)).map((kind) => JSON.stringify(kind));
  if (unknown.length > 0) {
    const known = OBSERVATION_KINDS.join(', ');
    throw new TypeError(
      `transport ${factory.name} declares unknown observations ${unknown.join(', ')} (known: ${known})`,
    );
  }
  return declared as readonly ObservationKind[];
}

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
  /** Coverage probes the transport hit, counted beside the trace. */
  readonly probes = new ProbeCounts();
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
  /** The transport's wire and limits, and what its factory declares it reports beyond the network. */
  readonly profile: ProtocolProfile;
  private readonly declared: readonly ObservationKind[];
  /** The temporary database of a server that opens it by path, when no file was named. */
  private readonly storeFile: RunStoreFile | null;
  private readonly networkHistory: NetworkHistory;
  private readonly globals: PageGlobals | null;
  private restoreGlobals: () => void = () => {};
  /** From this virtual time on the users start nothing: the run's final quiet window. */
  private readonly quietFromMs: number;
  /** The network's actor and kind names, built once each rather than per frame. */
  private readonly netNames = new PrefixedNames();
  /** Loads per rng stream: a reloaded page or restarted server draws from a fresh stream. */
  private readonly streamLoads = new Map<string, number>();

  constructor(readonly options: WorldOptions) {
    const { scenario, seed } = options;
    const factory = options.factory ?? realTransportFactory;
    this.profile = readingFramesOnce(factory.profile ?? BUNDLED_PROFILE);
    this.declared = declaredObservations(factory);
    this.networkHistory = new NetworkHistory(this.profile);
    this.globals = factory.usesGlobals ? new PageGlobals(this.clock) : null;
    this.rng = Rng.fromSeed(seed);
    this.recorder = new Recorder(this.trace, () => this.clock.now(), this.clock.now());
    this.worldTimers = this.clock.scope(SIMULATOR_ACTOR);
    this.faults = new FaultInjector(scenario, this.rng.split('faults'), this.recorder);
    this.sessionIds = Array.from({ length: scenario.sessions }, (_, i) => `s${i + 1}`);
    const endMs = this.clock.now() + scenario.phases.chaosMs + scenario.phases.healMs;
    this.quietFromMs = endMs - Math.min(QUIET_WINDOW_MS, Math.floor(scenario.phases.healMs / 2));
    this.networkFaults = new NetworkFaultPolicy(this.faults, this.profile);
    this.network = new SimNetwork({
      clock: this.clock,
      rng: this.rng.split('network'),
      latencyMsMin: scenario.network.latencyMsMin,
      latencyMsMax: scenario.network.latencyMsMax,
      handler: () => this.server.handler(),
      faults: this.networkFaults,
      onRecord: (entry) => this.onNetworkRecord(entry),
      welcomeOf: (eventType, data) => this.profile.welcomeOf(eventType, data),
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
    this.storeFile = opensStoreByPath(factory) && options.storePath === undefined ? temporaryStoreFile() : null;
    if (this.globals) this.restoreGlobals = this.globals.install();
    try {
      this.server = this.createServer(factory);
      this.createClients(factory);
    } catch (error) {
      this.restoreGlobals();
      this.storeFile?.remove();
      throw error;
    }
  }

  /**
   * What the run's transport reports beyond the network: what its factory declares, and the end
   * state its server can list (its capabilities, known once it started).
   */
  get observations(): readonly ObservationKind[] {
    const capabilities = this.server.capabilities();
    const derived = Object.entries(CAPABILITY_OBSERVATIONS)
      .filter(([, capability]) => capabilities.includes(capability))
      .map(([kind]) => kind as ObservationKind);
    return OBSERVATION_KINDS.filter(
      (kind) => derived.includes(kind) || (!(kind in CAPABILITY_OBSERVATIONS) && this.declared.includes(kind)),
    );
  }

  /** The fault kinds the run's server cannot take, with what it lacks; none before it started. */
  faultsNotApplicable(): Partial<Record<FaultKind, ServerCapability[]>> {
    return inapplicableFaults(this.server.capabilities());
  }

  private createServer(factory: TransportFactory): ServerHost {
    const { scenario } = this.options;
    const globals = this.globals;
    return new ServerHost({
      clock: this.clock,
      factory,
      version: this.options.version,
      agentOptions: { ...scenario.agent },
      hooks: {
        interruptFails: (sessionId) => this.faults.decide(['interrupt-reject'], { sessionId }) !== null,
        observe: serverObserver(SERVER_ACTOR, this.recorder, (id) => this.networkHistory.clientOf(id), this.probes),
      },
      storePath: this.options.storePath ?? this.storeFile?.path ?? ':memory:',
      makeEnv: (timers) => this.env('server', timers, 'server'),
      onDown: (injected, reason) =>
        this.recorder.record('server', 'server.down', { injected, reason }, { kind: 'server-down', injected, reason }),
      onUp: (incarnation) => this.recorder.record('server', 'server.up', { incarnation }, { kind: 'server-up' }),
      failAllInFlight: () => this.network.failAllInFlight(),
      ...(globals
        ? {
            bindGlobals: (timers: TimerScope | null) =>
              timers ? globals.bind(SERVER_ACTOR, { timers }) : globals.unbind(SERVER_ACTOR),
          }
        : {}),
    });
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
        profile: this.profile,
        applyFails: (client, event) =>
          this.faults.decide(['apply-failure'], { client, sessionId: event.sessionId, seq: event.seq }) !== null,
        inChaos: () => this.faults.inChaos(),
        quiet: () => this.clock.now() >= this.quietFromMs,
      });
      const globals = this.globals;
      const page = new ClientPage({
        clientId,
        clock: this.clock,
        factory,
        version,
        io: {
          ...this.network.clientIo(clientId),
          observe: clientObserver(
            clientId,
            this.recorder,
            (clientMsgId) => user.noteAcceptedId(clientMsgId),
            this.probes,
          ),
        },
        makeEnv: (timers) => this.env(clientId, timers, `client:${clientId}`),
        ...(globals
          ? { bindGlobals: (timers: TimerScope, io: ClientIo) => globals.bind(clientId, { timers, io }) }
          : {}),
        checkClient: (client) => this.checkClient(factory, client),
        onMessage: (message) => user.handle(message),
        sessionIds: this.sessionIds,
        unload: () => this.network.disconnectClient(clientId),
      });
      user.attach(page);
      this.users.push(user);
      this.pages.push(page);
    }
  }

  /** A factory that declares `pending-count` must give its clients `pendingCount()`. */
  private checkClient(factory: TransportFactory, client: ClientLike): void {
    if (this.declared.includes('pending-count') && typeof client.pendingCount !== 'function')
      throw new TypeError(
        `transport ${factory.name} declares the pending-count observation but its client has no pendingCount()`,
      );
  }

  /** The env of one actor: its own timer scope and rng stream, the world's clock, ids and recorder. */
  private env(actor: string, timers: TimerScope, stream: string): Env {
    const loads = (this.streamLoads.get(stream) ?? 0) + 1;
    this.streamLoads.set(stream, loads);
    return {
      clock: this.clock,
      timers,
      ids: this.ids,
      random: this.rng.split(`${stream}#${loads}`),
      logger: this.logger(actor),
    };
  }

  /** Log lines go to the trace only: what properties read comes through `observe` and the network. */
  private logger(actor: string): Logger {
    return {
      log: (level: LogLevel, event: string, data: Record<string, unknown> = {}) => {
        if (level === 'debug') return;
        // Most lines are info; only another level is written, which spares a copy of every line.
        this.recorder.record(actor, event, level === 'info' ? data : { level, ...data });
      },
    };
  }

  private onNetworkRecord(entry: NetworkRecord): void {
    const history = this.networkHistory.entryOf(entry);
    if (entry.kind === 'welcome') {
      this.recorder.record(entry.clientId, 'net.welcome', entry.details, history);
      return;
    }
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
    this.faults.excludeKinds(Object.keys(this.faultsNotApplicable()) as FaultKind[]);
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
        connectionIds: () => server.current()?.connectionIds?.() ?? [],
        forgetConnection: (connectionId) => server.current()?.forgetConnection?.(connectionId),
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
    const settledSeqs: Record<string, number> = {};
    for (const sessionId of this.sessionIds) {
      const events = this.server.store.getSessionEvents(sessionId);
      sessionSeqs[sessionId] = events.map((event) => event.seq);
      let settledSeq = 0;
      for (const event of events) if (event.createdAt <= settledBeforeMs) settledSeq = Math.max(settledSeq, event.seq);
      settledSeqs[sessionId] = settledSeq;
      for (const event of events) {
        const message = this.profile.userMessageOf(event);
        if (message !== null) userMessages.push({ seq: event.seq, sessionId, ...message });
      }
    }
    // A server without these capabilities lists nothing; the properties that read them are not checked.
    const known = new Set(this.server.current()?.connectionIds?.() ?? []);
    const clients = this.pages.map((page) => this.clientEndState(page.id, page.connection(), known));
    const openPermissionRequests = this.server.current()?.openPermissionRequests?.() ?? [];
    return { userMessages, sessionSeqs, settledSeqs, clients, openPermissionRequests };
  }

  /** What a client says of itself at the end; what it does not report stays unknown (null). */
  private clientEndState(client: string, connection: ClientLike, known: Set<string>): ClientEndState {
    const tracked = connection.trackedSessions?.();
    const sessions = tracked
      ? tracked.map(({ sessionId, lastSeq }) => ({ sessionId, cursor: lastSeq }))
      : this.sessionIds.map((sessionId) => ({ sessionId, cursor: null }));
    const connectionId = connection.getConnectionId();
    return {
      client,
      connected: connection.isConnected(),
      connectionId,
      serverKnowsConnection: connectionId !== null && known.has(connectionId),
      pendingCount: connection.pendingCount?.() ?? null,
      sessions,
    };
  }

  /** Two sync ticks plus a round trip at the slowest latency: time enough for any event to land. */
  private livenessSettleMs(): number {
    return 2 * this.profile.syncIntervalMs + 2 * this.options.scenario.network.latencyMsMax;
  }

  /** Ends the world; the globals a transport used (if any) are the real ones again. */
  dispose(): void {
    try {
      for (const page of this.pages) page.dispose();
      this.worldTimers.cancelAll();
      for (const timers of this.userTimers) timers.cancelAll();
      this.server.dispose();
    } finally {
      this.restoreGlobals();
      this.storeFile?.remove();
    }
  }
}
