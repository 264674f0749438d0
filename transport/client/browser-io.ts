/**
 * The browser APIs the client uses, reduced to what it needs, so the simulator, a Node adapter
 * or a real browser can supply them. Shapes follow the WHATWG fetch and EventSource interfaces.
 */

export interface FetchResponseLike {
  readonly ok: boolean;
  readonly status: number;
  readonly headers: { get(name: string): string | null };
  json(): Promise<unknown>;
  text(): Promise<string>;
}

export interface FetchInit {
  method: string;
  headers: Record<string, string>;
  body?: string;
  /** Aborting it rejects the pending fetch with an `AbortError`; its answer is never delivered. */
  signal?: AbortSignal;
}

export type FetchLike = (url: string, init: FetchInit) => Promise<FetchResponseLike>;

export interface MessageEventLike {
  readonly type: string;
  readonly data: string;
  readonly lastEventId?: string;
}

export const EVENT_SOURCE_CONNECTING = 0;
export const EVENT_SOURCE_OPEN = 1;
export const EVENT_SOURCE_CLOSED = 2;

export interface EventSourceLike {
  readonly readyState: number;
  readonly url: string;
  onmessage: ((event: MessageEventLike) => void) | null;
  onerror: ((event: { type: string }) => void) | null;
  onopen: ((event: { type: string }) => void) | null;
  addEventListener(type: string, listener: (event: MessageEventLike) => void): void;
  close(): void;
}

export type EventSourceFactory = (url: string) => EventSourceLike;

export interface StorageLike {
  getItem(key: string): string | null;
  setItem(key: string, value: string): void;
  removeItem(key: string): void;
}

/** In-memory Storage, for tests and for clients that run without persistence. */
export class MemoryStorage implements StorageLike {
  private readonly items = new Map<string, string>();
  getItem(key: string): string | null {
    return this.items.get(key) ?? null;
  }
  setItem(key: string, value: string): void {
    this.items.set(key, value);
  }
  removeItem(key: string): void {
    this.items.delete(key);
  }
}
