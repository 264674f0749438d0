/**
 * A client written against browser globals (setInterval, fetch, EventSource, localStorage), run
 * in a page: its timers and pending requests die with the page on reload, its storage outlives
 * it, and the next load starts clean. The same for a server process using global timers and
 * crashing: they die with it, and what its dead code sets afterwards never fires.
 */
import { afterEach, describe, expect, it } from 'vitest';
import { CountingIdSource, silentLogger, type Env } from '../../transport/env.ts';
import { resolveVersion } from '../../transport/defects.ts';
import { jsonResponse, type HttpRequest, type HttpResponse } from '../../transport/http.ts';
import { VirtualClock, type TimerScope } from '../core/clock.ts';
import { EventLoop } from '../core/loop.ts';
import { runAs, SERVER_ACTOR } from '../core/actor-context.ts';
import { Rng } from '../core/rng.ts';
import { SimNetwork } from '../net/network.ts';
import { ClientPage } from './client-page.ts';
import { ServerHost } from './server-host.ts';
import { PageGlobals } from './page-globals.ts';
import type { ClientLike, ClientObserver, ServerLike, TransportFactory } from './transport-factory.ts';
import type { StorageLike } from '../../transport/client/browser-io.ts';

/** The browser's localStorage, which Node's types do not declare. */
const storage = (): StorageLike => (globalThis as unknown as { localStorage: StorageLike }).localStorage;

const realSetTimeout = globalThis.setTimeout;
const realFetch = globalThis.fetch;

afterEach(() => {
  expect(globalThis.setTimeout).toBe(realSetTimeout);
  expect(globalThis.fetch).toBe(realFetch);
  expect('EventSource' in globalThis).toBe(false);
  expect('localStorage' in globalThis).toBe(false);
});

const quietObserver: ClientObserver = {
  cursor: () => {},
  queueLength: () => {},
  bufferLength: () => {},
  promptAccepted: () => {},
  probe: () => {},
};

function envOf(clock: VirtualClock, timers: TimerScope): Env {
  return { clock, timers, ids: new CountingIdSource(), random: Rng.fromSeed(1), logger: silentLogger };
}

/** Polls every second from its page load; counts its loads in localStorage. */
class PollingClient implements ClientLike {
  readonly answers: string[];
  private readonly load: number;

  constructor(answers: string[]) {
    this.answers = answers;
    this.load = Number(storage().getItem('loads') ?? 0) + 1;
    storage().setItem('loads', String(this.load));
  }

  connect(): void {
    new EventSource('http://app.test/events');
    setInterval(() => {
      void fetch('http://app.test/poll', { method: 'POST', body: String(this.load) }).then(() =>
        this.answers.push(`load ${this.load} answered at ${Date.now()}`),
      );
    }, 1000);
  }

  dispose(): void {}
  isConnected = () => true;
  getConnectionId = () => null;
  onMessage(): void {}
  send = () => false;
  watchSession(): void {}
}

class PollServer {
  readonly polls: string[] = [];
  streams = 0;

  constructor(private readonly clock: VirtualClock) {}

  readonly handle = async (request: HttpRequest): Promise<HttpResponse> => {
    if (request.path === '/events') {
      this.streams += 1;
      return { kind: 'stream', status: 200, headers: { 'content-type': 'text/event-stream' }, start: () => {} };
    }
    this.polls.push(`${request.body}@${this.clock.now()}`);
    // Slow enough that a poll is in flight when the page reloads.
    await new Promise<void>((resolve) => this.clock.setTimeout(resolve, 300));
    return jsonResponse(200, {});
  };
}

describe('PageGlobals with a page', () => {
  it("a reload kills the page's timers and pending requests, and keeps its storage", async () => {
    const clock = new VirtualClock({ startMs: 0 });
    const loop = new EventLoop({ clock });
    const server = new PollServer(clock);
    const network = new SimNetwork({
      clock,
      rng: Rng.fromSeed(3).split('network'),
      latencyMsMin: 10,
      latencyMsMax: 10,
      handler: () => server.handle,
    });
    const globals = new PageGlobals(clock);
    const restore = globals.install();
    const answers: string[] = [];
    try {
      const factory = { createClient: () => new PollingClient(answers) } as unknown as TransportFactory;
      const page = new ClientPage({
        clientId: 'c1',
        clock,
        factory,
        version: resolveVersion('fixed'),
        io: { ...network.clientIo('c1'), observe: quietObserver },
        makeEnv: (timers) => envOf(clock, timers),
        bindGlobals: (timers, io) => globals.bind('c1', { timers, io }),
        onMessage: () => {},
        sessionIds: [],
        unload: () => network.disconnectClient('c1'),
      });
      await loop.run({ untilMs: 2100, stepLimit: 1000 });
      // The poll of 2000 ms is at the server (it answers at 2310): the page goes away first.
      runAs('c1', () => page.reload());
      await loop.run({ untilMs: 5500, stepLimit: 1000 });
      expect(server.polls).toEqual(['1@1010', '1@2010', '2@3110', '2@4110', '2@5110']);
      expect(answers).toEqual([
        'load 1 answered at 1320',
        'load 2 answered at 3420',
        'load 2 answered at 4420',
        'load 2 answered at 5420',
      ]);
      expect(page.storage.getItem('loads')).toBe('2');
      expect(server.streams).toBe(2);
      page.dispose();
    } finally {
      restore();
    }
  });

  it('code of no page gets no network', async () => {
    const clock = new VirtualClock({ startMs: 0 });
    const restore = new PageGlobals(clock).install();
    try {
      await expect(fetch('http://app.test/poll')).rejects.toThrow(/fetch used outside a page \(by no actor\)/);
      expect(() => new EventSource('http://app.test/events')).toThrow(/EventSource used outside a page/);
    } finally {
      restore();
    }
  });
});

describe('PageGlobals with a server process', () => {
  it("a crash kills the process's global timers, and its dead code's later timers never fire", async () => {
    const clock = new VirtualClock({ startMs: 0 });
    const loop = new EventLoop({ clock });
    const globals = new PageGlobals(clock);
    const ticks: string[] = [];
    let incarnation = 0;
    let zombie = (): void => {};
    const server = (): ServerLike => {
      const mine = ++incarnation;
      zombie = () => void setTimeout(() => ticks.push(`zombie of ${mine}`), 10);
      return {
        handle: async () => jsonResponse(200, {}),
        start: () => void setInterval(() => ticks.push(`${mine}@${Date.now()}`), 1000),
        forgetConnection: () => false,
        connectionIds: () => [],
        openPermissionRequests: () => [],
      };
    };
    const factory = { createStore: () => ({ getSessionEvents: () => [], close() {} }), createServer: server };
    const restore = globals.install();
    try {
      const host = new ServerHost({
        clock,
        factory: factory as unknown as TransportFactory,
        version: resolveVersion('fixed'),
        agentOptions: {},
        hooks: { interruptFails: () => false, observe: {} as never },
        storePath: ':memory:',
        makeEnv: (timers) => envOf(clock, timers),
        onDown: () => {},
        onUp: () => {},
        failAllInFlight: () => {},
        bindGlobals: (timers) => (timers ? globals.bind(SERVER_ACTOR, { timers }) : globals.unbind(SERVER_ACTOR)),
      });
      host.start();
      await loop.run({ untilMs: 2500, stepLimit: 1000 });
      host.crash(true, 'test', 1000);
      runAs(SERVER_ACTOR, () => zombie());
      await loop.run({ untilMs: 5000, stepLimit: 1000 });
      expect(ticks).toEqual(['1@1000', '1@2000', '2@4500']);
      host.dispose();
    } finally {
      restore();
    }
  });
});
