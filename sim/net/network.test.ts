import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import {
  EVENT_SOURCE_CLOSED,
  EVENT_SOURCE_CONNECTING,
  EVENT_SOURCE_OPEN,
  type MessageEventLike,
} from '../../transport/client/browser-io.ts';
import {
  type HttpRequest,
  type HttpResponse,
  jsonResponse,
  type RequestHandler,
  type StreamSink,
} from '../../transport/http.ts';
import { installGlobals, VirtualClock } from '../core/clock.ts';
import { EventLoop } from '../core/loop.ts';
import type { NetworkFaults, RequestFaultDecision } from './network-faults.ts';
import { type NetworkRecord, requestPathOf, SimNetwork } from './network.ts';
import { Rng } from '../core/rng.ts';

const EVENTS = 'http://app.test/api/chat/events';

/** A tiny server: echoes POSTs, opens a stream with a welcome on GET /api/chat/events. */
class TinyServer {
  readonly seen: HttpRequest[] = [];
  readonly sinks: StreamSink[] = [];
  readonly closedSinks: number[] = [];
  private connections = 0;

  constructor(private readonly clock: VirtualClock) {}

  readonly handle: RequestHandler = async (request) => {
    this.seen.push(request);
    if (request.path.startsWith('/api/chat/events')) return this.stream();
    if (request.path === '/slow') {
      await new Promise<void>((resolve) => this.clock.setTimeout(resolve, 1000));
    }
    if (request.path === '/boom') throw new Error('handler exploded');
    if (request.path === '/gone') return jsonResponse(404, { error: 'not found' });
    return jsonResponse(200, { echo: request.body, path: request.path, atMs: this.clock.now() });
  };

  private stream(): HttpResponse {
    const index = this.sinks.length;
    return {
      kind: 'stream',
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      start: (sink) => {
        this.sinks.push(sink);
        sink.onClose(() => this.closedSinks.push(index));
        this.connections += 1;
        sink.write(`event: welcome\ndata: {"type":"welcome","connectionId":"conn-${this.connections}"}\n\n`);
      },
    };
  }
}

interface Setup {
  latencyMsMin?: number;
  latencyMsMax?: number;
  faults?: Partial<NetworkFaults>;
  serverUp?: () => boolean;
  seed?: number;
}

function setup(options: Setup = {}) {
  const clock = new VirtualClock({ startMs: 0 });
  const loop = new EventLoop({ clock });
  const server = new TinyServer(clock);
  const records: NetworkRecord[] = [];
  const network = new SimNetwork({
    clock,
    rng: Rng.fromSeed(options.seed ?? 1).split('network'),
    latencyMsMin: options.latencyMsMin ?? 10,
    latencyMsMax: options.latencyMsMax ?? 10,
    handler: () => ((options.serverUp ?? (() => true))() ? server.handle : null),
    faults: {
      onRequest: options.faults?.onRequest ?? (() => ({ action: 'pass' })),
      onFrame: options.faults?.onFrame ?? (() => ({ action: 'pass' })),
    },
    onRecord: (record) => records.push(record),
  });
  const io = network.clientIo('c1');
  const run = (untilMs?: number) => loop.run({ untilMs, stepLimit: 10_000 });
  return { clock, loop, server, records, network, io, run };
}

/** Collects what an EventSource shows its listeners, with virtual times. */
function watch(source: ReturnType<ReturnType<typeof setup>['io']['createEventSource']>, clock: VirtualClock) {
  const log: string[] = [];
  source.onopen = () => log.push(`${clock.now()} open`);
  source.onerror = () => log.push(`${clock.now()} error state=${source.readyState}`);
  source.onmessage = (event) => log.push(`${clock.now()} message ${event.data}`);
  source.addEventListener('welcome', (event: MessageEventLike) =>
    log.push(`${clock.now()} welcome ${JSON.parse(event.data).connectionId}`),
  );
  return log;
}

function post(io: ReturnType<typeof setup>['io'], path: string, body = '{}') {
  return io.fetch(`http://app.test${path}`, {
    method: 'POST',
    headers: { 'Content-Type': 'application/json', 'X-Connection-ID': 'conn-1' },
    body,
  });
}

describe('SimNetwork fetch', () => {
  it('delivers a request and its response after one latency each way', async () => {
    const { io, run, server, records, clock } = setup();
    const response = post(io, '/api/chat/send?x=1', '{"a":1}');
    await run();
    const answer = await response;
    expect(answer.ok).toBe(true);
    expect(answer.status).toBe(200);
    expect(answer.headers.get('Content-Type')).toContain('application/json');
    expect(await answer.json()).toEqual({ echo: '{"a":1}', path: '/api/chat/send?x=1', atMs: 10 });
    await expect(answer.text()).rejects.toThrow(TypeError);
    expect(clock.now()).toBe(20);
    expect(server.seen[0]!.headers['x-connection-id']).toBe('conn-1');
    expect(server.seen[0]!.method).toBe('POST');
    expect(records.map((record) => record.kind)).toEqual(['request', 'response']);
    expect(records[1]).toMatchObject({ clientId: 'c1', details: { requestId: 'req-1', status: 200 } });
  });

  it('lets separate requests overtake each other, the same way for the same seed', async () => {
    async function arrivalOrder(seed: number): Promise<string[]> {
      const { io, run, server } = setup({ latencyMsMin: 1, latencyMsMax: 100, seed });
      const sends = Array.from({ length: 12 }, (_, i) => post(io, `/p${i}`));
      await run();
      await Promise.all(sends);
      return server.seen.map((request) => request.path);
    }
    const first = await arrivalOrder(5);
    expect(first).toHaveLength(12);
    expect(first).not.toEqual(Array.from({ length: 12 }, (_, i) => `/p${i}`));
    expect(await arrivalOrder(5)).toEqual(first);
    expect(await arrivalOrder(6)).not.toEqual(first);
  });

  it('fails like a refused connection while the server is down', async () => {
    let up = false;
    const { io, run, records } = setup({ serverUp: () => up });
    const response = post(io, '/api/chat/stop');
    const outcome = response.then(
      () => 'resolved',
      (error: unknown) => error,
    );
    await run();
    const error = await outcome;
    expect(error).toBeInstanceOf(TypeError);
    expect(String((error as Error).message)).toContain('server-down');
    expect(records.at(-1)).toMatchObject({ kind: 'request-failed', details: { reason: 'server-down' } });
    up = true;
    const later = post(io, '/api/chat/stop');
    await run();
    expect((await later).status).toBe(200);
  });

  it('answers 500 when a handler rejects, and records it', async () => {
    const { io, run, records } = setup();
    const response = post(io, '/boom');
    await run();
    expect((await response).status).toBe(500);
    expect(records.find((record) => record.kind === 'handler-error')?.details.message).toBe('handler exploded');
  });

  it('rejects an invalid URL with a TypeError', async () => {
    const { io } = setup();
    await expect(io.fetch('http://[bad', { method: 'GET', headers: {} })).rejects.toThrow(TypeError);
  });

  it('refuses a bad latency configuration, naming the field', () => {
    const clock = new VirtualClock();
    const base = { clock, rng: Rng.fromSeed(1), handler: () => null };
    expect(() => new SimNetwork({ ...base, latencyMsMin: -1, latencyMsMax: 5 })).toThrow(/latencyMsMin/);
    expect(() => new SimNetwork({ ...base, latencyMsMin: 5, latencyMsMax: 2 })).toThrow(/latencyMsMax/);
  });
});

describe('SimNetwork fetch with an AbortSignal', () => {
  it('rejects with an AbortError at once, and the answer that comes later is never delivered', async () => {
    const { io, run, server, records, clock } = setup();
    const controller = new AbortController();
    const outcome: string[] = [];
    const pending = io.fetch('http://app.test/slow', {
      method: 'POST',
      headers: {},
      body: '{}',
      signal: controller.signal,
    });
    pending.then(
      () => outcome.push('answered'),
      (error: unknown) => outcome.push(`${clock.now()} ${(error as DOMException).name}`),
    );
    await run(clock.now() + 100);
    expect(server.seen.map((request) => request.path)).toEqual(['/slow']);
    controller.abort();
    await Promise.resolve();
    expect(outcome).toEqual(['100 AbortError']);
    await run();
    expect(outcome).toEqual(['100 AbortError']);
    expect(records.map((record) => record.kind)).toEqual(['request', 'request-aborted']);
    await expect(pending).rejects.toBeInstanceOf(DOMException);
  });

  it('never sends a request whose signal is already aborted, and rejects with its reason', async () => {
    const { io, run, server, records } = setup();
    const aborted = AbortSignal.abort();
    const init = { method: 'POST', headers: {}, body: '{}' };
    await expect(io.fetch('http://app.test/p', { ...init, signal: aborted })).rejects.toMatchObject({
      name: 'AbortError',
    });
    const reason = new Error('page navigated away');
    await expect(io.fetch('http://app.test/p', { ...init, signal: AbortSignal.abort(reason) })).rejects.toBe(reason);
    await run();
    expect(server.seen).toEqual([]);
    expect(records).toEqual([]);
  });

  it('drops a request aborted before it reached the server, and ignores an abort after the answer', async () => {
    const { io, run, server, records, clock } = setup();
    const early = new AbortController();
    const lost = io.fetch('http://app.test/p1', { method: 'POST', headers: {}, body: '{}', signal: early.signal });
    early.abort();
    await expect(lost).rejects.toMatchObject({ name: 'AbortError' });
    const late = new AbortController();
    const answered = io.fetch('http://app.test/p2', { method: 'POST', headers: {}, body: '{}', signal: late.signal });
    await run();
    late.abort();
    expect((await answered).status).toBe(200);
    expect(server.seen.map((request) => request.path)).toEqual(['/p2']);
    expect(records.map((record) => record.kind)).toEqual(['request', 'request-aborted', 'request', 'response']);
    expect(clock.now()).toBe(20);
  });
});

describe('SimNetwork request faults', () => {
  function faultOnce(decision: RequestFaultDecision): Partial<NetworkFaults> {
    let used = false;
    return {
      onRequest: () => {
        if (used) return { action: 'pass' };
        used = true;
        return decision;
      },
    };
  }

  it('drop: the server never sees the request, the client gets a network error', async () => {
    const { io, run, server, records } = setup({ faults: faultOnce({ action: 'drop' }) });
    const outcome = post(io, '/api/chat/send').catch((error: unknown) => error);
    await run();
    expect(await outcome).toBeInstanceOf(TypeError);
    expect(server.seen).toHaveLength(0);
    expect(records.map((record) => record.kind)).toEqual(['request', 'request-fault', 'request-failed']);
  });

  it('respond: an injected answer without reaching the server', async () => {
    const decision: RequestFaultDecision = {
      action: 'respond',
      status: 429,
      headers: { 'Retry-After': '3' },
      body: '{"error":"slow down"}',
    };
    const { io, run, server } = setup({ faults: faultOnce(decision) });
    const response = post(io, '/api/chat/send');
    await run();
    const answer = await response;
    expect(answer.status).toBe(429);
    expect(answer.ok).toBe(false);
    expect(answer.headers.get('retry-after')).toBe('3');
    expect(await answer.json()).toEqual({ error: 'slow down' });
    expect(server.seen).toHaveLength(0);
  });

  it('lose-response: the server acts, the client sees a network error', async () => {
    const { io, run, server } = setup({ faults: faultOnce({ action: 'lose-response' }) });
    const outcome = post(io, '/api/chat/send', '{"clientMsgId":"m1"}').catch((error: unknown) => error);
    await run();
    expect(await outcome).toBeInstanceOf(TypeError);
    expect(server.seen.map((request) => request.body)).toEqual(['{"clientMsgId":"m1"}']);
  });

  it('delay: extra latency on the way to the server', async () => {
    const { io, run, clock } = setup({ faults: faultOnce({ action: 'delay', delayMs: 500 }) });
    const response = post(io, '/echo');
    await run();
    expect(await (await response).json()).toMatchObject({ atMs: 510 });
    expect(clock.now()).toBe(520);
  });
});

describe('SimNetwork EventSource', () => {
  it('opens, delivers the welcome and messages in write order despite random latency', async () => {
    const { io, run, server, clock, records } = setup({ latencyMsMin: 1, latencyMsMax: 200 });
    const source = io.createEventSource(EVENTS);
    const log = watch(source, clock);
    expect(source.readyState).toBe(EVENT_SOURCE_CONNECTING);
    await run();
    expect(source.readyState).toBe(EVENT_SOURCE_OPEN);
    for (let i = 1; i <= 30; i++) expect(server.sinks[0]!.write(`id: ${i}\ndata: m${i}\n\n`)).toBe(true);
    await run();
    const messages = log.filter((line) => line.includes(' message '));
    expect(messages.map((line) => line.split(' ')[2])).toEqual(Array.from({ length: 30 }, (_, i) => `m${i + 1}`));
    const times = messages.map((line) => Number(line.split(' ')[0]));
    expect([...times].sort((a, b) => a - b)).toEqual(times);
    expect(log[0]).toMatch(/open$/);
    expect(log[1]).toMatch(/welcome conn-1$/);
    expect(records.find((record) => record.kind === 'welcome')).toMatchObject({
      clientId: 'c1',
      details: { connectionId: 'conn-1' },
    });
    expect(records.filter((record) => record.kind === 'frame-delivered')).toHaveLength(31);
    expect(records.filter((record) => record.kind === 'stream-open')).toHaveLength(1);
  });

  it('dropStream: both sides see the close, the client reconnects with a fresh GET and Last-Event-ID', async () => {
    const { io, run, server, clock, network } = setup();
    const source = io.createEventSource(EVENTS);
    const log = watch(source, clock);
    await run();
    server.sinks[0]!.write('id: 7\ndata: x\n\n');
    await run();
    const [open] = network.openStreams();
    expect(open).toEqual({ streamId: 'stream-1', clientId: 'c1', connectedAtMs: 10 });
    expect(network.dropStream('stream-1')).toBe(true);
    expect(server.closedSinks).toEqual([0]);
    expect(server.sinks[0]!.closed).toBe(true);
    expect(server.sinks[0]!.write('data: lost\n\n')).toBe(false);
    expect(network.dropStream('stream-1')).toBe(false);
    const dropAtMs = clock.now();
    await run();
    expect(log).toContain(`${dropAtMs + 10} error state=${EVENT_SOURCE_CONNECTING}`);
    expect(log.at(-1)).toBe(`${dropAtMs + 10 + 1000 + 20} welcome conn-2`);
    expect(server.seen[1]!.headers['last-event-id']).toBe('7');
    expect(network.openStreams().map((stream) => stream.streamId)).toEqual(['stream-2']);
    expect(source.readyState).toBe(EVENT_SOURCE_OPEN);
  });

  it('halfOpen: the server side closes now, the client hears of it only after the delay', async () => {
    const { io, run, server, clock, network, records } = setup();
    const source = io.createEventSource(EVENTS);
    const log = watch(source, clock);
    await run();
    const startMs = clock.now();
    network.halfOpen('stream-1', 5000);
    expect(server.closedSinks).toEqual([0]);
    expect(server.sinks[0]!.write('data: meanwhile\n\n')).toBe(false);
    await run(startMs + 4999);
    expect(source.readyState).toBe(EVENT_SOURCE_OPEN);
    expect(log.some((line) => line.includes('error'))).toBe(false);
    await run(startMs + 5000);
    expect(log.at(-1)).toBe(`${startMs + 5000} error state=${EVENT_SOURCE_CONNECTING}`);
    expect(records.filter((record) => record.kind === 'stream-close').map((record) => record.details.side)).toEqual([
      'server',
      'client',
    ]);
    await run();
    expect(log.at(-1)).toMatch(/welcome conn-2$/);
  });

  it('half-open loses frames already on the wire', async () => {
    const { io, run, server, clock, network, records } = setup();
    const source = io.createEventSource(EVENTS);
    const log = watch(source, clock);
    await run();
    server.sinks[0]!.write('data: on-the-wire\n\n');
    network.halfOpen('stream-1', 100);
    await run(clock.now() + 200);
    expect(log.some((line) => line.includes('on-the-wire'))).toBe(false);
    expect(
      records.some((record) => record.kind === 'frame-lost' && String(record.details.chunk).includes('on-the-wire')),
    ).toBe(true);
  });

  it('a graceful server close delivers written frames, then errors and reconnects', async () => {
    const { io, run, server, clock } = setup({ latencyMsMin: 1, latencyMsMax: 50 });
    const source = io.createEventSource(EVENTS);
    const log = watch(source, clock);
    await run();
    server.sinks[0]!.write('data: last words\n\n');
    server.sinks[0]!.close();
    expect(server.closedSinks).toEqual([0]);
    await run();
    const lastWords = log.findIndex((line) => line.endsWith('message last words'));
    const error = log.findIndex((line) => line.includes('error'));
    expect(lastWords).toBeGreaterThan(0);
    expect(error).toBeGreaterThan(lastWords);
    expect(log.at(-1)).toMatch(/welcome conn-2$/);
  });

  it('honours the retry field for the reconnection delay', async () => {
    const { io, run, server, clock } = setup();
    const source = io.createEventSource(EVENTS);
    const log = watch(source, clock);
    await run();
    server.sinks[0]!.write('retry: 300\n\n');
    server.sinks[0]!.close();
    await run();
    const errorAt = Number(log.find((line) => line.includes('error'))!.split(' ')[0]);
    expect(log.at(-1)).toBe(`${errorAt + 300 + 20} welcome conn-2`);
  });

  it('a frame write failed by the policy returns false and is not delivered', async () => {
    const { io, run, server, clock, records } = setup({
      faults: { onFrame: ({ chunk }) => (chunk.includes('bad') ? { action: 'fail' } : { action: 'pass' }) },
    });
    const source = io.createEventSource(EVENTS);
    const log = watch(source, clock);
    await run();
    expect(server.sinks[0]!.write('data: bad\n\n')).toBe(false);
    expect(server.sinks[0]!.write('data: good\n\n')).toBe(true);
    await run();
    expect(log.filter((line) => line.includes('message')).map((line) => line.split(' ').at(-1))).toEqual(['good']);
    expect(records.filter((record) => record.kind === 'frame-failed')).toHaveLength(1);
    expect(source.readyState).toBe(EVENT_SOURCE_OPEN);
  });

  it('keeps reconnecting while the server is down and connects once it is back', async () => {
    let up = false;
    const { io, run, server, clock } = setup({ serverUp: () => up });
    const source = io.createEventSource(EVENTS);
    const log = watch(source, clock);
    await run(3500);
    expect(log.filter((line) => line.includes('error')).length).toBeGreaterThanOrEqual(3);
    expect(source.readyState).toBe(EVENT_SOURCE_CONNECTING);
    up = true;
    await run(6000);
    expect(source.readyState).toBe(EVENT_SOURCE_OPEN);
    expect(server.sinks).toHaveLength(1);
  });

  it('fails for good on a non-stream answer (WHATWG: no reconnect)', async () => {
    const { io, run, clock, server } = setup({
      faults: {
        onRequest: ({ channel }) =>
          channel === 'event-source' ? { action: 'respond', status: 503 } : { action: 'pass' },
      },
    });
    const source = io.createEventSource(EVENTS);
    const log = watch(source, clock);
    await run();
    expect(log).toEqual([`20 error state=${EVENT_SOURCE_CLOSED}`]);
    expect(source.readyState).toBe(EVENT_SOURCE_CLOSED);
    expect(server.seen).toHaveLength(0);
  });

  it('lose-response on connect: the server opens the stream, the client errors and reconnects', async () => {
    let first = true;
    const { io, run, clock, server } = setup({
      faults: {
        onRequest: () => {
          if (!first) return { action: 'pass' };
          first = false;
          return { action: 'lose-response' };
        },
      },
    });
    const source = io.createEventSource(EVENTS);
    const log = watch(source, clock);
    await run();
    expect(server.sinks).toHaveLength(2);
    expect(server.closedSinks).toEqual([0]);
    expect(log[0]).toMatch(/error/);
    expect(log.at(-1)).toMatch(/welcome conn-2$/);
  });

  it('close(): no callback fires after it, and the server hears of it one latency later', async () => {
    const { io, run, server, clock, network } = setup();
    const source = io.createEventSource(EVENTS);
    const log = watch(source, clock);
    await run();
    server.sinks[0]!.write('data: in flight\n\n');
    source.close();
    source.close();
    const closedAtMs = clock.now();
    expect(source.readyState).toBe(EVENT_SOURCE_CLOSED);
    expect(server.sinks[0]!.closed).toBe(false);
    expect(server.sinks[0]!.write('data: into the void\n\n')).toBe(true);
    const before = log.length;
    await run();
    expect(log).toHaveLength(before);
    expect(server.closedSinks).toEqual([0]);
    expect(clock.now()).toBeGreaterThanOrEqual(closedAtMs + 10);
    expect(network.openStreams()).toEqual([]);
  });

  it('close() during a pending reconnect cancels it', async () => {
    const { io, run, clock, server, network } = setup();
    const source = io.createEventSource(EVENTS);
    const log = watch(source, clock);
    await run();
    network.dropStream('stream-1');
    await run(clock.now() + 20);
    expect(source.readyState).toBe(EVENT_SOURCE_CONNECTING);
    source.close();
    await run();
    expect(server.sinks).toHaveLength(1);
    expect(log.filter((line) => line.includes('welcome'))).toHaveLength(1);
  });

  it('a listener may close the source mid-chunk; later events of that chunk are not dispatched', async () => {
    const { io, run, server } = setup();
    const source = io.createEventSource(EVENTS);
    const seen: string[] = [];
    source.onmessage = (event) => {
      seen.push(event.data);
      source.close();
    };
    await run();
    server.sinks[0]!.write('data: one\n\ndata: two\n\n');
    await run();
    expect(seen).toEqual(['one']);
  });

  it('records a throwing listener and goes on dispatching', async () => {
    const { io, run, server, records } = setup();
    const source = io.createEventSource(EVENTS);
    const seen: string[] = [];
    source.addEventListener('message', () => {
      throw new Error('app bug');
    });
    source.addEventListener('message', (event) => seen.push(event.data));
    await run();
    server.sinks[0]!.write('data: a\n\n');
    await run();
    expect(seen).toEqual(['a']);
    expect(records.find((record) => record.kind === 'callback-error')?.details).toEqual({
      eventType: 'message',
      message: 'app bug',
    });
  });
});

describe('SimNetwork crash and page loss', () => {
  it('failAllInFlight: pending responses become network errors, streams close without server handlers', async () => {
    const { io, run, server, clock, network } = setup();
    const source = io.createEventSource(EVENTS);
    const log = watch(source, clock);
    await run();
    let failedAtMs = -1;
    const slow = post(io, '/slow').catch((error: unknown) => {
      failedAtMs = clock.now();
      return error;
    });
    await run(clock.now() + 500);
    expect(network.inFlightCount()).toBe(1);
    const crashAtMs = clock.now();
    network.failAllInFlight();
    await Promise.resolve();
    expect(failedAtMs).toBe(-1);
    expect(server.sinks[0]!.closed).toBe(true);
    expect(server.closedSinks).toEqual([]);
    expect(network.openStreams()).toEqual([]);
    await run(clock.now() + 100);
    expect(await slow).toBeInstanceOf(TypeError);
    expect(failedAtMs).toBe(crashAtMs + 10);
    expect(network.inFlightCount()).toBe(0);
    // The dead server's late answer (its timer still runs here) is ignored.
    await run();
    expect(log.some((line) => line.includes('error'))).toBe(true);
    await run();
    expect(log.at(-1)).toMatch(/welcome conn-2$/);
  });

  it('disconnectClient: the page is gone, its answers are never delivered and its streams close', async () => {
    const { io, run, server, clock, network } = setup();
    const source = io.createEventSource(EVENTS);
    const log = watch(source, clock);
    await run();
    let settled = false;
    void post(io, '/slow').then(
      () => (settled = true),
      () => (settled = true),
    );
    await run(clock.now() + 100);
    network.disconnectClient('c1');
    const before = log.length;
    await run();
    expect(settled).toBe(false);
    expect(log).toHaveLength(before);
    expect(server.closedSinks).toEqual([0]);
    expect(source.readyState).toBe(EVENT_SOURCE_CLOSED);
  });

  it('is deterministic end to end: the same seed gives the same records', async () => {
    async function once(): Promise<string> {
      const { io, run, server, network, records, clock } = setup({ latencyMsMin: 1, latencyMsMax: 80, seed: 9 });
      const source = io.createEventSource(EVENTS);
      watch(source, clock);
      await run(200);
      for (let i = 0; i < 5; i++) {
        server.sinks[0]!.write(`data: ${i}\n\n`);
        void post(io, `/p${i}`).catch(() => undefined);
      }
      network.dropStream('stream-1');
      await run(5000);
      return JSON.stringify(records);
    }
    expect(await once()).toBe(await once());
  });
});

describe('SimNetwork under installed globals', () => {
  /** A "third-party" client that only knows the globals: fetch, setTimeout, Date.now. */
  async function retryingPost(log: string[]): Promise<void> {
    for (let attempt = 1; attempt <= 4; attempt++) {
      try {
        const response = await fetch('http://app.test/api/chat/send', {
          method: 'POST',
          headers: {},
          body: `{"attempt":${attempt}}`,
        });
        log.push(`${Date.now()} status ${response.status}`);
        if (response.ok) return;
      } catch {
        log.push(`${Date.now()} network error`);
      }
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }

  async function runOnce(): Promise<{ log: string[]; bodies: string[] }> {
    const decisions: RequestFaultDecision[] = [{ action: 'drop' }, { action: 'respond', status: 503 }];
    const { network, server, clock, loop } = setup({
      latencyMsMin: 5,
      latencyMsMax: 40,
      seed: 3,
      faults: { onRequest: () => decisions.shift() ?? { action: 'pass' } },
    });
    const restore = installGlobals(clock, { fetch: network.clientIo('third-party').fetch });
    const log: string[] = [];
    try {
      const done = retryingPost(log);
      expect(await loop.run({ stepLimit: 1000 })).toMatchObject({ reason: 'idle' });
      await done;
    } finally {
      restore();
    }
    return { log, bodies: server.seen.map((request) => request.body) };
  }

  it('runs a globals-only client on virtual time and the simulated network, the same way twice', async () => {
    const realSetTimeout = globalThis.setTimeout;
    const realFetch = globalThis.fetch;
    const first = await runOnce();
    expect(first.log).toHaveLength(3);
    expect(first.log[0]).toMatch(/^\d+ network error$/);
    expect(first.log[1]).toMatch(/^\d+ status 503$/);
    expect(first.log[2]).toMatch(/^\d+ status 200$/);
    expect(first.bodies).toEqual(['{"attempt":3}']);
    expect(await runOnce()).toEqual(first);
    expect(globalThis.setTimeout).toBe(realSetTimeout);
    expect(globalThis.fetch).toBe(realFetch);
  });
});

describe('requestPathOf', () => {
  /** The reference: what URL parsing against the page's origin makes of it. */
  function parsedPath(url: string): string | null {
    try {
      const parsed = new URL(url, 'http://sim.invalid');
      return `${parsed.pathname}${parsed.search}`;
    } catch {
      return null;
    }
  }

  it('gives what URL parsing gives, for plain paths and odd ones alike', () => {
    const piece = fc.constantFrom(
      '/',
      '//',
      'api',
      'chat',
      '.',
      '..',
      '?',
      '&',
      '=',
      '#',
      '%',
      '%2F',
      ' ',
      '"',
      '\\',
      ':',
      'a.b',
      'é',
      '+',
      '~',
      '-',
    );
    const origin = fc.constantFrom(
      '',
      '',
      'http://sim.local',
      'https://a.b.c:8080',
      'http://xn--a',
      'http://1.2.3.999',
      'http://h:99999',
      'http://a..b',
      'ftp://x',
      'http://',
      'http:/x',
    );
    // Paths the fast reading takes, half of the time, so each odd origin meets them often.
    const plainPath = fc
      .array(fc.constantFrom('api', 'chat', '/', '-', '~', '?q=1', '&r=a.b'), { maxLength: 6 })
      .map((pieces) => `/${pieces.join('')}`);
    const path = fc.oneof(
      plainPath,
      fc.array(piece, { maxLength: 12 }).map((pieces) => pieces.join('')),
    );
    fc.assert(
      fc.property(origin, path, (prefix, rest) => {
        const url = `${prefix}${rest}`;
        expect(requestPathOf(url)).toBe(parsedPath(url));
      }),
      { numRuns: 2000 },
    );
    expect(requestPathOf('/api/chat/history?sessionId=s1&afterSeq=4&limit=100')).toBe(
      '/api/chat/history?sessionId=s1&afterSeq=4&limit=100',
    );
    expect(requestPathOf('http://sim.local/api/chat/send')).toBe('/api/chat/send');
    expect(requestPathOf('http://[bad')).toBeNull();
  });
});
