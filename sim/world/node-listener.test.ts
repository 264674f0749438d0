import type { IncomingMessage, ServerResponse } from 'node:http';
import express from 'express';
import { describe, expect, it } from 'vitest';
import type { HttpRequest, HttpResponse, StreamResponse, StreamSink } from '../../transport/index.ts';
import { listenerHandler, type NodeRequestListener } from './node-listener.ts';
import { SOCKET_HIGH_WATER_MARK_BYTES } from './sim-socket.ts';

/** Every promise chain and nextTick started so far has run (one macrotask boundary). */
const settle = () => new Promise<void>((resolve) => setImmediate(resolve));

/** The handler with its "after the listener's own work" checks run by hand, as the world's zero-delay timer would. */
function harness(listener: NodeRequestListener) {
  const checks: Array<() => void> = [];
  const handle = listenerHandler(listener, { afterMicrotasks: (check) => void checks.push(check) });
  const request = async (req: Partial<HttpRequest>): Promise<HttpResponse | 'pending'> => {
    let answer: HttpResponse | 'pending' = 'pending';
    void handle({ method: 'GET', path: '/', headers: {}, body: '', ...req }).then((response) => (answer = response));
    await settle();
    for (const check of checks.splice(0)) check();
    await settle();
    return answer;
  };
  return { request };
}

/** A network's end of a stream: what arrived, a buffer the test fills and drains, a close from either side. */
class TestSink implements StreamSink {
  readonly chunks: string[] = [];
  closed = false;
  bufferedBytes = 0;
  private readonly closeHandlers: Array<() => void> = [];
  private readonly drainHandlers: Array<() => void> = [];
  paused = false;

  write(chunk: string): boolean {
    if (this.closed) return false;
    this.chunks.push(chunk);
    if (this.paused) this.bufferedBytes += Buffer.byteLength(chunk);
    return true;
  }
  close(): void {
    if (this.closed) return;
    this.closed = true;
    this.closeHandlers.splice(0).forEach((handler) => handler());
  }
  onClose(handler: () => void): void {
    this.closeHandlers.push(handler);
  }
  onDrain(handler: () => void): void {
    this.drainHandlers.push(handler);
  }
  /** The client reads everything that waited. */
  drain(): void {
    this.paused = false;
    this.bufferedBytes = 0;
    this.drainHandlers.forEach((handler) => handler());
  }
}

function asStream(answer: HttpResponse | 'pending'): StreamResponse {
  if (answer === 'pending' || answer.kind !== 'stream')
    throw new Error(`expected a stream, got ${JSON.stringify(answer)}`);
  return answer;
}

describe('a plain node:http listener', () => {
  it('answers a body with its status and headers, the body without any HTTP framing', async () => {
    const { request } = harness((req, res) => {
      res.writeHead(201, { 'content-type': 'text/plain', 'x-route': String(req.url) });
      res.write('hello, ');
      res.end('world');
    });
    const answer = await request({ path: '/greet?x=1' });
    expect(answer).toEqual({
      kind: 'body',
      status: 201,
      headers: { 'content-type': 'text/plain', 'x-route': '/greet?x=1' },
      body: 'hello, world',
    });
  });

  it('reads the request body as a real server delivers it', async () => {
    const { request } = harness((req, res) => {
      let body = '';
      req.setEncoding('utf8');
      req.on('data', (chunk: string) => (body += chunk));
      req.on('end', () => res.end(`${req.method} ${req.headers['content-length']} ${body}`));
    });
    const answer = await request({ method: 'POST', body: 'é=1' });
    expect(answer).toMatchObject({ kind: 'body', status: 200, body: 'POST 4 é=1' });
  });

  it('streams an event stream frame by frame, and a client that goes away closes req and res', async () => {
    const seen: string[] = [];
    let res!: ServerResponse;
    const { request } = harness((req, response) => {
      res = response;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.write('data: one\n\n');
      req.on('close', () => seen.push('req close'));
      response.on('close', () => seen.push('res close'));
    });
    const stream = asStream(await request({ path: '/stream' }));
    expect(stream.headers['content-type']).toBe('text/event-stream');
    const sink = new TestSink();
    stream.start(sink);
    res.write('data: two\n\n');
    expect(sink.chunks).toEqual(['data: one\n\n', 'data: two\n\n']);
    sink.close();
    await settle();
    expect(seen).toEqual(['res close', 'req close']);
    expect(res.write('data: three\n\n')).toBe(false);
    expect(sink.chunks).toHaveLength(2);
  });

  it('makes a response still open after the listener’s work a stream, whatever its type', async () => {
    const { request } = harness((_req, res) => {
      res.setHeader('content-type', 'application/x-ndjson');
      res.write('{"n":1}\n');
    });
    const stream = asStream(await request({}));
    const sink = new TestSink();
    stream.start(sink);
    expect(sink.chunks).toEqual(['{"n":1}\n']);
  });

  it('waits for a listener that writes nothing yet, and answers once it ends', async () => {
    let later!: () => void;
    const handle = listenerHandler(
      (_req, res) => {
        later = () => res.end('late');
      },
      { afterMicrotasks: (check) => check() },
    );
    let answer: HttpResponse | 'pending' = 'pending';
    void handle({ method: 'GET', path: '/', headers: {}, body: '' }).then((response) => (answer = response));
    await settle();
    expect(answer).toBe('pending');
    later();
    await settle();
    expect(answer).toMatchObject({ kind: 'body', status: 200, body: 'late' });
  });

  it('applies backpressure: write returns false and writableLength grows while the client does not read', async () => {
    let res!: ServerResponse;
    const drains: number[] = [];
    const { request } = harness((_req, response) => {
      res = response;
      response.writeHead(200, { 'content-type': 'text/event-stream' });
      response.flushHeaders();
      response.on('drain', () => drains.push(response.writableLength));
    });
    const sink = new TestSink();
    asStream(await request({})).start(sink);
    sink.paused = true;
    const frame = `data: ${'x'.repeat(1000)}\n\n`;
    const returns: boolean[] = [];
    for (let i = 0; i < 20; i++) returns.push(res.write(frame));
    const full = Math.ceil(SOCKET_HIGH_WATER_MARK_BYTES / Buffer.byteLength(frame));
    expect(returns.indexOf(false)).toBe(full - 1);
    expect(res.writableLength).toBe(20 * Buffer.byteLength(frame));
    expect(res.writableNeedDrain).toBe(true);
    sink.drain();
    expect(drains).toEqual([0]);
    expect(res.write(frame)).toBe(true);
  });

  it('lets a listener that throws crash the process, as an uncaught exception does', async () => {
    const rejections: unknown[] = [];
    const onRejection = (reason: unknown) => rejections.push(reason);
    const others = process.listeners('unhandledRejection');
    process.removeAllListeners('unhandledRejection');
    process.on('unhandledRejection', onRejection);
    try {
      const { request } = harness(() => {
        throw new Error('boom');
      });
      expect(await request({})).toBe('pending');
      await settle();
    } finally {
      process.removeListener('unhandledRejection', onRejection);
      for (const listener of others) process.on('unhandledRejection', listener);
    }
    expect(rejections).toEqual([new Error('boom')]);
  });
});

describe('an Express 5 app', () => {
  function chatApp() {
    const streams = new Set<ServerResponse>();
    const closed: string[] = [];
    const app = express();
    app.use(express.json());
    app.post('/api/prompt', (req, res) => {
      const { text } = req.body as { text?: unknown };
      if (typeof text !== 'string') {
        res.status(400).json({ error: 'text must be a string' });
        return;
      }
      for (const stream of streams) stream.write(`data: ${JSON.stringify({ text })}\n\n`);
      res.status(202).json({ accepted: true, text });
    });
    app.get('/api/stream', (req, res) => {
      res.setHeader('content-type', 'text/event-stream');
      res.setHeader('cache-control', 'no-cache');
      res.flushHeaders();
      res.write('event: welcome\ndata: {}\n\n');
      streams.add(res);
      req.on('close', () => {
        streams.delete(res);
        closed.push('req');
      });
    });
    return { app: app as unknown as (req: IncomingMessage, res: ServerResponse) => void, streams, closed };
  }

  it('parses a JSON body and answers with res.status().json()', async () => {
    const { request } = harness(chatApp().app);
    const headers = { 'content-type': 'application/json' };
    const accepted = await request({ method: 'POST', path: '/api/prompt', headers, body: '{"text":"hi"}' });
    expect(accepted).toMatchObject({ kind: 'body', status: 202, body: '{"accepted":true,"text":"hi"}' });
    expect((accepted as { headers: Record<string, string> }).headers['content-type']).toMatch(/^application\/json/);
    const refused = await request({ method: 'POST', path: '/api/prompt', headers, body: '{"text":3}' });
    expect(refused).toMatchObject({ kind: 'body', status: 400, body: '{"error":"text must be a string"}' });
  });

  it('answers within the work the request started, before any real macrotask', async () => {
    // on-finished defers through the real setImmediate when handed a message that already
    // finished; an answer that needed it would come after an immediate queued before the request.
    const handle = listenerHandler(chatApp().app, { afterMicrotasks: () => {} });
    const answers: string[] = [];
    const atImmediate = new Promise<string[]>((resolve) => setImmediate(() => resolve([...answers])));
    const body = '{"text":"hi"}';
    const post = { method: 'POST', path: '/api/prompt', headers: { 'content-type': 'application/json' }, body };
    void handle(post).then((answer) => answers.push(`post ${answer.kind === 'body' ? answer.status : 'stream'}`));
    void handle({ method: 'GET', path: '/nowhere', headers: {}, body: '' }).then((answer) =>
      answers.push(`get ${answer.kind === 'body' ? answer.status : 'stream'}`),
    );
    expect(await atImmediate).toEqual(['post 202', 'get 404']);
  });

  it('answers an unknown route with its own 404 page', async () => {
    const answer = await harness(chatApp().app).request({ path: '/nowhere' });
    expect(answer).toMatchObject({ kind: 'body', status: 404 });
    expect((answer as { body: string }).body).toContain('Cannot GET /nowhere');
  });

  it('streams SSE written with res.write frame by frame, and hears req close when the client goes away', async () => {
    const chat = chatApp();
    const { request } = harness(chat.app);
    const stream = asStream(await request({ path: '/api/stream' }));
    const sink = new TestSink();
    stream.start(sink);
    expect(sink.chunks).toEqual(['event: welcome\ndata: {}\n\n']);
    const headers = { 'content-type': 'application/json' };
    await request({ method: 'POST', path: '/api/prompt', headers, body: '{"text":"a"}' });
    await request({ method: 'POST', path: '/api/prompt', headers, body: '{"text":"b"}' });
    expect(sink.chunks.slice(1)).toEqual(['data: {"text":"a"}\n\n', 'data: {"text":"b"}\n\n']);
    sink.close();
    await settle();
    expect(chat.closed).toEqual(['req']);
    expect(chat.streams.size).toBe(0);
  });
});
