/**
 * The transport over real sockets: node:http, Node's fetch, the `eventsource` package and a
 * SQLite file. These tests use real time, so they wait on conditions, never on fixed sleeps.
 */
import fs from 'node:fs';
import http from 'node:http';
import os from 'node:os';
import path from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { MemoryStorage } from '../client/browser-io.ts';
import { SseConnection } from '../client/sse-connection.ts';
import { realEnv, type Logger } from '../env.ts';
import type { RequestHandler, StreamSink } from '../http.ts';
import { OBS } from '../observations.ts';
import {
  CONNECTION_HEADER,
  MAX_BODY_BYTES,
  STREAM_BUFFER_LIMIT_BYTES,
  type ClientSignal,
  type ServerFrame,
  type SessionEventFrame,
} from '../protocol.ts';
import { SimulatedAgent } from '../server/agent.ts';
import { ChatServer } from '../server/chat-server.ts';
import { EventStore } from '../server/event-store.ts';
import { scriptedAgentFactory } from '../testing/scripted-agent.ts';
import { serveChat, type ServedChat } from './http-adapter.ts';
import { createNodeClientIo } from './node-client.ts';

interface RawResponse {
  status: number;
  headers: http.IncomingHttpHeaders;
  body: string;
}

/** One request over node:http, so nothing between the test and the socket rewrites it. */
function rawRequest(
  baseUrl: string,
  options: { method: string; path: string; headers?: Record<string, string>; body?: string | Buffer },
): Promise<RawResponse> {
  return new Promise((resolve, reject) => {
    const request = http.request(
      new URL(options.path, baseUrl),
      { method: options.method, headers: options.headers },
      (response) => {
        const chunks: Buffer[] = [];
        response.on('data', (chunk: Buffer) => chunks.push(chunk));
        response.on('end', () =>
          resolve({
            status: response.statusCode ?? 0,
            headers: response.headers,
            body: Buffer.concat(chunks).toString('utf8'),
          }),
        );
      },
    );
    request.on('error', reject);
    request.end(options.body);
  });
}

/** Reads an SSE response until its first complete frame and returns it with the headers. */
function readFirstSseFrame(
  baseUrl: string,
  pathName: string,
): Promise<{ headers: http.IncomingHttpHeaders; frame: string }> {
  return new Promise((resolve, reject) => {
    const request = http.get(new URL(pathName, baseUrl), (response) => {
      let text = '';
      response.setEncoding('utf8');
      response.on('data', (chunk: string) => {
        text += chunk;
        const end = text.indexOf('\n\n');
        if (end === -1) return;
        resolve({ headers: response.headers, frame: text.slice(0, end + 2) });
        request.destroy();
      });
    });
    request.on('error', reject);
  });
}

/** Collects error-level logs so a test can assert the server never logged a failure. */
function recordingLogger(): Logger & { errors: unknown[] } {
  const errors: unknown[] = [];
  return {
    errors,
    log(level, event, data) {
      if (level === 'error') errors.push({ event, ...data });
    },
  };
}

/** Real time: polls a condition, failing with `what` after timeoutMs. */
async function waitFor(what: string, condition: () => boolean, timeoutMs = 3000): Promise<void> {
  const deadlineMs = Date.now() + timeoutMs;
  while (!condition()) {
    if (Date.now() > deadlineMs) throw new Error(`timed out after ${timeoutMs} ms waiting for ${what}`);
    await new Promise((resolve) => setTimeout(resolve, 5));
  }
}

const cleanups: (() => Promise<void> | void)[] = [];
afterEach(async () => {
  for (const cleanup of cleanups.splice(0).reverse()) await cleanup();
});

/** A ChatServer with a fast agent on a real SQLite file, served on an ephemeral port. */
async function startChatServer(): Promise<{
  served: ServedChat;
  server: ChatServer;
  logger: ReturnType<typeof recordingLogger>;
}> {
  const logger = recordingLogger();
  const env = realEnv({ logger });
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssesim-node-'));
  const store = new EventStore({ env, path: path.join(dir, 'chat.db') });
  const server = new ChatServer({
    env,
    store,
    agentFactory: (sessionId, emit) =>
      new SimulatedAgent({
        env,
        sessionId,
        emit,
        agentOptions: { stepDelayMsMin: 5, stepDelayMsMax: 20, stepsMin: 2, stepsMax: 4, permissionChance: [0, 1] },
      }),
  });
  server.start();
  const served = await serveChat(server.handle, { port: 0, logger });
  cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
  cleanups.push(() => store.close());
  cleanups.push(() => server.stop());
  cleanups.push(() => served.close());
  return { served, server, logger };
}

describe('ChatServer over node:http', () => {
  it('carries a prompt from SseConnection to the agent and its events back, in order', async () => {
    const { served, logger: serverLogger } = await startChatServer();
    const clientLogger = recordingLogger();
    const io = createNodeClientIo(served.url);
    const client = new SseConnection({
      baseUrl: served.url,
      ...io,
      env: realEnv({ logger: clientLogger }),
      storage: new MemoryStorage(),
    });
    cleanups.push(() => client.dispose());
    const received: (ServerFrame | ClientSignal)[] = [];
    client.onMessage((message) => received.push(message));

    // Watched before connecting, so the welcome's reconnect POST subscribes the session before
    // `_open`, and the prompt sent after `_open` cannot outrun the subscription.
    expect(client.watchSession('s1')).toBe(true);
    client.connect();
    await waitFor('_open', () => received.some((m) => m.type === '_open'));
    expect(client.isConnected()).toBe(true);
    expect(client.getConnectionId()).toMatch(/^conn-[0-9a-f]{32}$/);

    expect(client.send({ type: 'send', sessionId: 's1', prompt: 'hello' })).toBe(true);
    const events = () => received.filter((m): m is SessionEventFrame => m.type === 'session_event');
    await waitFor('the result event', () => events().some((e) => e.eventType === 'result'));
    await waitFor('_send_accepted', () => received.some((m) => m.type === '_send_accepted'));

    const sessionEvents = events();
    for (const [index, event] of sessionEvents.entries()) {
      expect(event.sessionId).toBe('s1');
      expect(event.prevSessionSeq).toBe(index === 0 ? 0 : sessionEvents[index - 1]?.seq);
    }
    const agentTypes = sessionEvents.map((e) => e.eventType).filter((type) => type !== 'session_state_changed');
    expect(agentTypes[0]).toBe('user_message');
    expect(agentTypes.at(-1)).toBe('result');
    expect(agentTypes.slice(1, -1).length).toBeGreaterThanOrEqual(2);
    for (const type of agentTypes.slice(1, -1)) expect(['assistant_delta', 'tool_use', 'tool_result']).toContain(type);

    const userMessage = sessionEvents.find((e) => e.eventType === 'user_message');
    const accepted = received.find((m) => m.type === '_send_accepted');
    expect(accepted).toMatchObject({ type: '_send_accepted', sessionId: 's1', seq: userMessage?.seq });
    expect(client.pendingCount()).toBe(0);

    client.dispose();
    await served.close();
    expect(serverLogger.errors).toEqual([]);
    expect(clientLogger.errors).toEqual([]);
  });

  it('writes the welcome frame on the wire in the exact SSE format', async () => {
    const { served } = await startChatServer();
    const { headers, frame } = await readFirstSseFrame(served.url, '/api/chat/events');
    expect(headers['content-type']).toMatch(/^text\/event-stream/);
    expect(headers['cache-control']).toMatch(/^no-cache/);
    expect(frame).toMatch(/^event: welcome\ndata: \{.*\}\n\n$/);
    const data = JSON.parse(frame.slice('event: welcome\ndata: '.length));
    expect(data).toEqual({
      type: 'welcome',
      protocolVersion: 2,
      connectionId: expect.stringMatching(/^conn-[0-9a-f]{32}$/),
    });
  });

  it('answers malformed JSON with 400 and an oversize body with 413 over the socket', async () => {
    const { served, logger } = await startChatServer();
    const headers = { 'content-type': 'application/json', [CONNECTION_HEADER]: 'conn-1' };
    const malformed = await rawRequest(served.url, {
      method: 'POST',
      path: '/api/chat/send',
      headers,
      body: '{"type":"send",',
    });
    expect(malformed.status).toBe(400);
    expect(JSON.parse(malformed.body)).toHaveProperty('error');

    const oversize = Buffer.alloc(MAX_BODY_BYTES + 1, 'a');
    const tooLarge = await rawRequest(served.url, { method: 'POST', path: '/api/chat/send', headers, body: oversize });
    expect(tooLarge.status).toBe(413);
    expect(JSON.parse(tooLarge.body)).toMatchObject({ limitBytes: MAX_BODY_BYTES });

    // The server is still serving after both.
    const again = await rawRequest(served.url, { method: 'POST', path: '/api/chat/send', headers, body: 'nope' });
    expect(again.status).toBe(400);
    expect(logger.errors).toEqual([]);
  });
});

describe('createNodeClientIo', () => {
  it('opens a real EventSource and posts with real fetch, resolving paths against baseUrl', async () => {
    const { served } = await startChatServer();
    const io = createNodeClientIo(served.url);
    const source = io.createEventSource('/api/chat/events');
    cleanups.push(() => source.close());
    const opened = new Promise((resolve) => (source.onopen = resolve));
    const welcome = await new Promise<{ type: string; data: string }>((resolve) =>
      source.addEventListener('welcome', resolve),
    );
    await opened;
    expect(source.readyState).toBe(1);
    expect(source.url).toBe(`${served.url}/api/chat/events`);
    expect(welcome.type).toBe('welcome');
    const { connectionId } = JSON.parse(welcome.data) as { connectionId: string };

    const watched = await io.fetch('/api/chat/watch', {
      method: 'POST',
      headers: { 'content-type': 'application/json', [CONNECTION_HEADER]: connectionId },
      body: JSON.stringify({ type: 'watch', sessionId: 's1' }),
    });
    expect(watched.status).toBe(200);
    expect(await watched.json()).toMatchObject({ ok: true });
    source.close();
    expect(source.readyState).toBe(2);
  });
});

describe('serveChat', () => {
  it('counts a chunked oversize body as it arrives and answers 413', async () => {
    const served = await serveChat(async () => ({ kind: 'body', status: 200, headers: {}, body: 'unreachable' }));
    cleanups.push(() => served.close());
    const response = await new Promise<RawResponse>((resolve, reject) => {
      // No content-length: the limit has to be enforced on the bytes, not on the header.
      const request = http.request(new URL('/x', served.url), { method: 'POST' }, (res) => {
        let body = '';
        res.setEncoding('utf8');
        res.on('data', (chunk: string) => (body += chunk));
        res.on('end', () => resolve({ status: res.statusCode ?? 0, headers: res.headers, body }));
      });
      request.on('error', reject);
      const chunk = Buffer.alloc(64 * 1024, 'b');
      for (let sent = 0; sent <= MAX_BODY_BYTES; sent += chunk.length) request.write(chunk);
      request.end();
    });
    expect(response.status).toBe(413);
  });

  it('turns a throwing handler into 500 and keeps serving', async () => {
    let calls = 0;
    const handler: RequestHandler = async (request) => {
      calls += 1;
      if (calls === 1) throw new Error('boom');
      return { kind: 'body', status: 200, headers: { 'x-seen-method': request.method }, body: request.body };
    };
    const served = await serveChat(handler, { logger: { log() {} } });
    cleanups.push(() => served.close());
    expect((await rawRequest(served.url, { method: 'POST', path: '/a', body: 'x' })).status).toBe(500);
    const echoed = await rawRequest(served.url, {
      method: 'POST',
      path: '/a',
      headers: { 'X-Mixed-Case': 'v' },
      body: 'hello',
    });
    expect(echoed).toMatchObject({ status: 200, body: 'hello' });
    expect(echoed.headers['x-seen-method']).toBe('POST');
  });

  it('passes lower-cased headers and the query string to the handler', async () => {
    let seen: { path: string; headers: Record<string, string> } | undefined;
    const served = await serveChat(async (request) => {
      seen = request;
      return { kind: 'body', status: 204, headers: {}, body: '' };
    });
    cleanups.push(() => served.close());
    await rawRequest(served.url, { method: 'GET', path: '/h?a=1&b=2', headers: { 'X-Connection-ID': 'conn-7' } });
    expect(seen?.path).toBe('/h?a=1&b=2');
    expect(seen?.headers['x-connection-id']).toBe('conn-7');
  });

  it('tells the stream when the client goes away, and refuses writes after', async () => {
    let sink: StreamSink | undefined;
    const closed = new Promise<void>((resolve) => {
      void serveChat(async () => ({
        kind: 'stream',
        status: 200,
        headers: {},
        start(s) {
          sink = s;
          s.onClose(resolve);
          s.write(':hello\n\n');
        },
      })).then(async (served) => {
        cleanups.push(() => served.close());
        const request = http.get(new URL('/events', served.url), (response) => {
          response.once('data', () => {
            // Still open once the request side is done: writes go through.
            expect(sink?.write(':more\n\n')).toBe(true);
            request.destroy();
          });
        });
        request.on('error', () => {});
      });
    });
    await closed;
    expect(sink?.closed).toBe(true);
    expect(sink?.write(':late\n\n')).toBe(false);
  });

  it('close() ends open streams, runs their close handlers and returns promptly', async () => {
    let sink: StreamSink | undefined;
    let closeHandlerRuns = 0;
    const served = await serveChat(async () => ({
      kind: 'stream',
      status: 200,
      headers: {},
      start(s) {
        sink = s;
        s.onClose(() => (closeHandlerRuns += 1));
        s.write('event: welcome\ndata: {}\n\n');
      },
    }));
    const opened = await new Promise<http.IncomingMessage>((resolve) =>
      http.get(new URL('/events', served.url), resolve),
    );
    await new Promise((resolve) => opened.once('data', resolve));
    const clientSawEnd = new Promise((resolve) => opened.once('close', resolve));
    const startedMs = Date.now();
    await served.close();
    expect(Date.now() - startedMs).toBeLessThan(1000);
    expect(sink?.closed).toBe(true);
    expect(sink?.write('data: late\n\n')).toBe(false);
    expect(closeHandlerRuns).toBe(1);
    await clientSawEnd;
  });
});

describe('backpressure over node:http', () => {
  /** Opens a stream and reads it until its welcome; `keepReading` decides whether it reads on. */
  function openEventStream(baseUrl: string, keepReading: boolean) {
    return new Promise<{ connectionId: string; response: http.IncomingMessage; request: http.ClientRequest }>(
      (resolve, reject) => {
        const request = http.get(new URL('/api/chat/events', baseUrl), (response) => {
          let text = '';
          response.setEncoding('utf8');
          const onData = (chunk: string) => {
            text += chunk;
            const match = /"connectionId":"([^"]+)"/.exec(text);
            if (!match) return;
            if (!keepReading) {
              response.off('data', onData);
              response.pause();
            } else {
              text = '';
            }
            resolve({ connectionId: match[1]!, response, request });
          };
          response.on('data', onData);
          response.on('error', () => {});
        });
        request.on('error', (error) => (keepReading ? reject(error) : undefined));
        cleanups.push(() => void request.destroy());
      },
    );
  }

  /** A sink that passes everything through and notes the most the server ever held unread. */
  function measured(sink: StreamSink, peak: { bytes: number }): StreamSink {
    return {
      write(chunk) {
        const written = sink.write(chunk);
        peak.bytes = Math.max(peak.bytes, sink.bufferedBytes ?? 0);
        return written;
      },
      close: () => sink.close(),
      abort: () => (sink.abort ? sink.abort() : sink.close()),
      onClose: (handler) => sink.onClose(handler),
      get closed() {
        return sink.closed;
      },
      get bufferedBytes() {
        return sink.bufferedBytes;
      },
    };
  }

  it('closes the stream of a reader that paused, and keeps what it buffers for it under the limit', async () => {
    const warnings: Record<string, unknown>[] = [];
    const logger: Logger = {
      log: (level, event, data) => void (level === 'warn' && warnings.push({ event, ...data })),
    };
    const env = realEnv({ logger });
    const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssesim-node-'));
    const store = new EventStore({ env, path: path.join(dir, 'chat.db') });
    // An agent that runs nothing: every event on the wire is a prompt's own user_message.
    const server = new ChatServer({ env, store, agentFactory: scriptedAgentFactory().factory });
    server.start();
    const peak = { bytes: 0 };
    const handler: RequestHandler = async (request) => {
      const response = await server.handle(request);
      return response.kind === 'stream'
        ? { ...response, start: (sink) => response.start(measured(sink, peak)) }
        : response;
    };
    const served = await serveChat(handler, { port: 0, logger });
    cleanups.push(() => fs.rmSync(dir, { recursive: true, force: true }));
    cleanups.push(() => store.close());
    cleanups.push(() => server.stop());
    cleanups.push(() => served.close());

    const paused = await openEventStream(served.url, false);
    const sender = await openEventStream(served.url, true);
    const post = (connectionId: string, endpoint: string, body: unknown) =>
      rawRequest(served.url, {
        method: 'POST',
        path: `/api/chat/${endpoint}`,
        headers: { 'content-type': 'application/json', [CONNECTION_HEADER]: connectionId },
        body: JSON.stringify(body),
      });
    expect((await post(paused.connectionId, 'watch', { type: 'watch', sessionId: 's1' })).status).toBe(200);

    // Each prompt goes out to the paused reader as one frame of about 200 KB. The kernel's socket
    // buffers take several MB first; only then does Node start to hold bytes for this client.
    const prompt = 'p'.repeat(200 * 1024);
    const maxPrompts = 400;
    let sent = 0;
    while (server.registry.has(paused.connectionId) && sent < maxPrompts) {
      const sendBody = { type: 'send', sessionId: 's1', clientMsgId: `m${sent}`, prompt };
      expect((await post(sender.connectionId, 'send', sendBody)).status).toBe(202);
      sent += 1;
    }
    expect(server.registry.has(paused.connectionId), `still registered after ${sent} prompts`).toBe(false);
    expect(warnings).toContainEqual(
      expect.objectContaining({
        event: OBS.serverStreamOverrun,
        connectionId: paused.connectionId,
        reason: 'buffer-limit',
      }),
    );
    expect(peak.bytes).toBeGreaterThan(0);
    expect(peak.bytes).toBeLessThanOrEqual(STREAM_BUFFER_LIMIT_BYTES);
    // The reader that kept reading is untouched.
    expect(server.registry.has(sender.connectionId)).toBe(true);
  });
});
