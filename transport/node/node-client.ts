/**
 * The browser I/O of the client, supplied from Node: the global fetch (undici) and the
 * `eventsource` package, a WHATWG EventSource that reconnects by itself like a browser's.
 * Relative URLs resolve against baseUrl, so client code may pass either form.
 */
import { EventSource } from 'eventsource';
import type {
  EventSourceFactory,
  EventSourceLike,
  FetchLike,
  FetchResponseLike,
  MessageEventLike,
} from '../client/browser-io.ts';

export interface NodeClientIo {
  fetch: FetchLike;
  createEventSource: EventSourceFactory;
}

export function createNodeClientIo(baseUrl: string): NodeClientIo {
  const resolve = (url: string) => new URL(url, baseUrl);
  return {
    fetch: async (url, init): Promise<FetchResponseLike> =>
      fetch(resolve(url), { method: init.method, headers: init.headers, body: init.body, signal: init.signal }),
    createEventSource: (url) => new NodeEventSource(resolve(url)),
  };
}

type EventLike = { type: string; data?: unknown; lastEventId?: unknown };

/** Reduces whatever event the package emits (MessageEvent, ErrorEvent, Event) to the client's shape. */
function toMessageEventLike(event: EventLike): MessageEventLike {
  return {
    type: event.type,
    data: typeof event.data === 'string' ? event.data : '',
    lastEventId: typeof event.lastEventId === 'string' ? event.lastEventId : undefined,
  };
}

/**
 * Wraps the package's EventSource behind EventSourceLike so the client never sees the package's
 * own event classes; the handler properties forward to the wrapped instance.
 */
class NodeEventSource implements EventSourceLike {
  private readonly inner: EventSource;
  private messageHandler: ((event: MessageEventLike) => void) | null = null;
  private errorHandler: ((event: { type: string }) => void) | null = null;
  private openHandler: ((event: { type: string }) => void) | null = null;

  constructor(url: URL) {
    this.inner = new EventSource(url);
  }

  get readyState(): number {
    return this.inner.readyState;
  }

  get url(): string {
    return this.inner.url;
  }

  get onmessage() {
    return this.messageHandler;
  }
  set onmessage(handler: ((event: MessageEventLike) => void) | null) {
    this.messageHandler = handler;
    this.inner.onmessage = handler ? (event) => handler(toMessageEventLike(event)) : null;
  }

  get onerror() {
    return this.errorHandler;
  }
  set onerror(handler: ((event: { type: string }) => void) | null) {
    this.errorHandler = handler;
    this.inner.onerror = handler ? (event) => handler({ type: event.type }) : null;
  }

  get onopen() {
    return this.openHandler;
  }
  set onopen(handler: ((event: { type: string }) => void) | null) {
    this.openHandler = handler;
    this.inner.onopen = handler ? (event) => handler({ type: event.type }) : null;
  }

  addEventListener(type: string, listener: (event: MessageEventLike) => void): void {
    this.inner.addEventListener(type, (event: EventLike) => listener(toMessageEventLike(event)));
  }

  close(): void {
    this.inner.close();
  }
}
