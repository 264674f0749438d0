/**
 * A simulated browser EventSource, following the WHATWG model: it connects on construction;
 * the response opens it (OPEN, `open` event); frames are parsed as text/event-stream and
 * dispatched by event type; when the stream ends or the network fails it goes CONNECTING, fires
 * `error` and reconnects by itself after its retry delay (the `retry:` field updates it) with a
 * fresh GET carrying Last-Event-ID; a non-200 or non-event-stream answer fails it for good
 * (CLOSED, `error`, no reconnect). After close() no callback fires.
 */
import {
  EVENT_SOURCE_CLOSED,
  EVENT_SOURCE_CONNECTING,
  EVENT_SOURCE_OPEN,
  type EventSourceLike,
  type MessageEventLike,
} from '../../transport/index.ts';
import type { TimerHandle } from '../../transport/index.ts';
import type { VirtualClock } from '../core/index.ts';
import { SseParser, type ItemSink, type SseItem } from './sse-parser.ts';
import type { StreamClientEnd } from './sim-stream.ts';

const DEFAULT_EVENT_SOURCE_RETRY_MS = 1000;

type Listener = (event: MessageEventLike) => void;

/** The network side an EventSource connects through. */
export interface EventSourceLink {
  readonly clock: VirtualClock;
  /** Starts one connection attempt; returns a function that abandons it. */
  connect(source: SimEventSource, headers: Record<string, string>): () => void;
  /** A listener threw: browsers report it and go on. */
  callbackError(source: SimEventSource, eventType: string, error: unknown): void;
  /** A complete event is about to be dispatched (the network traces welcomes). */
  noteEvent(source: SimEventSource, event: MessageEventLike): void;
}

export class SimEventSource implements EventSourceLike, StreamClientEnd {
  onmessage: Listener | null = null;
  onerror: ((event: { type: string }) => void) | null = null;
  onopen: ((event: { type: string }) => void) | null = null;
  private state = EVENT_SOURCE_CONNECTING;
  private readonly listeners = new Map<string, Listener[]>();
  private retryMs: number;
  private closedByCall = false;
  private parser = new SseParser();
  private abandonAttempt: (() => void) | null = null;
  private reconnectTimer: TimerHandle | undefined;
  /**
   * Takes each item of a chunk as the parser completes it. Nothing a listener does reaches the
   * parser while a chunk is read (a close or a reconnect acts through timers), so this dispatches
   * exactly what reading the whole chunk first and then its items would.
   */
  private readonly items: ItemSink = { push: (item) => this.take(item) };

  constructor(
    readonly url: string,
    private readonly link: EventSourceLink,
    options: { retryMs?: number } = {},
  ) {
    this.retryMs = options.retryMs ?? DEFAULT_EVENT_SOURCE_RETRY_MS;
    this.startAttempt();
  }

  get readyState(): number {
    return this.state;
  }

  /** Lists are replaced, never changed in place, so a dispatch walks the list as it began. */
  addEventListener(type: string, listener: Listener): void {
    const list = this.listeners.get(type) ?? [];
    if (!list.includes(listener)) this.listeners.set(type, [...list, listener]);
  }

  removeEventListener(type: string, listener: Listener): void {
    const list = this.listeners.get(type);
    if (list)
      this.listeners.set(
        type,
        list.filter((entry) => entry !== listener),
      );
  }

  close(): void {
    if (this.closedByCall) return;
    this.closedByCall = true;
    this.state = EVENT_SOURCE_CLOSED;
    this.link.clock.clearTimeout(this.reconnectTimer);
    this.abandonAttempt?.();
    this.abandonAttempt = null;
  }

  // StreamClientEnd: called by the network.
  onOpen(): void {
    if (this.state !== EVENT_SOURCE_CONNECTING) return;
    this.state = EVENT_SOURCE_OPEN;
    this.fire('open', { type: 'open' });
  }

  onChunk(chunk: string): void {
    this.parser.feed(chunk, this.items);
  }

  private take(item: SseItem): void {
    // Once closed, the rest of the chunk is read but not dispatched.
    if (this.state === EVENT_SOURCE_CLOSED) return;
    if (item.kind === 'retry') this.retryMs = item.retryMs;
    if (item.kind !== 'event') return;
    const event: MessageEventLike = { type: item.type, data: item.data, lastEventId: item.lastEventId };
    this.link.noteEvent(this, event);
    this.fire(item.type, event);
  }

  /** The stream ended or the attempt failed at the network level: reconnect. */
  onEnd(): void {
    if (this.state === EVENT_SOURCE_CLOSED) return;
    this.abandonAttempt = null;
    this.parser.end();
    this.state = EVENT_SOURCE_CONNECTING;
    this.fire('error', { type: 'error' });
    if (this.state !== EVENT_SOURCE_CONNECTING) return;
    this.reconnectTimer = this.link.clock.setTimeout(() => {
      if (this.state === EVENT_SOURCE_CONNECTING) this.startAttempt();
    }, this.retryMs);
  }

  /** The server answered, but not with an event stream: the EventSource gives up. */
  onRefused(): void {
    if (this.state === EVENT_SOURCE_CLOSED) return;
    this.abandonAttempt = null;
    this.state = EVENT_SOURCE_CLOSED;
    this.fire('error', { type: 'error' });
  }

  private startAttempt(): void {
    const lastEventId = this.parser.lastEventId;
    this.parser = new SseParser({ lastEventId });
    const headers: Record<string, string> = { accept: 'text/event-stream', 'cache-control': 'no-cache' };
    if (lastEventId !== '') headers['last-event-id'] = lastEventId;
    this.abandonAttempt = this.link.connect(this, headers);
  }

  private fire(type: string, event: MessageEventLike | { type: string }): void {
    // The handler property is read before any listener runs, as the list is: both as dispatch began.
    const handler =
      type === 'message' ? this.onmessage : type === 'error' ? this.onerror : type === 'open' ? this.onopen : null;
    const listeners = this.listeners.get(type);
    if (listeners) for (const listener of listeners) this.call(type, listener, event);
    if (handler) this.call(type, handler as Listener, event);
  }

  private call(type: string, listener: Listener, event: MessageEventLike | { type: string }): void {
    // A listener may close the source; nothing fires after that.
    if (this.closedByCall) return;
    try {
      listener(event as MessageEventLike);
    } catch (error) {
      this.link.callbackError(this, type, error);
    }
  }
}
