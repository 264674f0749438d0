/**
 * A Node request listener (an Express app, a Fastify server's `emit('request', ...)`, a plain
 * node:http listener) as a RequestHandler of the simulated network.
 *
 * Built on real `http.IncomingMessage` and `http.ServerResponse` over a SimSocket rather than on
 * light-my-request (Fastify's `inject`): light-my-request's response collects the payload until
 * 'finish' and resolves once, so an SSE stream that never finishes would never be seen, it has no
 * notion of a socket buffer (backpressure) or of the client going away, and its request is a
 * plain Readable. Express swaps the prototypes of req and res for ones inheriting from
 * `http.IncomingMessage.prototype` and `http.ServerResponse.prototype`, so everything node:http
 * itself does (headers, `res.json`, `res.write`, 'finish', 'close', `writableLength`) runs as in a
 * real server, and this file only moves bytes and events between the response and the network.
 *
 * Fault model and timing. A request arrives with its whole body. The response becomes a
 * BodyResponse when it ends, or a StreamResponse when its headers say `text/event-stream` or it
 * is still open, with headers sent, after the listener's synchronous and microtask work (a
 * zero-delay timer of the server process decides that, so no real timer or I/O turn is involved).
 * Each `res.write` of a stream is one `sink.write`; `res.write` returns false and
 * `res.writableLength` grows while the client does not read (the slow-reader fault), and 'drain'
 * follows when it reads again. A stream the client closes, a dropped stream or a response that
 * finished closes the connection: `close` on `res` and on `req`. A crash runs no more of the
 * dead process's code, so its requests hear nothing. A frame the network fails on the way is
 * lost without the socket noticing, as bytes a middlebox drops are. A listener that throws is an
 * uncaught exception, which crashes the server process, as in Node.
 *
 * Express's `on-finished` captured the real `setImmediate` when it loaded and defers a listener
 * through it when the message it is given has already finished. The socket stays readable and
 * writable until the connection closes, so body parsing, `finalhandler` and `res.sendFile` take
 * the event path instead; a test checks that Express's routes give byte-identical traces.
 */
import { IncomingMessage, ServerResponse } from 'node:http';
import type { Socket } from 'node:net';
import type { HttpRequest, HttpResponse, RequestHandler, StreamSink } from '../../transport/index.ts';
import { SimSocket } from './sim-socket.ts';

/** An Express app, `(req, res) => fastify.server.emit('request', req, res)`, or a plain node:http listener. */
export type NodeRequestListener = (req: IncomingMessage, res: ServerResponse) => void;

export interface ListenerHandlerOptions {
  /** Runs `check` once the work the listener started without waiting on a timer has settled. */
  afterMicrotasks(check: () => void): void;
}

/** The RequestHandler that runs `listener` for each request of the simulated network. */
export function listenerHandler(listener: NodeRequestListener, options: ListenerHandlerOptions): RequestHandler {
  return (request) =>
    new Promise<HttpResponse>((resolve) => {
      const exchange = new Exchange(request, resolve);
      try {
        listener(exchange.req, exchange.res);
      } catch (error) {
        // An exception out of a request listener reaches the process: it dies, as Node's would.
        void Promise.reject(error);
        return;
      }
      options.afterMicrotasks(() => exchange.settled());
    });
}

/** One request and its response, from the listener's objects to the network's answer. */
class Exchange {
  readonly req: IncomingMessage;
  readonly res: ServerResponse;
  private readonly socket: SimSocket;
  /** The answer was handed to the network. */
  private answered = false;
  private finished = false;
  /** Text written before the network took the answer (a body, or a stream's first frames). */
  private readonly early: string[] = [];
  private earlyBytes = 0;
  private sink: StreamSink | null = null;

  constructor(
    request: HttpRequest,
    private readonly resolve: (response: HttpResponse) => void,
  ) {
    this.socket = new SimSocket(
      {
        headerDone: () => this.headerDone(),
        body: (text) => this.body(text),
        bufferedBytes: () => (this.sink ? (this.sink.bufferedBytes ?? 0) : this.earlyBytes),
      },
      () => (this.res ? (this.res as unknown as { _header: string | null })._header : null),
    );
    this.req = incomingMessage(request, this.socket);
    this.res = new ServerResponse(this.req);
    // The body goes out as written (no chunked framing) and no wall-clock Date header is made.
    this.res.useChunkedEncodingByDefault = false;
    this.res.sendDate = false;
    this.res.assignSocket(this.socket as unknown as Socket);
    this.res.on('finish', () => this.onFinish());
  }

  /** The listener's own work has settled: a response still open with its headers out is a stream. */
  settled(): void {
    if (!this.answered && !this.finished && this.res.headersSent) this.answerStream();
  }

  private headerDone(): void {
    if (!this.answered && isEventStream(this.res)) this.answerStream();
  }

  private body(text: string): void {
    if (this.sink) {
      this.sink.write(text);
      return;
    }
    this.early.push(text);
    this.earlyBytes += Buffer.byteLength(text);
  }

  private onFinish(): void {
    this.finished = true;
    if (!this.answered) {
      if (isEventStream(this.res)) this.answerStream();
      else this.answerBody();
    }
    if (this.sink) this.sink.close();
    // node:http emits 'close' on a response after 'finish', once the exchange is over.
    else process.nextTick(() => this.closeConnection());
  }

  private answerBody(): void {
    this.answered = true;
    const body = this.early.splice(0).join('');
    this.earlyBytes = 0;
    this.resolve({ kind: 'body', status: this.res.statusCode, headers: headersOf(this.res), body });
  }

  private answerStream(): void {
    this.answered = true;
    this.resolve({
      kind: 'stream',
      status: this.res.statusCode as 200,
      headers: headersOf(this.res),
      start: (sink) => this.start(sink),
    });
  }

  private start(sink: StreamSink): void {
    this.sink = sink;
    for (const text of this.early.splice(0)) sink.write(text);
    this.earlyBytes = 0;
    sink.onClose(() => this.closeConnection());
    sink.onDrain?.(() => this.drained());
    if (this.finished) sink.close();
  }

  /** What node:http's server does when the socket drains: a response that was told to wait hears 'drain'. */
  private drained(): void {
    if (!this.res.writableNeedDrain) return;
    clearNeedDrain(this.res);
    this.res.emit('drain');
  }

  /** The connection is gone: `close` on the response (through its socket) and on the request. */
  private closeConnection(): void {
    this.socket.closeConnection();
    if (!this.req.destroyed) this.req.destroy();
  }
}

/** node:http keeps the flag behind a symbol; its server clears it before it emits 'drain'. */
function clearNeedDrain(res: ServerResponse): void {
  const key = Object.getOwnPropertySymbols(res).find((symbol) => symbol.description === 'kNeedDrain');
  if (key !== undefined) (res as unknown as Record<symbol, boolean>)[key] = false;
}

function incomingMessage(request: HttpRequest, socket: SimSocket): IncomingMessage {
  const req = new IncomingMessage(socket as unknown as Socket);
  req.method = request.method.toUpperCase();
  req.url = request.path;
  req.httpVersionMajor = 1;
  req.httpVersionMinor = 1;
  req.httpVersion = '1.1';
  const headers: Record<string, string> = { host: 'sim.local' };
  for (const [name, value] of Object.entries(request.headers)) headers[name.toLowerCase()] = value;
  const bytes = Buffer.from(request.body, 'utf8');
  // A real client frames a body with its length; body parsers read nothing without it.
  if (bytes.length > 0 && headers['content-length'] === undefined && headers['transfer-encoding'] === undefined)
    headers['content-length'] = String(bytes.length);
  req.headers = headers;
  req.rawHeaders = Object.entries(headers).flat();
  if (bytes.length > 0) req.push(bytes);
  req.push(null);
  req.complete = true;
  return req;
}

function isEventStream(res: ServerResponse): boolean {
  return (headersOf(res)['content-type'] ?? '').toLowerCase().startsWith('text/event-stream');
}

/** Hop-by-hop headers describe the connection node:http thinks it has, not the response. */
const HOP_BY_HOP = new Set(['connection', 'keep-alive', 'transfer-encoding']);

/**
 * The response's headers as sent: read from the header node:http serialized, since headers given
 * to `writeHead` directly never reach `getHeaders()`; before that, the ones set so far.
 */
function headersOf(res: ServerResponse): Record<string, string> {
  const header = (res as unknown as { _header: string | null })._header;
  const headers: Record<string, string> = {};
  const add = (name: string, value: string) => {
    const key = name.toLowerCase();
    if (HOP_BY_HOP.has(key)) return;
    headers[key] = headers[key] === undefined ? value : `${headers[key]}, ${value}`;
  };
  if (header) {
    for (const line of header.split('\r\n').slice(1)) {
      const colon = line.indexOf(':');
      if (colon > 0) add(line.slice(0, colon), line.slice(colon + 1).trim());
    }
    return headers;
  }
  for (const [name, value] of Object.entries(res.getHeaders()))
    if (value !== undefined) add(name, Array.isArray(value) ? value.join(', ') : String(value));
  return headers;
}
