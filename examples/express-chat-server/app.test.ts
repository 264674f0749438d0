/**
 * The chat server's own tests, as its project would write them: the app on a real loopback
 * `node:http` server with real timers and clock, a SQLite file in a temporary folder, and plain
 * `fetch` for the browser's side. They cover the happy path only; the two known bugs
 * (chat-store.ts, prompt-routes.ts) need a restart or a lost response on a replaced stream,
 * which is what ssesim's faults bring. The last suite runs ssesim's bundled browser client,
 * unchanged, against the app.
 */
import { mkdtempSync } from 'node:fs';
import { createServer, type Server } from 'node:http';
import type { AddressInfo } from 'node:net';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { EventSource } from 'eventsource';
import { afterEach, describe, expect, it } from 'vitest';
import { bundledTransport, resolveVersion, type Env, type StorageLike } from '../../index.ts';
import { createChatApp, type ChatApp } from './app.ts';
import { createChatStore } from './chat-store.ts';
import { openChatStoreReader } from './chat-store-reader.ts';
import { migrate } from './migrations.ts';
import { REPLAY_LIMIT } from './replay.ts';

interface Running {
  baseUrl: string;
  chat: ChatApp;
  logged: { event: string; data: Record<string, unknown> }[];
  stop(): Promise<void>;
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

const tempDbPath = (): string => join(mkdtempSync(join(tmpdir(), 'express-chat-')), 'chat.db');

let idCounter = 0;

/** One process start: the app on the file at `dbPath`, listening on a free loopback port. */
async function start(dbPath: string): Promise<Running> {
  const db = new Database(dbPath);
  const logged: Running['logged'] = [];
  const chat = createChatApp({
    db,
    now: () => Date.now(),
    setTimeout: (fn, ms) => setTimeout(fn, ms),
    clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
    setInterval: (fn, ms) => setInterval(fn, ms),
    clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
    newId: (prefix) => `${prefix}-${++idCounter}-${Math.random().toString(16).slice(2)}`,
    log: (event, data) => void logged.push({ event, data }),
  });
  const server: Server = createServer(chat.app);
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  const { port } = server.address() as AddressInfo;
  let stopped = false;
  const stop = async () => {
    if (stopped) return;
    stopped = true;
    chat.close();
    server.closeAllConnections();
    await new Promise((resolve) => server.close(resolve));
    db.close();
  };
  cleanups.push(stop);
  return { baseUrl: `http://127.0.0.1:${port}`, chat, logged, stop };
}

interface Frame {
  event: string;
  data: Record<string, unknown>;
}

interface TestStream {
  connectionId: string;
  frames: Frame[];
  /** Resolves once a frame matches, failing after `timeoutMs`. */
  waitFor(match: (frame: Frame) => boolean, timeoutMs?: number): Promise<Frame>;
  close(): void;
}

/** `event:`/`data:` blocks of an SSE text; comment lines (heartbeats) are left out. */
function parseBlock(block: string): Frame | null {
  let event = 'message';
  let data = '';
  for (const line of block.split('\n')) {
    if (line.startsWith('event: ')) event = line.slice('event: '.length);
    else if (line.startsWith('data: ')) data += line.slice('data: '.length);
  }
  return data === '' ? null : { event, data: JSON.parse(data) as Record<string, unknown> };
}

async function openStream(baseUrl: string): Promise<TestStream> {
  const abort = new AbortController();
  const response = await fetch(`${baseUrl}/api/chat/events`, { signal: abort.signal });
  expect(response.headers.get('content-type')).toBe('text/event-stream');
  const frames: Frame[] = [];
  const waiters = new Set<() => void>();
  void (async () => {
    const decoder = new TextDecoder();
    let buffered = '';
    try {
      for await (const chunk of response.body!) {
        buffered += decoder.decode(chunk as Uint8Array, { stream: true });
        let end: number;
        while ((end = buffered.indexOf('\n\n')) !== -1) {
          const frame = parseBlock(buffered.slice(0, end));
          buffered = buffered.slice(end + 2);
          if (frame) frames.push(frame);
        }
        for (const wake of [...waiters]) wake();
      }
    } catch {
      // Aborted by close().
    }
  })();
  const waitFor: TestStream['waitFor'] = (match, timeoutMs = 5_000) =>
    new Promise((resolve, reject) => {
      const timer = setTimeout(() => {
        waiters.delete(check);
        reject(new Error(`no matching frame within ${timeoutMs} ms; got ${JSON.stringify(frames)}`));
      }, timeoutMs);
      const check = () => {
        const found = frames.find(match);
        if (!found) return;
        clearTimeout(timer);
        waiters.delete(check);
        resolve(found);
      };
      waiters.add(check);
      check();
    });
  const welcome = await waitFor((frame) => frame.event === 'welcome');
  const close = () => abort.abort();
  cleanups.push(close);
  return { connectionId: String(welcome.data.connectionId), frames, waitFor, close };
}

async function post(baseUrl: string, connectionId: string | null, endpoint: string, body: unknown) {
  const headers: Record<string, string> = { 'content-type': 'application/json' };
  if (connectionId !== null) headers['x-connection-id'] = connectionId;
  const response = await fetch(`${baseUrl}/api/chat/${endpoint}`, {
    method: 'POST',
    headers,
    body: typeof body === 'string' ? body : JSON.stringify(body),
  });
  return { status: response.status, body: (await response.json()) as Record<string, unknown> };
}

const sessionEvents = (stream: TestStream, sessionId: string) =>
  stream.frames
    .map((frame) => frame.data)
    .filter((data) => data.type === 'session_event' && data.sessionId === sessionId);

const isResultOf = (clientMsgId: string) => (frame: Frame) =>
  frame.data.eventType === 'result' && (frame.data.payload as { clientMsgId?: unknown }).clientMsgId === clientMsgId;

/** Reads the file as ssesim's end-state check does. */
function storedEvents(dbPath: string, sessionId: string) {
  const reader = openChatStoreReader(dbPath);
  try {
    return reader.getSessionEvents(sessionId);
  } finally {
    reader.close();
  }
}

describe('a prompt over HTTP', () => {
  it('is stored, answered 202 with its receipt, and its answer streams to the watcher in order', async () => {
    const dbPath = tempDbPath();
    const { baseUrl, chat, logged } = await start(dbPath);
    const stream = await openStream(baseUrl);
    expect(stream.connectionId).toMatch(/^conn-/);
    expect(chat.connectionIds()).toEqual([stream.connectionId]);
    expect(
      (await post(baseUrl, stream.connectionId, 'watch', { type: 'watch', sessionId: 's1', lastSeq: 0 })).status,
    ).toBe(200);

    const send = { type: 'send', sessionId: 's1', clientMsgId: 'm1', prompt: 'hello' };
    const answer = await post(baseUrl, stream.connectionId, 'send', send);
    expect(answer).toEqual({ status: 202, body: { accepted: true, clientMsgId: 'm1', sessionId: 's1', seq: 1 } });
    await stream.waitFor(isResultOf('m1'));

    const events = sessionEvents(stream, 's1');
    expect(events.map((e) => [e.seq, e.prevSessionSeq, e.eventType])).toEqual([
      [1, 0, 'user_message'],
      [2, 1, 'assistant_delta'],
      [3, 2, 'assistant_delta'],
      [4, 3, 'result'],
    ]);
    expect(events[1]).toMatchObject({ sessionId: 's1', payload: { text: expect.any(String) } });
    const stored = storedEvents(dbPath, 's1');
    expect(stored.map((e) => e.seq)).toEqual([1, 2, 3, 4]);
    expect(stored[0]).toMatchObject({ type: 'user_message', payload: { clientMsgId: 'm1', prompt: 'hello' } });
    expect(logged.filter((line) => line.event === 'agent.run.started')).toHaveLength(1);
  });

  it('retried with its clientMsgId is stored and run once; another prompt under that id is a 409', async () => {
    const dbPath = tempDbPath();
    const { baseUrl, logged } = await start(dbPath);
    const stream = await openStream(baseUrl);
    const send = { type: 'send', sessionId: 's1', clientMsgId: 'm1', prompt: 'hello' };
    const first = await post(baseUrl, stream.connectionId, 'send', send);
    const retry = await post(baseUrl, stream.connectionId, 'send', send);
    expect(retry).toEqual(first);
    const conflict = await post(baseUrl, stream.connectionId, 'send', { ...send, prompt: 'other' });
    expect(conflict.status).toBe(409);
    await new Promise((resolve) => setTimeout(resolve, 400));
    const prompts = storedEvents(dbPath, 's1').filter((e) => e.type === 'user_message');
    expect(prompts).toHaveLength(1);
    expect(logged.filter((line) => line.event === 'agent.run.started')).toHaveLength(1);
  });
});

describe('requests the server refuses', () => {
  it('answers 400 without the header, 404 for an unknown id or an unwatched history, 400 for a bad body', async () => {
    const { baseUrl } = await start(tempDbPath());
    const stream = await openStream(baseUrl);
    const send = { type: 'send', sessionId: 's1', clientMsgId: 'm1', prompt: 'hello' };
    expect(await post(baseUrl, null, 'send', send)).toEqual({
      status: 400,
      body: { error: 'missing X-Connection-ID header' },
    });
    expect((await post(baseUrl, 'conn-unknown', 'send', send)).status).toBe(404);
    expect(await post(baseUrl, stream.connectionId, 'send', { ...send, clientMsgId: '' })).toEqual({
      status: 400,
      body: { error: 'clientMsgId must be a non-empty string' },
    });
    expect((await post(baseUrl, stream.connectionId, 'send', '{not json')).status).toBe(400);
    const reconnect = await post(baseUrl, stream.connectionId, 'reconnect', { type: 'reconnect', sessions: [{}] });
    expect(reconnect.body.error).toMatch(/^sessions\[0\] must be/);
    const history = await fetch(`${baseUrl}/api/chat/history?sessionId=s1&afterSeq=0`, {
      headers: { 'x-connection-id': stream.connectionId },
    });
    expect(history.status).toBe(404);
  });
});

describe('a restart on the same file', () => {
  it('keeps the messages: a stream reconnecting from seq 1 gets the rest replayed, then `reconnected`', async () => {
    const dbPath = tempDbPath();
    const first = await start(dbPath);
    const before = await openStream(first.baseUrl);
    const send = { type: 'send', sessionId: 's1', clientMsgId: 'm1', prompt: 'hello' };
    await post(first.baseUrl, before.connectionId, 'watch', { type: 'watch', sessionId: 's1', lastSeq: 0 });
    await post(first.baseUrl, before.connectionId, 'send', send);
    await before.waitFor(isResultOf('m1'));
    before.close();
    await first.stop();

    const second = await start(dbPath);
    const after = await openStream(second.baseUrl);
    expect(after.connectionId).not.toBe(before.connectionId);
    const reconnect = { type: 'reconnect', sessions: [{ sessionId: 's1', lastSeq: 1 }] };
    expect((await post(second.baseUrl, after.connectionId, 'reconnect', reconnect)).status).toBe(200);
    const done = await after.waitFor((frame) => frame.data.type === 'reconnected');
    expect(done.data.sessions).toEqual([{ sessionId: 's1', replayed: 3 }]);
    expect(sessionEvents(after, 's1').map((e) => e.seq)).toEqual([2, 3, 4]);
    expect(storedEvents(dbPath, 's1').map((e) => [e.seq, e.type])).toEqual([
      [1, 'user_message'],
      [2, 'assistant_delta'],
      [3, 'assistant_delta'],
      [4, 'result'],
    ]);
    const history = await fetch(`${second.baseUrl}/api/chat/history?sessionId=s1&afterSeq=0&limit=2`, {
      headers: { 'x-connection-id': after.connectionId },
    });
    const page = (await history.json()) as { events: { seq: number }[]; headSeq: number };
    expect({ seqs: page.events.map((e) => e.seq), headSeq: page.headSeq }).toEqual({ seqs: [1, 2], headSeq: 4 });
  });

  it(`replays at most ${REPLAY_LIMIT} events on a reconnect and announces the rest as skipped`, async () => {
    const dbPath = tempDbPath();
    const db = new Database(dbPath);
    migrate(db);
    const store = createChatStore(db, () => 1_000);
    for (let i = 0; i < REPLAY_LIMIT + 50; i++) store.append('s1', 'assistant_delta', { text: `part ${i}` });
    db.close();

    const { baseUrl, logged } = await start(dbPath);
    const stream = await openStream(baseUrl);
    const reconnect = { type: 'reconnect', sessions: [{ sessionId: 's1', lastSeq: 10 }] };
    await post(baseUrl, stream.connectionId, 'reconnect', reconnect);
    await stream.waitFor((frame) => frame.data.type === 'reconnected');
    const seqs = sessionEvents(stream, 's1').map((e) => e.seq as number);
    expect([seqs.length, seqs[0], seqs.at(-1)]).toEqual([REPLAY_LIMIT, 11, 10 + REPLAY_LIMIT]);
    const skipped = stream.frames.find((frame) => frame.data.type === 'events_skipped');
    expect(skipped?.data).toEqual({ type: 'events_skipped', sessionId: 's1', fromSeq: 211, toSeq: 250 });
    const replayed = logged.find((line) => line.event === 'reconnect.replayed');
    expect(replayed?.data).toEqual({ connectionId: stream.connectionId, sessionId: 's1', lastSeq: 10, replayed: 200 });
  });
});

/** The browser client ssesim bundles, on real timers, real `fetch` and the `eventsource` package. */
function bundledClient(baseUrl: string) {
  let ids = 0;
  const env: Env = {
    clock: { now: () => Date.now() },
    timers: {
      setTimeout: (fn, ms) => setTimeout(fn, ms),
      clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout),
      setInterval: (fn, ms) => setInterval(fn, ms),
      clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout),
    },
    ids: { next: (prefix) => `${prefix}-${++ids}` },
    random: { int: (max) => Math.floor(Math.random() * max), chance: (n, d) => Math.random() * d < n },
    logger: { log: () => {} },
  };
  const items = new Map<string, string>();
  const storage: StorageLike = {
    getItem: (key) => items.get(key) ?? null,
    setItem: (key, value) => void items.set(key, value),
    removeItem: (key) => void items.delete(key),
  };
  const client = bundledTransport.createClient(
    env,
    {
      fetch: (url, init) => fetch(url.replace('http://sim.local', baseUrl), init),
      createEventSource: (url) => new EventSource(url.replace('http://sim.local', baseUrl)) as never,
      storage,
      observe: {
        cursor: () => {},
        queueLength: () => {},
        bufferLength: () => {},
        promptAccepted: () => {},
        probe: () => {},
      },
    },
    resolveVersion('fixed'),
  );
  const seen: Record<string, unknown>[] = [];
  client.onMessage((message) => void seen.push(message as Record<string, unknown>));
  cleanups.push(() => client.dispose());
  const waitFor = async (match: (message: Record<string, unknown>) => boolean, timeoutMs = 5_000) => {
    for (const deadline = Date.now() + timeoutMs; Date.now() < deadline;) {
      if (seen.some(match)) return;
      await new Promise((resolve) => setTimeout(resolve, 20));
    }
    throw new Error(`no matching message within ${timeoutMs} ms; got ${JSON.stringify(seen)}`);
  };
  return { client, seen, waitFor };
}

describe("ssesim's bundled browser client against the app", () => {
  it('connects, sends, applies the answer in order, and catches up over a new stream', async () => {
    const { baseUrl, chat } = await start(tempDbPath());
    const { client, seen, waitFor } = bundledClient(baseUrl);
    client.connect();
    client.watchSession('s1');
    await waitFor((m) => m.type === '_open');
    expect(client.send({ type: 'send', sessionId: 's1', prompt: 'hello' })).toBe(true);
    await waitFor((m) => m.type === '_send_accepted');
    await waitFor((m) => m.type === 'session_event' && m.eventType === 'result');

    client.checkAndReconnect?.(true);
    await waitFor((m) => m.type === 'reconnected');
    expect(client.send({ type: 'send', sessionId: 's1', prompt: 'again' })).toBe(true);
    await waitFor((m) => m.type === 'session_event' && m.seq === 8);

    const applied = seen.filter((m) => m.type === 'session_event').map((m) => [m.seq, m.eventType]);
    expect(applied).toEqual([
      [1, 'user_message'],
      [2, 'assistant_delta'],
      [3, 'assistant_delta'],
      [4, 'result'],
      [5, 'user_message'],
      [6, 'assistant_delta'],
      [7, 'assistant_delta'],
      [8, 'result'],
    ]);
    expect(seen.filter((m) => m.type === '_send_accepted').map((m) => m.seq)).toEqual([1, 5]);
    expect(seen.filter((m) => m.type === 'error' || m.type === '_gap' || m.type === '_send_failed')).toEqual([]);
    expect(chat.connectionIds()).toEqual([client.getConnectionId()]);
  });
});
