/**
 * A fetch and an EventSource that call the server's RequestHandler in the same process, the way
 * an app's own test suite wires its client to its server when it drives both with fake timers.
 * Fault model: none. No latency (an answer is a few microtasks away), no lost requests, no broken
 * streams; the only stream ends are the server's own closes, after which the EventSource
 * reconnects by itself after its retry delay as a browser's does.
 */
import { EVENT_SOURCE_CLOSED, EVENT_SOURCE_CONNECTING, EVENT_SOURCE_OPEN } from '../transport/index.ts';
import type { EventSourceLike, FetchLike, FetchResponseLike, MessageEventLike } from '../transport/index.ts';
import type { HttpResponse, RequestHandler, StreamSink, TimerHandle, Timers } from '../transport/index.ts';
import { SseParser } from '../sim/net/index.ts';

/** The browser's reconnection delay after a stream ends (the simulator's EventSource uses the same). */
const EVENT_SOURCE_RETRY_MS = 1000;

type Listener = (event: MessageEventLike) => void;
type BodyResponseLike = Extract<HttpResponse, { kind: 'body' }>;

function lowerCaseKeys(headers: Record<string, string>): Record<string, string> {
  const lowered: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lowered[name.toLowerCase()] = value;
  return lowered;
}

function bodyResponse(response: BodyResponseLike): FetchResponseLike {
  const headers = lowerCaseKeys(response.headers);
  return {
    ok: response.status >= 200 && response.status < 300,
    status: response.status,
    headers: { get: (name) => headers[name.toLowerCase()] ?? null },
    json: async () => JSON.parse(response.body) as unknown,
    text: async () => response.body,
  };
}

/** A fetch whose every request is one call of `handle`, with the path taken from the URL. */
export function inMemoryFetch(handle: RequestHandler, baseUrl: string): FetchLike {
  return async (url, init) => {
    const response = await handle({
      method: init.method,
      path: url.startsWith(baseUrl) ? url.slice(baseUrl.length) : url,
      headers: lowerCaseKeys(init.headers),
      body: init.body ?? '',
    });
    if (response.kind !== 'body') throw new TypeError(`in-memory fetch: ${url} answered with an event stream`);
    return bodyResponse(response);
  };
}

/**
 * An EventSource on an in-memory stream: it connects on construction, opens when the handler
 * answers with a stream, parses what the server writes as text/event-stream and dispatches each
 * event by type. A non-stream answer fails it for good; after close() nothing fires.
 */
export class InMemoryEventSource implements EventSourceLike {
  onmessage: Listener | null = null;
  onerror: ((event: { type: string }) => void) | null = null;
  onopen: ((event: { type: string }) => void) | null = null;
  private state = EVENT_SOURCE_CONNECTING;
  private readonly listeners = new Map<string, Listener[]>();
  private sink: StreamSink | null = null;
  private reconnectTimer: TimerHandle | undefined;

  constructor(
    readonly url: string,
    private readonly options: { handle: RequestHandler; baseUrl: string; timers: Timers },
  ) {
    this.connect();
  }

  get readyState(): number {
    return this.state;
  }

  addEventListener(type: string, listener: Listener): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.state = EVENT_SOURCE_CLOSED;
    this.options.timers.clearTimeout(this.reconnectTimer);
    this.sink?.close();
    this.sink = null;
  }

  private connect(): void {
    const { handle, baseUrl } = this.options;
    const path = this.url.startsWith(baseUrl) ? this.url.slice(baseUrl.length) : this.url;
    const request = { method: 'GET', path, headers: { accept: 'text/event-stream' }, body: '' };
    void handle(request).then((response) => {
      if (this.state === EVENT_SOURCE_CLOSED) return;
      if (response.kind !== 'stream') {
        this.state = EVENT_SOURCE_CLOSED;
        return this.fire('error', { type: 'error' });
      }
      this.state = EVENT_SOURCE_OPEN;
      this.fire('open', { type: 'open' });
      if (this.state === EVENT_SOURCE_CLOSED) return;
      this.sink = this.streamSink(new SseParser());
      response.start(this.sink);
    });
  }

  /** The server's end of the stream: what it writes is dispatched at once, its close reconnects. */
  private streamSink(parser: SseParser): StreamSink {
    const handlers: (() => void)[] = [];
    let closed = false;
    const sink: StreamSink = {
      write: (chunk) => {
        if (closed) return false;
        for (const item of parser.push(chunk)) {
          if (item.kind !== 'event' || this.sink !== sink) continue;
          this.fire(item.type, { type: item.type, data: item.data, lastEventId: item.lastEventId });
        }
        return true;
      },
      close: () => {
        if (closed) return;
        closed = true;
        for (const handler of handlers.splice(0)) handler();
        if (this.sink === sink) this.streamEnded();
      },
      onClose: (handler) => (closed ? handler() : void handlers.push(handler)),
      get closed() {
        return closed;
      },
    };
    return sink;
  }

  private streamEnded(): void {
    this.sink = null;
    if (this.state === EVENT_SOURCE_CLOSED) return;
    this.state = EVENT_SOURCE_CONNECTING;
    this.fire('error', { type: 'error' });
    if (this.state !== EVENT_SOURCE_CONNECTING) return;
    this.reconnectTimer = this.options.timers.setTimeout(() => {
      if (this.state === EVENT_SOURCE_CONNECTING) this.connect();
    }, EVENT_SOURCE_RETRY_MS);
  }

  private fire(type: string, event: MessageEventLike | { type: string }): void {
    const handler =
      type === 'message' ? this.onmessage : type === 'error' ? this.onerror : type === 'open' ? this.onopen : null;
    for (const listener of this.listeners.get(type) ?? []) {
      if (this.state === EVENT_SOURCE_CLOSED && type !== 'error') return;
      listener(event as MessageEventLike);
    }
    if (handler && (this.state !== EVENT_SOURCE_CLOSED || type === 'error')) handler(event as MessageEventLike);
  }
}
