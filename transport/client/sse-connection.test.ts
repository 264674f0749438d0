/**
 * SseConnection: the welcome sequence, stale callbacks, unknown connection ids, dispose, frames
 * and sending; and, assembled from a version, the historical connection and send path defects.
 */
import { describe, expect, it } from 'vitest';
import { Defects, type DefectId, type SendPath } from '../defects.ts';
import { clientOfVersion } from '../legacy/client-of-version.ts';
import { OBS } from '../observations.ts';
import { GAP_RESYNC_TIMEOUT_MS, type ClientSignal, type ServerFrame } from '../protocol.ts';
import { MemoryStorage } from './browser-io.ts';
import { createFakeEnv } from '../testing/fake-env.ts';
import { FakeFetch, FakeEventSources, settle, type FakeRequest } from '../testing/fake-browser.ts';
import { SseConnection } from './sse-connection.ts';

type Message = ServerFrame | ClientSignal;

function setup(options: { defects?: DefectId[]; sendPath?: SendPath; storage?: MemoryStorage } = {}) {
  const fake = createFakeEnv();
  const fetch = new FakeFetch();
  // History answers are empty unless a test answers them itself.
  fetch.autoRespond = (request) =>
    request.endpoint === 'history'
      ? { status: 200, body: { sessionId: new URL(request.url).searchParams.get('sessionId'), events: [], headSeq: 0 } }
      : undefined;
  const sources = new FakeEventSources();
  const storage = options.storage ?? new MemoryStorage();
  const config = {
    baseUrl: 'http://test',
    fetch: fetch.fetch,
    createEventSource: sources.factory,
    env: fake.env,
    storage,
    storageKey: 'pending',
  };
  const historical = options.defects !== undefined || options.sendPath !== undefined;
  const version = { defects: new Defects(options.defects ?? []), sendPath: options.sendPath ?? 'outbox' };
  const connection = historical ? clientOfVersion(config, version) : new SseConnection(config);
  const messages: Message[] = [];
  connection.onMessage((message) => messages.push(message));
  const types = () => messages.map((m) => m.type);
  const posts = () => fetch.requests.filter((r) => r.endpoint !== 'history');
  return { ...fake, fetch, sources, storage, connection, messages, types, posts };
}

type Harness = ReturnType<typeof setup>;

const receiptFor = (request: FakeRequest, seq = 9) => ({
  status: 202,
  body: { accepted: true, clientMsgId: request.body.clientMsgId, sessionId: request.body.sessionId, seq },
});

const event = (seq: number, prevSessionSeq: number, sessionId = 's1') => ({
  type: 'session_event',
  seq,
  sessionId,
  prevSessionSeq,
  eventType: 'assistant_delta',
  payload: { text: `e${seq}` },
  createdAt: 0,
});

/** conn-1's reconnect POST is still out when the stream errs and conn-2 is welcomed. */
function staleReconnect(defects: DefectId[] = []) {
  const t = setup({ defects });
  t.connection.trackSeq('s1', 1);
  t.connection.connect();
  const source = t.sources.latest();
  source.welcome('conn-1');
  const stale = t.fetch.single('reconnect');
  source.error();
  source.welcome('conn-2');
  return { t, source, stale };
}

/** Connects and completes a welcome (answering the reconnect POST when there is one). */
async function open(t: Harness, connectionId = 'conn-1'): Promise<void> {
  if (t.sources.created.length === 0) t.connection.connect();
  t.sources.latest().welcome(connectionId);
  await settle();
  const reconnect = t.fetch.open().find((r) => r.endpoint === 'reconnect');
  reconnect?.respond({ status: 200, body: { ok: true } });
  await settle();
}

describe('SseConnection: welcome sequence', () => {
  it('tells the server the cursor after a history fetch let buffered events apply', async () => {
    const t = setup();
    t.connection.trackSeq('s1', 4);
    await open(t);
    t.fetch.autoRespond = undefined;
    t.sources.latest().message(event(7, 6));
    t.advance(GAP_RESYNC_TIMEOUT_MS);
    await settle();
    t.fetch
      .single('history')
      .respond({ status: 200, body: { sessionId: 's1', events: [event(5, 4), event(6, 5)], headSeq: 7 } });
    await settle();
    expect(t.connection.getLastSeq('s1')).toBe(7);
    expect(t.fetch.single('watch').body).toEqual({ type: 'watch', sessionId: 's1', lastSeq: 7 });
  });

  it('announces cursors only after a running history fetch landed, so the server does not replay it', async () => {
    const t = setup();
    t.connection.trackSeq('s1', 4);
    await open(t);
    t.fetch.autoRespond = undefined; // history answers are given by hand below
    t.sources.latest().message(event(7, 6)); // 5 and 6 are missing: 7 waits in the buffer
    t.advance(GAP_RESYNC_TIMEOUT_MS);
    await settle();
    const history = t.fetch.single('history');
    t.sources.latest().error();
    t.sources.latest().welcome('conn-2');
    await settle();
    expect(t.fetch.to('reconnect')).toHaveLength(1); // only conn-1's
    history.respond({ status: 200, body: { sessionId: 's1', events: [event(5, 4), event(6, 5)], headSeq: 7 } });
    await settle();
    const reconnect = t.fetch.single('reconnect');
    expect(reconnect.body).toEqual({ type: 'reconnect', sessions: [{ sessionId: 's1', lastSeq: 7 }] });
  });

  it('posts reconnect, then flushes, then becomes connected and emits _open', async () => {
    const t = setup();
    t.connection.trackSeq('s1', 4);
    t.connection.send({ type: 'stop', sessionId: 's1' });
    t.connection.connect();
    expect(t.sources.latest().url).toBe('http://test/api/chat/events');
    t.sources.latest().welcome('conn-1');
    const reconnect = t.fetch.single('reconnect');
    expect(reconnect.body).toEqual({ type: 'reconnect', sessions: [{ sessionId: 's1', lastSeq: 4 }] });
    expect(reconnect.connectionId).toBe('conn-1');
    expect(t.fetch.to('stop')).toHaveLength(0);
    reconnect.respond({ status: 200 });
    await settle();
    const stop = t.fetch.single('stop');
    expect(t.connection.isConnected()).toBe(false);
    expect(t.types()).not.toContain('_open');
    t.connection.send({ type: 'interrupt', sessionId: 's1' });
    expect(t.fetch.to('interrupt')).toHaveLength(0);
    stop.respond({ status: 200 });
    await settle();
    t.fetch.single('interrupt').respond({ status: 202 });
    await settle();
    expect(t.connection.isConnected()).toBe(true);
    expect(t.connection.getConnectionId()).toBe('conn-1');
    expect(t.messages).toEqual([{ type: '_open', connectionId: 'conn-1' }]);
    expect(t.posts().map((r) => r.endpoint)).toEqual(['reconnect', 'stop', 'interrupt']);
  });

  it('skips the reconnect POST when no session is tracked', async () => {
    const t = setup();
    t.connection.connect();
    t.sources.latest().welcome('conn-1');
    await settle();
    expect(t.posts()).toHaveLength(0);
    expect(t.messages).toEqual([{ type: '_open', connectionId: 'conn-1' }]);
  });

  it('closes the EventSource after a failed reconnect POST and opens a fresh one after the delay', async () => {
    const t = setup();
    t.connection.trackSeq('s1', 2);
    t.connection.connect();
    const first = t.sources.latest();
    first.welcome('conn-1');
    t.fetch.single('reconnect').respond({ status: 503 });
    await settle();
    expect(first.closed).toBe(true);
    expect(t.connection.isConnected()).toBe(false);
    t.advance(499);
    expect(t.sources.created).toHaveLength(1);
    t.advance(1);
    expect(t.sources.created).toHaveLength(2);
    await open(t, 'conn-2');
    expect(t.connection.isConnected()).toBe(true);
  });

  it('marks itself disconnected on a stream error and reconnects on the next welcome', async () => {
    const t = setup();
    t.connection.trackSeq('s1', 3);
    await open(t);
    t.sources.latest().error();
    expect(t.connection.isConnected()).toBe(false);
    expect(t.connection.getConnectionId()).toBeNull();
    expect(t.types()).toEqual(['_open', '_close']);
    await open(t, 'conn-2');
    expect(t.fetch.to('reconnect').map((r) => r.connectionId)).toEqual(['conn-1', 'conn-2']);
    expect(t.types()).toEqual(['_open', '_close', '_open']);
  });

  it('opens a fresh EventSource when the old one gave up for good', async () => {
    const t = setup();
    await open(t);
    t.sources.latest().error(true);
    t.advance(500);
    expect(t.sources.created).toHaveLength(2);
  });

  it('replaces the EventSource on checkAndReconnect only when not connected or forced', async () => {
    const t = setup();
    await open(t);
    t.connection.checkAndReconnect();
    expect(t.sources.created).toHaveLength(1);
    t.connection.checkAndReconnect(true);
    expect(t.sources.created).toHaveLength(2);
    expect(t.sources.created[0]!.closed).toBe(true);
    expect(t.connection.isConnected()).toBe(false);
  });
});

describe('SseConnection: stale callbacks are ignored', () => {
  it('ignores a welcome and an error of a replaced EventSource', async () => {
    const t = setup();
    await open(t);
    const old = t.sources.latest();
    t.connection.checkAndReconnect(true);
    const closes = t.types().length;
    old.welcome('conn-old');
    old.error();
    await settle();
    expect(t.connection.getConnectionId()).toBeNull();
    expect(t.types()).toHaveLength(closes);
    await open(t, 'conn-2');
    expect(t.connection.getConnectionId()).toBe('conn-2');
  });

  it('ignores the late reconnect answer of an older connection id', async () => {
    const { t, stale } = staleReconnect();
    stale.respond({ status: 200 });
    await settle();
    expect(t.connection.isConnected()).toBe(false);
    expect(t.types()).not.toContain('_open');
    t.fetch.single('reconnect').respond({ status: 200 });
    await settle();
    expect(t.messages.at(-1)).toEqual({ type: '_open', connectionId: 'conn-2' });
  });

  it('ignores a late failure answer of an older connection id', async () => {
    const { t, source, stale } = staleReconnect();
    stale.respond({ status: 500 });
    await settle();
    expect(source.closed).toBe(false);
    t.advance(1000);
    expect(t.sources.created).toHaveLength(1);
  });
});

describe('SseConnection: a connection id the server no longer knows', () => {
  it('replaces the EventSource when a POST on the current id is answered 404', async () => {
    const t = setup();
    await open(t);
    t.connection.send({ type: 'stop', sessionId: 's1' });
    t.fetch.single('stop').respond({ status: 404, text: 'unknown connection' });
    await settle();
    expect(t.sources.created).toHaveLength(2);
    expect(t.sources.created[0]!.closed).toBe(true);
    expect(t.logsOf('client.connection.unknown')[0]!.data).toEqual({ connectionId: 'conn-1' });
    await open(t, 'conn-2');
    expect(t.connection.getConnectionId()).toBe('conn-2');
  });

  it('ignores a 404 for an id that was already replaced', async () => {
    const t = setup();
    t.connection.send({ type: 'send', sessionId: 's1', prompt: 'a' });
    await open(t);
    const stale = t.fetch.single('send');
    t.sources.latest().error();
    await open(t, 'conn-2');
    stale.respond({ status: 404 });
    await settle();
    expect(t.sources.created).toHaveLength(1);
    expect(t.connection.isConnected()).toBe(true);
  });
});

describe('SseConnection: dispose', () => {
  it('clears every timer, also those of requests in flight, and ignores later answers', async () => {
    const t = setup();
    t.connection.trackSeq('s1', 1);
    t.connection.send({ type: 'send', sessionId: 's1', prompt: 'a' });
    t.connection.connect();
    t.sources.latest().welcome('conn-1');
    await settle();
    expect(
      t.fetch
        .open()
        .map((r) => r.endpoint)
        .sort(),
    ).toEqual(['reconnect', 'send']);
    t.connection.dispose();
    expect(t.pendingTimerCount()).toBe(0);
    t.fetch.open().forEach((request) => request.respond({ status: 200 }));
    await settle();
    expect(t.messages).toEqual([]);
    expect(t.connection.send({ type: 'stop', sessionId: 's1' })).toBe(false);
  });
});

describe('SseConnection: frames', () => {
  it('turns malformed and unknown frames into error signals without throwing', async () => {
    const t = setup();
    await open(t);
    const source = t.sources.latest();
    expect(() => source.message('{not json')).not.toThrow();
    source.message({ type: 'mystery' });
    source.message({ type: 'session_event', sessionId: 's1', prevSessionSeq: 0 });
    source.message('[1,2]');
    const errors = t.messages.filter((m): m is Extract<ClientSignal, { type: 'error' }> => m.type === 'error');
    expect(errors.map((e) => e.message)).toEqual([
      expect.stringContaining('not JSON'),
      'malformed frame: unknown frame type "mystery"',
      expect.stringContaining('seq must be a positive integer'),
      'malformed frame: frame must be a JSON object',
    ]);
    expect(t.logsOf('client.frame.malformed')).toHaveLength(4);
  });

  it('hands session events to the app in order through AppliedDelivery; a throwing listener fails it', async () => {
    const t = setup();
    t.connection.trackSeq('s1', 4);
    await open(t);
    let failNext = true;
    t.connection.onMessage((message) => {
      if (message.type === 'session_event' && message.seq === 6 && failNext) {
        failNext = false;
        throw new Error('app could not render');
      }
    });
    const source = t.sources.latest();
    source.message(event(6, 5));
    source.message(event(5, 4));
    expect(t.connection.getLastSeq('s1')).toBe(5);
    expect(t.messages.filter((m) => m.type === 'session_event').map((m) => (m as { seq: number }).seq)).toEqual([5, 6]);
    expect(t.logsOf(OBS.clientCursor).at(-1)!.data).toEqual({ sessionId: 's1', cursor: 5 });
  });

  it('sends events_skipped to AppliedDelivery and reconnected frames to the listener', async () => {
    const t = setup();
    t.connection.trackSeq('s1', 4);
    await open(t);
    t.sources.latest().message({ type: 'events_skipped', sessionId: 's1', fromSeq: 5, toSeq: 300 });
    await settle();
    expect(t.fetch.to('history').at(-1)!.url).toContain('afterSeq=4');
    t.sources.latest().message({ type: 'reconnected', sessions: [{ sessionId: 's1', replayed: 3 }] });
    expect(t.messages.at(-1)).toEqual({ type: 'reconnected', sessions: [{ sessionId: 's1', replayed: 3 }] });
  });

  it('keeps delivering to other listeners when one throws on a signal', async () => {
    const t = setup();
    t.connection.onMessage(() => {
      throw new Error('listener bug');
    });
    await open(t);
    expect(t.types()).toEqual(['_open']);
    expect(t.logsOf('client.listener.failed')).toHaveLength(1);
  });
});

describe('SseConnection: sending', () => {
  it('gives prompts a clientMsgId and sends them through the outbox', async () => {
    const t = setup();
    expect(t.connection.send({ type: 'send', sessionId: 's1', prompt: 'hello' })).toBe(true);
    expect(t.connection.pendingCount()).toBe(1);
    expect(t.logsOf(OBS.clientPromptAccepted)[0]!.data).toEqual({
      clientMsgId: 'msg-1',
      sessionId: 's1',
      prompt: 'hello',
    });
    await open(t);
    const request = t.fetch.single('send');
    expect(request.body).toEqual({ type: 'send', sessionId: 's1', clientMsgId: 'msg-1', prompt: 'hello' });
    expect(t.connection.inFlightCount()).toBe(1);
    request.respond(receiptFor(request));
    await settle();
    expect(t.messages.at(-1)).toEqual({ type: '_send_accepted', clientMsgId: 'msg-1', sessionId: 's1', seq: 9 });
    expect(t.connection.pendingCount()).toBe(0);
  });

  it('refuses bad input with an error signal naming the field', () => {
    const t = setup();
    expect(t.connection.send({ type: 'send', sessionId: '', prompt: 'x' })).toBe(false);
    expect(t.connection.send({ type: 'teleport' } as never)).toBe(false);
    expect(t.connection.send(null as never)).toBe(false);
    expect(t.connection.watchSession('')).toBe(false);
    expect(t.messages.map((m) => (m as { message: string }).message)).toEqual([
      'send refused: sessionId must be a non-empty string',
      expect.stringContaining('send refused: type must be one of'),
      'send refused: message must be an object',
      'watchSession refused: sessionId must be a non-empty string',
    ]);
  });

  it('watchSession before a connection is announced by the reconnect, not by a watch', async () => {
    const t = setup();
    t.connection.trackSeq('s2', 7);
    expect(t.connection.watchSession('s2')).toBe(true);
    await open(t);
    expect(t.fetch.to('reconnect')[0]!.body.sessions).toEqual([{ sessionId: 's2', lastSeq: 7 }]);
    expect(t.fetch.to('watch')).toHaveLength(0);
    expect(t.connection.trackedSessions()).toEqual([{ sessionId: 's2', lastSeq: 7 }]);
  });

  it('watchSession on a connection posts watch once, with the cursor it has when it goes out', async () => {
    const t = setup();
    await open(t);
    t.connection.trackSeq('s3', 2);
    expect(t.connection.watchSession('s3')).toBe(true);
    expect(t.connection.watchSession('s3')).toBe(true);
    expect(t.fetch.single('watch').body).toEqual({ type: 'watch', sessionId: 's3', lastSeq: 2 });
    expect(t.fetch.to('watch')).toHaveLength(1);
  });

  it('drops a queued watch whose session the next reconnect already announced', async () => {
    const t = setup();
    await open(t);
    t.connection.send({ type: 'stop', sessionId: 's1' });
    t.connection.trackSeq('s3', 2);
    t.connection.watchSession('s3');
    t.sources.latest().error();
    await open(t, 'conn-2');
    t.fetch.open().forEach((request) => request.respond({ status: 200 }));
    await settle();
    expect(t.fetch.to('reconnect').at(-1)!.body.sessions).toEqual([{ sessionId: 's3', lastSeq: 2 }]);
    expect(t.fetch.to('watch')).toHaveLength(0);
    expect(t.connection.pendingCount()).toBe(0);
  });

  it('sends pending prompts again after a reload on the same storage', async () => {
    const storage = new MemoryStorage();
    const page = setup({ storage });
    page.connection.send({ type: 'send', sessionId: 's1', prompt: 'a' });
    page.connection.send({ type: 'send', sessionId: 's1', prompt: 'b' });
    page.connection.dispose();
    expect(page.pendingTimerCount()).toBe(0);
    const reloaded = setup({ storage });
    expect(reloaded.connection.pendingCount()).toBe(2);
    await open(reloaded);
    const first = reloaded.fetch.single('send');
    expect(first.body).toMatchObject({ clientMsgId: 'msg-1', prompt: 'a' });
    first.respond(receiptFor(first));
    await settle();
    expect(reloaded.fetch.single('send').body).toMatchObject({ clientMsgId: 'msg-2', prompt: 'b' });
  });

  it('legacy path without defects: queued prompts flush in order after the welcome, failures are retried', async () => {
    const t = setup({ sendPath: 'legacy-queue' });
    t.connection.send({ type: 'send', sessionId: 's1', prompt: 'a' });
    t.connection.send({ type: 'send', sessionId: 's1', prompt: 'b' });
    await open(t);
    t.fetch.single('send').respond({ status: 503 });
    await settle();
    expect(t.connection.isConnected()).toBe(true);
    t.connection.send({ type: 'send', sessionId: 's1', prompt: 'c' });
    expect(t.fetch.open()).toHaveLength(0);
    t.advance(1000);
    const order: string[] = [];
    for (let request = t.fetch.open()[0]; request; request = t.fetch.open()[0]) {
      order.push(String(request.body.prompt));
      request.respond(receiptFor(request));
      await settle();
    }
    expect(order).toEqual(['a', 'b', 'c']);
    expect(t.messages.filter((m) => m.type === '_send_accepted')).toHaveLength(3);
  });

  it('retries a permission_response after a reconnect and reports a failed control POST', async () => {
    const t = setup();
    await open(t);
    t.connection.send({ type: 'permission_response', sessionId: 's1', requestId: 'r1', allow: true });
    t.fetch.single('permission').respond({ status: 404 });
    await settle();
    t.sources.latest().error();
    await open(t, 'conn-2');
    expect(t.fetch.single('permission').connectionId).toBe('conn-2');
    t.connection.send({ type: 'set_mode', sessionId: 's1', mode: 'plan' });
    t.fetch.single('permission').respond({ status: 200 });
    await settle();
    t.fetch.single('mode').respond({ status: 400, text: 'mode: unknown' });
    await settle();
    expect(t.messages.filter((m) => m.type === 'error')).toEqual([
      {
        type: 'error',
        message: 'set_mode failed: status 400: mode: unknown',
        messageType: 'set_mode',
        status: 400,
        attempts: 1,
      },
    ]);
    expect(t.types().at(-1)).toBe('_open');
  });
});

describe('SseConnection defects (same script, defect on then off)', () => {
  async function overtakeScript(defects: DefectId[]) {
    const t = setup({ defects });
    t.connection.send({ type: 'send', sessionId: 's1', prompt: 'a' });
    t.connection.send({ type: 'send', sessionId: 's1', prompt: 'b' });
    await open(t);
    t.connection.send({ type: 'send', sessionId: 's1', prompt: 'c' });
    return t.fetch.open().map((r) => r.body.prompt);
  }

  it('connected-before-flush: a new send posts directly and overtakes queued prompts', async () => {
    expect(await overtakeScript(['connected-before-flush'])).toEqual(['a', 'c']);
    expect(await overtakeScript([])).toEqual(['a']);
  });

  async function openBeforeFlushScript(defects: DefectId[]) {
    const t = setup({ defects });
    t.connection.trackSeq('s1', 1);
    t.connection.send({ type: 'stop', sessionId: 's1' });
    // The app posts when it hears _open.
    t.connection.onMessage((message) => {
      if (message.type === '_open') t.connection.send({ type: 'interrupt', sessionId: 's1' });
    });
    t.connection.connect();
    t.sources.latest().welcome('conn-1');
    t.fetch.single('reconnect').respond({ status: 200 });
    await settle();
    const openWhileFlushing = t.types().includes('_open');
    const inFlight = t.fetch.open().map((r) => r.endpoint);
    return { openWhileFlushing, inFlight };
  }

  it('open-before-flush: _open comes before the flush ends and the app overtakes it', async () => {
    expect(await openBeforeFlushScript(['open-before-flush'])).toEqual({
      openWhileFlushing: true,
      inFlight: ['interrupt', 'stop'],
    });
    expect(await openBeforeFlushScript([])).toEqual({ openWhileFlushing: false, inFlight: ['stop'] });
  });

  async function staleAnswerScript(defects: DefectId[]) {
    const { t, stale } = staleReconnect(defects);
    stale.respond({ status: 200 });
    await settle();
    return { connected: t.connection.isConnected(), connectionId: t.connection.getConnectionId() };
  }

  it('stale-stream-callbacks: a stale reconnect answer marks the client connected on a dead id', async () => {
    expect(await staleAnswerScript(['stale-stream-callbacks'])).toEqual({ connected: true, connectionId: 'conn-1' });
    expect(await staleAnswerScript([])).toEqual({ connected: false, connectionId: 'conn-2' });
  });

  async function parallelScript(defects: DefectId[], sendPath: SendPath) {
    const t = setup({ defects, sendPath });
    for (const prompt of ['a', 'b', 'c']) t.connection.send({ type: 'send', sessionId: 's1', prompt });
    await open(t);
    return t.fetch.open().length;
  }

  it('parallel-flush: on both send paths, every queued prompt is in flight at once', async () => {
    for (const sendPath of ['outbox', 'legacy-queue'] as const) {
      expect(await parallelScript(['parallel-flush'], sendPath)).toBe(3);
      expect(await parallelScript([], sendPath)).toBe(1);
    }
  });
});
