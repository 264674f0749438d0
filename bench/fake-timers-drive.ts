/**
 * The peer ssesim is measured against: what an app's own test suite would do instead. The same
 * transport classes (the SQLite EventStore, the ChatServer with its routes, the fixed
 * SseConnection of each client) on the real-time Env, wired by an in-memory fetch and EventSource,
 * with @sinonjs/fake-timers (what vitest's `vi.advanceTimersByTimeAsync` runs) standing in for the
 * global timers and Date, and one `tickAsync` over the run's virtual duration. The users send the
 * prompts and control messages an ssesim run of the same seed sent, at the same times, and answer
 * every permission request; no faults, no trace, no checks.
 */
import FakeTimers from '@sinonjs/fake-timers';
import type { FakeMethod } from '@sinonjs/fake-timers';
import type { RunResult } from '../sim/index.ts';
import type { Scenario } from '../scenarios/index.ts';
import { ChatServer, EventStore, MemoryStorage, SimulatedAgent } from '../transport/index.ts';
import { CountingIdSource, clientOfVersion, createFakeEnv, realEnv, resolveVersion } from '../transport/index.ts';
import { silentLogger, type ClientSignal, type Env, type ServerFrame } from '../transport/index.ts';
import { InMemoryEventSource, inMemoryFetch } from './in-memory-browser.ts';

type Connection = ReturnType<typeof clientOfVersion>;
type OutgoingMessage = Parameters<Connection['send']>[0];

/** One thing a user did in the ssesim run: a prompt or a control message, at its virtual time. */
export interface UserAction {
  atMs: number;
  client: number;
  message: OutgoingMessage;
}

export interface DriveWorkload {
  clients: number;
  sessionIds: string[];
  agent: Scenario['agent'];
  /** How long a user takes to answer a permission request, drawn uniformly in [min, max]. */
  permissionAnswerMs: [min: number, max: number];
  virtualMs: number;
  actions: UserAction[];
}

export interface DriveOutcome {
  /** user_message events in the store at the end: one per prompt, with nothing lost. */
  userMessages: number;
  eventsStored: number;
  /** Session events each client's app was handed, in order. */
  appliedPerClient: number[];
  permissionAnswers: number;
}

const BASE_URL = 'http://app.test';
/** Where the fake clock starts: an epoch in the trillions, as Date.now() reads in production. */
const START_MS = 1_700_000_000_000;
/** What `vi.useFakeTimers()` fakes by default: every timer, Date and performance, not the microtask queue. */
const FAKED = Object.keys(FakeTimers.timers).filter(
  (name) => name !== 'nextTick' && name !== 'queueMicrotask',
) as FakeMethod[];

/** The users' prompts and control messages of a finished ssesim run, read from its trace. */
export function workloadOfRun(result: RunResult): DriveWorkload {
  const { scenario } = result;
  const clientIds = Array.from({ length: scenario.clients }, (_, i) => `c${i + 1}`);
  const actions: UserAction[] = [];
  for (const entry of result.trace) {
    const client = clientIds.indexOf(entry.actor);
    const { sessionId, prompt, type } = entry.details as { sessionId: string; prompt?: string; type?: string };
    if (entry.kind === 'user.prompt' && prompt !== undefined)
      actions.push({ atMs: entry.t, client, message: { type: 'send', sessionId, prompt } });
    else if (entry.kind === 'user.control' && type !== undefined)
      actions.push({ atMs: entry.t, client, message: controlMessage(type, sessionId) });
  }
  return {
    clients: scenario.clients,
    sessionIds: Array.from({ length: scenario.sessions }, (_, i) => `s${i + 1}`),
    agent: scenario.agent,
    permissionAnswerMs: [scenario.workload.permissionAnswerMsMin, scenario.workload.permissionAnswerMsMax],
    virtualMs: result.virtualMs,
    actions,
  };
}

function controlMessage(type: string, sessionId: string): OutgoingMessage {
  // The trace does not keep the mode a set_mode asked for; any mode costs the transport the same.
  return (type === 'set_mode' ? { type, sessionId, mode: 'plan' } : { type, sessionId }) as OutgoingMessage;
}

/** Installs fake timers, drives the workload over its virtual duration with tickAsync, and uninstalls them. */
export async function driveWithFakeTimers(workload: DriveWorkload, seed = 1): Promise<DriveOutcome> {
  const clock = FakeTimers.install({ now: START_MS, toFake: FAKED, ignoreMissingTimers: true });
  try {
    const app = new DrivenApp(workload, seed);
    for (const action of workload.actions) clock.setTimeout(() => app.act(action), action.atMs);
    await clock.tickAsync(workload.virtualMs);
    return app.finish();
  } finally {
    clock.uninstall();
  }
}

/** The server and the clients of one drive, with the users' side of the app. */
class DrivenApp {
  private readonly env: Env;
  private readonly store: EventStore;
  private readonly server: ChatServer;
  private readonly connections: Connection[];
  private readonly applied: number[];
  private readonly answered: Set<string>[];
  private permissionAnswers = 0;

  constructor(
    private readonly workload: DriveWorkload,
    seed: number,
  ) {
    // Timers and Date are the globals fake-timers replaced; ids and the agents' chances are
    // seeded so that every pass over the same workload does the same work.
    const random = createFakeEnv({ seed }).env.random;
    this.env = { ...realEnv({ logger: silentLogger }), ids: new CountingIdSource(), random };
    const env = this.env;
    const agentOptions = { ...workload.agent, interruptFailureChance: [0, 1] as [number, number] };
    this.store = new EventStore({ env, path: ':memory:' });
    this.server = new ChatServer({
      env,
      store: this.store,
      agentFactory: (sessionId, emit) => new SimulatedAgent({ env, sessionId, emit, agentOptions }),
    });
    this.server.start();
    this.applied = Array.from({ length: workload.clients }, () => 0);
    this.answered = this.applied.map(() => new Set<string>());
    this.connections = this.applied.map((_, client) => this.connectClient(client));
  }

  private connectClient(client: number): Connection {
    const { handle } = this.server;
    const io = { handle, baseUrl: BASE_URL, timers: this.env.timers };
    const connection = clientOfVersion(
      {
        baseUrl: BASE_URL,
        fetch: inMemoryFetch(handle, BASE_URL),
        createEventSource: (url) => new InMemoryEventSource(url, io),
        env: this.env,
        storage: new MemoryStorage(),
      },
      resolveVersion('fixed'),
    );
    connection.onMessage((message) => this.onMessage(client, message));
    connection.connect();
    for (const sessionId of this.workload.sessionIds) connection.watchSession(sessionId);
    return connection;
  }

  act(action: UserAction): void {
    this.connections[action.client]!.send(action.message);
  }

  /** The app's message handler: counts what it applies and answers each permission request once. */
  private onMessage(client: number, message: ServerFrame | ClientSignal): void {
    if (message.type !== 'session_event') return;
    this.applied[client]! += 1;
    if (message.eventType !== 'permission_request') return;
    const requestId = String((message.payload as { requestId?: unknown })?.requestId ?? '');
    if (this.answered[client]!.has(requestId)) return;
    this.answered[client]!.add(requestId);
    const [minMs, maxMs] = this.workload.permissionAnswerMs;
    const delayMs = minMs + this.env.random.int(maxMs - minMs + 1);
    this.env.timers.setTimeout(() => {
      this.permissionAnswers += 1;
      const sessionId = message.sessionId;
      this.connections[client]!.send({ type: 'permission_response', sessionId, requestId, allow: true });
    }, delayMs);
  }

  finish(): DriveOutcome {
    let userMessages = 0;
    let eventsStored = 0;
    for (const sessionId of this.workload.sessionIds) {
      for (const event of this.store.getSessionEvents(sessionId)) {
        eventsStored += 1;
        if (event.type === 'user_message') userMessages += 1;
      }
    }
    for (const connection of this.connections) connection.dispose();
    this.server.stop();
    this.store.close();
    return { userMessages, eventsStored, appliedPerClient: this.applied, permissionAnswers: this.permissionAnswers };
  }
}
