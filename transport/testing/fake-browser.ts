/**
 * Scripted stand-ins for the browser's fetch and EventSource, for client unit tests. Fault
 * model: nothing happens by itself. Every request waits until the test answers it (or an
 * auto-responder does), and an EventSource only delivers the frames, errors and closes the test
 * tells it to, so a test decides every interleaving.
 */
import {
  EVENT_SOURCE_CLOSED,
  EVENT_SOURCE_CONNECTING,
  EVENT_SOURCE_OPEN,
  type EventSourceFactory,
  type EventSourceLike,
  type FetchInit,
  type FetchLike,
  type FetchResponseLike,
  type MessageEventLike,
} from '../client/browser-io.ts';

export interface FakeResponseInit {
  status?: number;
  body?: unknown;
  /** Raw body text; wins over `body`. */
  text?: string;
  headers?: Record<string, string>;
}

export function fakeResponse(init: FakeResponseInit = {}): FetchResponseLike {
  const status = init.status ?? 200;
  const text = init.text ?? (init.body === undefined ? '' : JSON.stringify(init.body));
  const headers = new Map(Object.entries(init.headers ?? {}).map(([name, value]) => [name.toLowerCase(), value]));
  return {
    ok: status >= 200 && status < 300,
    status,
    headers: { get: (name) => headers.get(name.toLowerCase()) ?? null },
    json: async () => JSON.parse(text) as unknown,
    text: async () => text,
  };
}

/** One request seen by the fake fetch; the test settles it with `respond` or `fail`. */
export class FakeRequest {
  settled = false;
  private resolveResponse!: (response: FetchResponseLike) => void;
  private rejectResponse!: (error: Error) => void;
  readonly response: Promise<FetchResponseLike>;

  constructor(
    readonly url: string,
    readonly init: FetchInit,
  ) {
    this.response = new Promise((resolve, reject) => {
      this.resolveResponse = resolve;
      this.rejectResponse = reject;
    });
  }

  get body(): Record<string, unknown> {
    return JSON.parse(this.init.body ?? 'null') as Record<string, unknown>;
  }

  get connectionId(): string | undefined {
    return this.init.headers['x-connection-id'];
  }

  /** The endpoint name after `/api/chat/`. */
  get endpoint(): string {
    return this.url.replace(/^.*\/api\/chat\//, '').replace(/\?.*$/, '');
  }

  respond(init: FakeResponseInit = {}): void {
    if (this.settled) throw new Error(`request ${this.url} already settled`);
    this.settled = true;
    this.resolveResponse(fakeResponse(init));
  }

  fail(message = 'network down'): void {
    if (this.settled) throw new Error(`request ${this.url} already settled`);
    this.settled = true;
    this.rejectResponse(new TypeError(message));
  }
}

export type AutoResponder = (request: FakeRequest) => FakeResponseInit | 'fail' | undefined;

export class FakeFetch {
  readonly requests: FakeRequest[] = [];
  /** Answers requests as they arrive; returning undefined leaves the request to the test. */
  autoRespond: AutoResponder | undefined;

  readonly fetch: FetchLike = (url, init) => {
    const request = new FakeRequest(url, init);
    this.requests.push(request);
    const answer = this.autoRespond?.(request);
    if (answer === 'fail') request.fail();
    else if (answer) request.respond(answer);
    return request.response;
  };

  to(endpoint: string): FakeRequest[] {
    return this.requests.filter((request) => request.endpoint === endpoint);
  }

  open(): FakeRequest[] {
    return this.requests.filter((request) => !request.settled);
  }

  /** The only unsettled request to `endpoint`; throws when there is none or more than one. */
  single(endpoint: string): FakeRequest {
    const open = this.open().filter((request) => request.endpoint === endpoint);
    if (open.length !== 1) throw new Error(`expected one open ${endpoint} request, found ${open.length}`);
    return open[0]!;
  }
}

export class FakeEventSource implements EventSourceLike {
  readyState = EVENT_SOURCE_CONNECTING;
  onmessage: ((event: MessageEventLike) => void) | null = null;
  onerror: ((event: { type: string }) => void) | null = null;
  onopen: ((event: { type: string }) => void) | null = null;
  private readonly listeners = new Map<string, ((event: MessageEventLike) => void)[]>();

  constructor(readonly url: string) {}

  addEventListener(type: string, listener: (event: MessageEventLike) => void): void {
    this.listeners.set(type, [...(this.listeners.get(type) ?? []), listener]);
  }

  close(): void {
    this.readyState = EVENT_SOURCE_CLOSED;
  }

  get closed(): boolean {
    return this.readyState === EVENT_SOURCE_CLOSED;
  }

  /** The server's `welcome` frame on a (re)opened stream. */
  welcome(connectionId: string): void {
    this.readyState = EVENT_SOURCE_OPEN;
    this.onopen?.({ type: 'open' });
    this.dispatch('welcome', JSON.stringify({ type: 'welcome', protocolVersion: 2, connectionId }));
  }

  /** An `event: message` frame; a string is sent as raw data. */
  message(frame: unknown): void {
    this.dispatch('message', typeof frame === 'string' ? frame : JSON.stringify(frame));
  }

  /** The stream broke; like a browser, the source reconnects unless `closeForGood`. */
  error(closeForGood = false): void {
    this.readyState = closeForGood ? EVENT_SOURCE_CLOSED : EVENT_SOURCE_CONNECTING;
    this.onerror?.({ type: 'error' });
  }

  private dispatch(type: string, data: string): void {
    const event: MessageEventLike = { type, data };
    if (type === 'message') this.onmessage?.(event);
    for (const listener of this.listeners.get(type) ?? []) listener(event);
  }
}

export class FakeEventSources {
  readonly created: FakeEventSource[] = [];
  readonly factory: EventSourceFactory = (url) => {
    const source = new FakeEventSource(url);
    this.created.push(source);
    return source;
  };

  latest(): FakeEventSource {
    const source = this.created[this.created.length - 1];
    if (!source) throw new Error('no EventSource was created');
    return source;
  }
}

/** Lets every promise chain started so far run to its end (no timers involved). */
export async function settle(rounds = 50): Promise<void> {
  for (let round = 0; round < rounds; round += 1) await Promise.resolve();
}
