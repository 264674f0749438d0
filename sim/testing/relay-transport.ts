/**
 * A small transport of the same family as the bundled one, written apart from it, with its own
 * wire names and limits: rooms instead of sessions, a `hello` event for the welcome, `ev` frames
 * naming room, number and predecessor, prompts POSTed as `{id, room, text}` to `/relay/op/say`,
 * and a client that gives up after a fixed number of attempts and tells the app so. It reports
 * only its pending count through `observe`; everything else the simulator learns on its network.
 * The server replays every room from the start on each new stream, and the client applies each
 * room's events strictly in order, so the stream alone keeps it complete.
 */
import type { Env, HttpRequest, HttpResponse, StreamSink } from '../../transport/index.ts';
import type { EventSourceLike, FetchLike } from '../../transport/index.ts';
import type { ClientSignal } from '../../transport/index.ts';
import type { ClientIo, ClientLike, OutgoingMessage, ServerLike, StoreLike, TransportFactory } from '../world/index.ts';
import type { AppMessage, ProtocolProfile } from '../net/index.ts';

const BASE = 'http://relay.test';
const STREAM_PATH = '/relay/stream';
const OP_PREFIX = '/relay/op/';
const LINK_HEADER = 'x-relay-link';
const RETRY_DELAY_MS = 500;

interface RelayEvent {
  seq: number;
  type: string;
  payload: { id: string; text: string };
  createdAt: number;
}

/** The frame of an `ev` event, as the server writes it and the client reads it. */
interface RelayFrame {
  room: string;
  n: number;
  prev: number;
  kind: string;
}

/** What the relay client hands the app. */
type RelayAppMessage =
  | ({ kind: 'ev' } & Omit<RelayFrame, 'kind'> & { type: string })
  | { kind: 'gave-up'; id: string; room: string; why: string }
  | { kind: 'open'; link: string };

function parse(text: string): Record<string, unknown> | null {
  try {
    const value: unknown = JSON.parse(text);
    return typeof value === 'object' && value !== null ? (value as Record<string, unknown>) : null;
  } catch {
    return null;
  }
}

/** The `data:` of an SSE chunk whose event type is `eventType`, or null. */
function sseData(chunk: string, eventType: string): string | null {
  const lines = chunk.split('\n');
  if (!lines.includes(`event: ${eventType}`)) return null;
  const data = lines.find((line) => line.startsWith('data: '));
  return data === undefined ? null : data.slice('data: '.length);
}

function relayAppMessageOf(message: unknown): AppMessage {
  const m = message as RelayAppMessage;
  if (m.kind === 'ev') {
    return {
      kind: 'event',
      sessionId: m.room,
      seq: m.n,
      prevSessionSeq: m.prev,
      eventType: m.type,
      permissionRequestId: null,
    };
  }
  if (m.kind === 'gave-up') {
    const signal: ClientSignal = { type: '_send_failed', clientMsgId: m.id, sessionId: m.room, reason: m.why };
    return { kind: 'signal', signal };
  }
  return { kind: 'signal', signal: { type: '_open', connectionId: m.link } };
}

export function relayProfile(sendAttemptBudget: number): ProtocolProfile {
  return {
    paths: {
      postPrefix: OP_PREFIX,
      send: `${OP_PREFIX}say`,
      reconnect: `${OP_PREFIX}resume`,
      history: null,
    },
    connectionHeader: LINK_HEADER,
    welcomeOf: (eventType, data) => {
      const link = eventType === 'hello' ? parse(data)?.link : undefined;
      return typeof link === 'string' ? link : null;
    },
    sessionEventOf: (chunk) => {
      const frame = parse(sseData(chunk, 'ev') ?? '') as RelayFrame | null;
      return frame === null ? null : { sessionId: frame.room, seq: frame.n };
    },
    promptOf: (body) => {
      const message = parse(body);
      if (message === null || typeof message.id !== 'string') return null;
      return { clientMsgId: message.id, sessionId: String(message.room), prompt: String(message.text) };
    },
    appMessageOf: relayAppMessageOf,
    userMessageOf: (event) => {
      const payload = event.payload as RelayEvent['payload'];
      return event.type === 'said' ? { clientMsgId: payload.id, prompt: payload.text } : null;
    },
    limits: {
      maxPendingSends: 4,
      applyBufferLimit: 10,
      sendAttemptBudget,
      reconnectReplayLimit: 50,
      replayAmplificationMax: 2,
    },
    syncIntervalMs: 1000,
  };
}

/** The durable part: it outlives a crashed server, so a retried prompt is still recognised. */
class RelayStore implements StoreLike {
  readonly rooms = new Map<string, RelayEvent[]>();
  readonly said = new Set<string>();

  getSessionEvents(room: string): RelayEvent[] {
    return this.rooms.get(room) ?? [];
  }

  close(): void {}
}

class RelayServer implements ServerLike {
  private readonly links = new Map<string, StreamSink>();

  constructor(
    private readonly env: Env,
    private readonly store: RelayStore,
  ) {}

  readonly handle = async (request: HttpRequest): Promise<HttpResponse> => {
    const path = request.path.split('?')[0];
    if (request.method === 'GET' && path === STREAM_PATH) return this.stream();
    if (request.method === 'POST' && path === `${OP_PREFIX}say`) this.say(parse(request.body) ?? {});
    return { kind: 'body', status: 200, headers: {}, body: '{"ok":true}' };
  };

  start(): void {}

  forgetConnection(link: string): boolean {
    return this.links.delete(link);
  }

  connectionIds(): string[] {
    return [...this.links.keys()];
  }

  openPermissionRequests(): { sessionId: string; requestId: string }[] {
    return [];
  }

  private stream(): HttpResponse {
    return {
      kind: 'stream',
      status: 200,
      headers: { 'content-type': 'text/event-stream' },
      start: (sink) => {
        const link = this.env.ids.next('link');
        this.links.set(link, sink);
        sink.onClose(() => this.links.delete(link));
        sink.write(`event: hello\ndata: ${JSON.stringify({ link })}\n\n`);
        for (const [room, events] of this.store.rooms) for (const event of events) sink.write(frameText(room, event));
      },
    };
  }

  private say(message: Record<string, unknown>): void {
    const id = String(message.id);
    if (this.store.said.has(id)) return;
    this.store.said.add(id);
    const room = String(message.room);
    const events = this.store.rooms.get(room) ?? [];
    this.store.rooms.set(room, events);
    const event = {
      seq: events.length + 1,
      type: 'said',
      payload: { id, text: String(message.text) },
      createdAt: this.env.clock.now(),
    };
    events.push(event);
    for (const sink of this.links.values()) sink.write(frameText(room, event));
  }
}

function frameText(room: string, event: RelayEvent): string {
  const frame: RelayFrame = { room, n: event.seq, prev: event.seq - 1, kind: event.type };
  return `event: ev\ndata: ${JSON.stringify(frame)}\n\n`;
}

/** The browser APIs the relay client uses: the injected ones, or a page's globals (a test supplies those). */
export interface RelayBrowser {
  after(action: () => void, delayMs: number): void;
  fetch: FetchLike;
  openStream(url: string): EventSourceLike;
}

function injectedBrowser(env: Env, io: ClientIo): RelayBrowser {
  return {
    after: (action, delayMs) => void env.timers.setTimeout(action, delayMs),
    fetch: io.fetch,
    openStream: (url) => io.createEventSource(url),
  };
}

interface Pending {
  id: string;
  room: string;
  text: string;
  attempts: number;
}

class RelayClient implements ClientLike {
  private source: EventSourceLike | null = null;
  private link: string | null = null;
  private readonly listeners: ((message: unknown) => void)[] = [];
  private readonly applied = new Map<string, number>();
  private readonly queue: Pending[] = [];
  private inFlight = false;
  private disposed = false;

  constructor(
    private readonly env: Env,
    private readonly io: ClientIo,
    private readonly maxAttempts: number,
    private readonly browser: RelayBrowser,
  ) {}

  connect(): void {
    const source = this.browser.openStream(`${BASE}${STREAM_PATH}`);
    this.source = source;
    source.addEventListener('hello', (event) => {
      this.link = String(parse(event.data)?.link);
      this.emit({ kind: 'open', link: this.link });
      this.pump();
    });
    source.addEventListener('ev', (event) => this.receive(parse(event.data) as unknown as RelayFrame));
    source.onerror = () => {
      this.link = null;
    };
  }

  dispose(): void {
    this.disposed = true;
    this.source?.close();
  }

  isConnected(): boolean {
    return this.link !== null;
  }

  getConnectionId(): string | null {
    return this.link;
  }

  onMessage(listener: (message: unknown) => void): void {
    this.listeners.push(listener);
  }

  send(message: OutgoingMessage): { accepted: boolean; clientMsgId?: string } {
    if (message.type !== 'send') return { accepted: true };
    const id = this.env.ids.next('say');
    this.queue.push({ id, room: message.sessionId, text: message.prompt, attempts: 0 });
    this.io.observe.queueLength(this.queue.length);
    this.pump();
    return { accepted: true, clientMsgId: id };
  }

  watchSession(): void {}

  pendingCount(): number {
    return this.queue.length;
  }

  private receive(frame: RelayFrame): void {
    const last = this.applied.get(frame.room) ?? 0;
    if (frame.n !== last + 1) return;
    this.applied.set(frame.room, frame.n);
    this.emit({ kind: 'ev', room: frame.room, n: frame.n, prev: frame.prev, type: frame.kind });
  }

  private emit(message: RelayAppMessage): void {
    for (const listener of this.listeners) listener(message);
  }

  private pump(): void {
    const head = this.queue[0];
    if (this.disposed || this.inFlight || head === undefined || this.link === null) return;
    head.attempts += 1;
    this.inFlight = true;
    const body = JSON.stringify({ id: head.id, room: head.room, text: head.text });
    const init = { method: 'POST', headers: { [LINK_HEADER]: this.link }, body };
    this.browser.fetch(`${BASE}${OP_PREFIX}say`, init).then(
      (response) => this.settle(head, response.ok ? null : `status ${response.status}`),
      () => this.settle(head, 'network error'),
    );
  }

  private settle(head: Pending, failure: string | null): void {
    this.inFlight = false;
    if (failure !== null && head.attempts < this.maxAttempts) {
      this.browser.after(() => this.pump(), RETRY_DELAY_MS);
      return;
    }
    this.queue.shift();
    this.io.observe.queueLength(this.queue.length);
    if (failure !== null) this.emit({ kind: 'gave-up', id: head.id, room: head.room, why: failure });
    this.pump();
  }
}

export interface RelayOptions {
  maxAttempts: number;
  sendAttemptBudget: number;
  /** The client reaches timers, fetch and EventSource through these globals instead of the injected ones. */
  globals?: RelayBrowser;
}

/**
 * The relay transport whose client makes at most `maxAttempts` POSTs of a prompt and whose
 * profile states `sendAttemptBudget`: a client that tries more often than it says it will is
 * caught by its own stated budget, not the bundled transport's.
 */
export function relayTransportFactory(options: RelayOptions): TransportFactory {
  const { maxAttempts, globals } = options;
  return {
    name: `relay-${maxAttempts}-attempts${globals ? '-on-globals' : ''}`,
    profile: relayProfile(options.sendAttemptBudget),
    observations: ['pending-count', 'queue-length'],
    usesGlobals: globals !== undefined,
    createStore: () => new RelayStore(),
    createServer: (env, store) => new RelayServer(env, store as RelayStore),
    createClient: (env, io) => new RelayClient(env, io, maxAttempts, globals ?? injectedBrowser(env, io)),
  };
}
