/**
 * Serves a transport RequestHandler on node:http. The handler knows nothing about sockets; this
 * file owns everything socket-shaped: body limits, header normalisation, SSE framing of the
 * response, and a shutdown that does not wait for long-lived event streams to end by themselves.
 */
import http from 'node:http';
import type { AddressInfo } from 'node:net';
import { realEnv, stderrLogger, type Env, type Logger } from '../env.ts';
import type { BodyResponse, HttpRequest, RequestHandler, StreamResponse, StreamSink } from '../http.ts';
import { MAX_BODY_BYTES } from '../protocol.ts';

export interface ServeChatOptions {
  /** Interface to bind; loopback by default so a test server is never reachable from outside. */
  host?: string;
  /** 0 picks an ephemeral port; the chosen one is in the returned url. */
  port?: number;
  logger?: Logger;
}

export interface ServedChat {
  /** `http://host:port`, without a trailing slash. */
  url: string;
  close(): Promise<void>;
}

/**
 * After a 413 the rest of an oversize body is read and thrown away (so the client can still read
 * the answer instead of seeing a reset), but only up to this many bytes; past it the socket is cut.
 */
const OVERSIZE_DRAIN_LIMIT_BYTES = 4 * MAX_BODY_BYTES;

/** The production Env for a Node process; one place to change if Node ever needs its own. */
export function createNodeServerEnv(options: { logger?: Logger } = {}): Env {
  return realEnv(options);
}

export async function serveChat(handler: RequestHandler, options: ServeChatOptions = {}): Promise<ServedChat> {
  const host = options.host ?? '127.0.0.1';
  const logger = options.logger ?? stderrLogger;
  const openSinks = new Set<NodeStreamSink>();
  const server = http.createServer((req, res) => {
    void serveRequest(req, res, handler, openSinks, logger);
  });
  await new Promise<void>((resolve, reject) => {
    server.once('error', reject);
    server.listen(options.port ?? 0, host, () => {
      server.off('error', reject);
      resolve();
    });
  });
  const { port } = server.address() as AddressInfo;
  const urlHost = host.includes(':') ? `[${host}]` : host;
  let closing: Promise<void> | undefined;
  return {
    url: `http://${urlHost}:${port}`,
    close() {
      closing ??= closeServer(server, openSinks);
      return closing;
    },
  };
}

function closeServer(server: http.Server, openSinks: Set<NodeStreamSink>): Promise<void> {
  // Ending the streams first lets their onClose handlers run while the handler's owner is alive;
  // closeAllConnections then cuts keep-alive and half-read sockets so close() does not hang.
  for (const sink of [...openSinks]) sink.close();
  return new Promise((resolve) => {
    server.close(() => resolve());
    server.closeAllConnections();
  });
}

async function serveRequest(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  handler: RequestHandler,
  openSinks: Set<NodeStreamSink>,
  logger: Logger,
): Promise<void> {
  // A client that resets mid-request must not surface as an unhandled 'error' event.
  req.on('error', () => {});
  res.on('error', () => {});
  const body = await readBody(req, res);
  if (body === undefined) return;
  const request: HttpRequest = {
    method: req.method ?? 'GET',
    path: req.url ?? '/',
    headers: lowerCaseHeaders(req.headers),
    body,
  };
  try {
    const response = await handler(request);
    if (response.kind === 'stream') startStream(req, res, response, openSinks, logger);
    else sendBody(res, response);
  } catch (error) {
    logger.log('error', 'node.http.handler_threw', {
      method: request.method,
      path: request.path,
      error: String(error),
    });
    sendBody(res, {
      kind: 'body',
      status: 500,
      headers: { 'content-type': 'application/json; charset=utf-8' },
      body: JSON.stringify({ error: 'internal_error' }),
    });
  }
}

/**
 * Resolves with the body as UTF-8, or undefined when the request was answered here (413) or
 * aborted. Chunks are counted before they are kept, so an oversize body is never held in memory.
 */
function readBody(req: http.IncomingMessage, res: http.ServerResponse): Promise<string | undefined> {
  const declaredBytes = Number(req.headers['content-length'] ?? 0);
  if (declaredBytes > MAX_BODY_BYTES) {
    rejectOversize(req, res, declaredBytes);
    return Promise.resolve(undefined);
  }
  return new Promise((resolve) => {
    const chunks: Buffer[] = [];
    let receivedBytes = 0;
    const onData = (chunk: Buffer) => {
      receivedBytes += chunk.length;
      if (receivedBytes <= MAX_BODY_BYTES) {
        chunks.push(chunk);
        return;
      }
      req.off('data', onData);
      req.off('end', onEnd);
      chunks.length = 0;
      rejectOversize(req, res, receivedBytes);
      resolve(undefined);
    };
    const onEnd = () => resolve(Buffer.concat(chunks).toString('utf8'));
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', () => resolve(undefined)); // no-op if 'end' already resolved
  });
}

function rejectOversize(req: http.IncomingMessage, res: http.ServerResponse, bodyBytes: number): void {
  sendBody(res, {
    kind: 'body',
    status: 413,
    headers: { 'content-type': 'application/json; charset=utf-8', connection: 'close' },
    body: JSON.stringify({ error: 'body_too_large', limitBytes: MAX_BODY_BYTES, bodyBytes }),
  });
  let drainedBytes = 0;
  req.on('data', (chunk: Buffer) => {
    drainedBytes += chunk.length;
    if (drainedBytes > OVERSIZE_DRAIN_LIMIT_BYTES) req.destroy();
  });
}

function lowerCaseHeaders(headers: http.IncomingHttpHeaders): Record<string, string> {
  const result: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) {
    if (value === undefined) continue;
    result[name.toLowerCase()] = Array.isArray(value) ? value.join(', ') : value;
  }
  return result;
}

function sendBody(res: http.ServerResponse, response: BodyResponse): void {
  if (res.headersSent || res.destroyed) return;
  res.writeHead(response.status, {
    ...response.headers,
    'content-length': String(Buffer.byteLength(response.body)),
  });
  res.end(response.body);
}

function startStream(
  req: http.IncomingMessage,
  res: http.ServerResponse,
  response: StreamResponse,
  openSinks: Set<NodeStreamSink>,
  logger: Logger,
): void {
  // The client left while the handler ran: never start, so no connection is registered for it.
  if (res.destroyed) return;
  // The SSE essentials are defaults; a handler may refine them (charset, no-transform).
  res.writeHead(response.status, {
    'content-type': 'text/event-stream',
    'cache-control': 'no-cache',
    connection: 'keep-alive',
    ...response.headers,
  });
  // Frames are small and latency matters more than packet count; send headers now so the
  // client's EventSource opens before the first frame.
  res.socket?.setNoDelay(true);
  res.flushHeaders();
  const sink = new NodeStreamSink(res, logger);
  openSinks.add(sink);
  sink.onClose(() => openSinks.delete(sink));
  // Not req's 'close': Node emits that once the request body is read, long before the stream ends.
  res.on('close', () => sink.markClosed());
  try {
    response.start(sink);
  } catch (error) {
    logger.log('error', 'node.http.stream_start_threw', { path: req.url, error: String(error) });
    sink.close();
  }
}

/** A StreamSink over one ServerResponse; it closes once, whichever side closes first. */
class NodeStreamSink implements StreamSink {
  private isClosed = false;
  private readonly handlers: (() => void)[] = [];

  constructor(
    private readonly res: http.ServerResponse,
    private readonly logger: Logger,
  ) {}

  get closed(): boolean {
    return this.isClosed;
  }

  /** What Node holds for this response and its socket that the client has not taken yet. */
  get bufferedBytes(): number {
    return this.isClosed ? 0 : this.res.writableLength;
  }

  write(chunk: string): boolean {
    if (this.isClosed || this.res.destroyed || this.res.writableEnded) return false;
    try {
      // A false return from res.write is backpressure, not loss: the chunk is queued, and the
      // server bounds the queue through bufferedBytes.
      this.res.write(chunk);
      return true;
    } catch {
      return false;
    }
  }

  close(): void {
    if (!this.res.writableEnded) this.res.end();
    this.markClosed();
  }

  /** Destroying the socket is the only way to free what a client that stopped reading left queued. */
  abort(): void {
    this.res.destroy();
    this.markClosed();
  }

  onClose(handler: () => void): void {
    // A handler registered after the close still runs once, but not inside the caller's frame.
    if (this.isClosed) queueMicrotask(() => this.runHandler(handler));
    else this.handlers.push(handler);
  }

  markClosed(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    for (const handler of this.handlers.splice(0)) this.runHandler(handler);
  }

  /** Close handlers run from socket events; one that throws must not take the process down. */
  private runHandler(handler: () => void): void {
    try {
      handler();
    } catch (error) {
      this.logger.log('error', 'node.http.close_handler_threw', { error: String(error) });
    }
  }
}
