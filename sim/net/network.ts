/**
 * The simulated network between browser clients and the server. Fault model: every message
 * takes a latency drawn per direction from its own rng stream, so separate requests may overtake
 * each other, while the frames of one stream stay in order; the server may be down (requests
 * fail like a refused connection, streams error); the fault policy may drop a request, answer it
 * in the server's place, lose its response after the server acted, delay it, or fail a frame
 * write; streams can be dropped or left half-open; a server crash fails everything in flight.
 * A page may abort its own fetch (AbortSignal): the fetch rejects with an `AbortError` at once
 * and the answer is never delivered; a request that had not reached the server yet never does.
 * Nothing here touches real time: every delivery is a timer of the virtual clock, which runs as
 * the actor it is delivered to (the server for a request, the client for an answer), so an error
 * the receiving code raises is charged to the receiver.
 */
import {
  EVENT_SOURCE_CLOSED,
  type EventSourceFactory,
  type FetchInit,
  type FetchLike,
  type FetchResponseLike,
} from '../../transport/index.ts';
import type { HttpRequest, HttpResponse, RequestHandler, StreamResponse } from '../../transport/index.ts';
import type { VirtualClock } from '../core/index.ts';
import { SERVER_ACTOR } from '../core/index.ts';
import { assert, keptResults } from '../core/index.ts';
import {
  NO_NETWORK_FAULTS,
  type NetworkFaults,
  type RequestChannel,
  type RequestFaultDecision,
} from './network-faults.ts';
import type { Rng } from '../core/index.ts';
import { SimEventSource, type EventSourceLink } from './sim-event-source.ts';
import { networkError, SimResponse } from './sim-response.ts';
import { SimStream, type StreamLink } from './sim-stream.ts';

export interface LatencyConfig {
  latencyMsMin: number;
  latencyMsMax: number;
}

export interface NetworkRecord {
  /** request, request-fault, response, request-failed, request-abandoned, request-aborted, stream-open,
   * frame-delivered, frame-failed, frame-lost, stream-close, welcome, callback-error. */
  kind: string;
  clientId: string;
  details: Record<string, unknown>;
  /** The whole request, on a `request` record: what `details` leaves out (its headers) stays out of the trace. */
  request?: HttpRequest;
}

export interface SimNetworkOptions extends LatencyConfig {
  clock: VirtualClock;
  /** The network's own stream; it is split into one stream per direction. */
  rng: Rng;
  /** The live server's handler, or null while the server is down. */
  handler: () => RequestHandler | null;
  faults?: NetworkFaults;
  onRecord?: (record: NetworkRecord) => void;
  /** Reconnection delay of the simulated EventSource until a `retry:` field changes it. */
  eventSourceRetryMs?: number;
  /** The connection id an SSE event gives when it is a welcome (the protocol profile's reading). */
  welcomeOf?: (eventType: string, data: string) => string | null;
}

export interface ClientNetworkIo {
  fetch: FetchLike;
  createEventSource: EventSourceFactory;
}

export interface OpenStreamInfo {
  streamId: string;
  clientId: string;
  connectedAtMs: number;
}

/** One request on its way: settled exactly once, by its answer or by a failure. */
interface Flight {
  readonly requestId: string;
  readonly clientId: string;
  readonly channel: RequestChannel;
  settled: boolean;
  /** Client side outcome; only called once, at client time. */
  readonly onBody: (response: SimResponse) => void;
  readonly onFailure: (reason: string) => void;
  readonly onStream?: (response: StreamResponse, lostResponse: boolean) => void;
}

const FALLBACK_ORIGIN = 'http://sim.invalid';

export class SimNetwork {
  private readonly up: Rng;
  private readonly down: Rng;
  private readonly latency: LatencyConfig;
  private readonly faults: NetworkFaults;
  private readonly flights = new Map<string, Flight>();
  private readonly streams = new Map<string, SimStream>();
  private readonly sources = new Map<string, Set<SimEventSource>>();
  private nextRequest = 1;
  private nextStream = 1;
  private readonly streamLink: StreamLink;
  private readonly welcomeOf: (eventType: string, data: string) => string | null;
  /** The chunk written last, on any stream. */
  private lastChunk = '';

  constructor(private readonly options: SimNetworkOptions) {
    this.up = options.rng.split('latency-up');
    this.down = options.rng.split('latency-down');
    this.latency = validateLatency(options);
    this.faults = options.faults ?? NO_NETWORK_FAULTS;
    this.welcomeOf = options.welcomeOf ?? bundledWelcomeOf;
    this.streamLink = {
      clock: options.clock,
      upMs: () => this.upMs(),
      downMs: () => this.downMs(),
      faults: () => this.faults,
      record: (clientId, kind, details) => this.record(kind, clientId, details),
      sharedText: (chunk) => this.sharedText(chunk),
    };
  }

  /**
   * A broadcast writes the same text to every watcher, formatted once per stream. The copies are
   * replaced by the first one, so that what reads the frame downstream (its session-event reading,
   * kept by text, and its trace line) meets one string whose hash and JSON are already known.
   * Two frames that differ mostly do so in their first line (the SSE id), so the test is cheap.
   */
  private sharedText(chunk: string): string {
    if (chunk === this.lastChunk) return this.lastChunk;
    this.lastChunk = chunk;
    return chunk;
  }

  /** The fetch and EventSource factory one browser client uses. */
  clientIo(clientId: string): ClientNetworkIo {
    return {
      fetch: (url, init) => this.fetchFor(clientId, url, init),
      createEventSource: (url) => this.createEventSource(clientId, url),
    };
  }

  openStreams(): OpenStreamInfo[] {
    return [...this.streams.values()]
      .filter((stream) => stream.isOpen)
      .map(({ streamId, clientId, connectedAtMs }) => ({ streamId, clientId, connectedAtMs }));
  }

  /** Requests sent and not yet answered or failed. */
  inFlightCount(): number {
    return this.flights.size;
  }

  /** Cuts a stream: the server sees it closed now, the client after one-way latency. */
  dropStream(streamId: string): boolean {
    const stream = this.liveStream(streamId);
    if (!stream) return false;
    stream.cut('dropped', this.downMs(), { serverAlive: true });
    return true;
  }

  /** The server side is gone now; the client notices only after `clientNoticeAfterMs`. */
  halfOpen(streamId: string, clientNoticeAfterMs: number): boolean {
    const stream = this.liveStream(streamId);
    if (!stream) return false;
    stream.cut('half-open', clientNoticeAfterMs, { serverAlive: true });
    return true;
  }

  /**
   * The client stops reading the stream for `forMs`: what the server writes meanwhile waits
   * unread, as in a socket buffer its peer does not drain. False when the stream is not open or
   * already paused.
   */
  pauseReading(streamId: string, forMs: number): boolean {
    const stream = this.liveStream(streamId);
    if (!stream || stream.readingPaused) return false;
    stream.pauseReading();
    this.options.clock.setTimeout(() => stream.resumeReading(), Math.max(0, forMs));
    return true;
  }

  isReadingPaused(streamId: string): boolean {
    return this.streams.get(streamId)?.readingPaused ?? false;
  }

  /** Every client reads again (the heal phase); a pause's own timer then finds nothing to do. */
  resumeAllReading(): void {
    for (const stream of [...this.streams.values()]) stream.resumeReading();
  }

  /** The server process died: every open stream and every pending response fails. */
  failAllInFlight(): void {
    // Settled now, so a late answer of the dead process is ignored; the client hears of it
    // (a connection reset) one latency later, never inside the crash itself.
    for (const flight of [...this.flights.values()]) {
      this.settle(flight);
      this.options.clock.setTimeoutAs(flight.clientId, () => this.notifyFailure(flight, 'server-crash'), this.downMs());
    }
    for (const stream of [...this.streams.values()]) {
      stream.cut('server-crash', this.downMs(), { serverAlive: false });
      // A dead process runs no close handlers, so the map entry is dropped here.
      this.streams.delete(stream.streamId);
    }
  }

  /**
   * The client's page is gone: its EventSources close (the server hears of it), and answers to
   * its pending requests are never delivered.
   */
  disconnectClient(clientId: string): void {
    for (const source of this.sources.get(clientId) ?? []) source.close();
    this.sources.delete(clientId);
    for (const flight of [...this.flights.values()]) {
      if (flight.clientId === clientId) this.abandon(flight);
    }
  }

  private fetchFor(clientId: string, url: string, init: FetchInit | undefined): Promise<FetchResponseLike> {
    const request = toHttpRequest(url, init?.method ?? 'GET', init?.headers ?? {}, init?.body);
    if (!request) return Promise.reject(new TypeError(`fetch failed: invalid URL ${String(url)}`));
    const signal = init?.signal;
    if (signal?.aborted) return Promise.reject(abortReason(signal));
    return new Promise((resolve, reject) => {
      const onAbort = () => {
        if (flight.settled) return;
        this.settle(flight);
        this.record('request-aborted', clientId, { requestId: flight.requestId });
        reject(abortReason(signal!));
      };
      const done = () => signal?.removeEventListener('abort', onAbort);
      const flight = this.send(clientId, 'fetch', request, {
        onBody: (response) => {
          done();
          resolve(response);
        },
        onFailure: (reason) => {
          done();
          reject(networkError(reason));
        },
        onStream: undefined,
      });
      // No `once`: done() removes the listener, and an aborted signal never fires again.
      signal?.addEventListener('abort', onAbort);
    });
  }

  private createEventSource(clientId: string, url: string): SimEventSource {
    const source = new SimEventSource(url, this.eventSourceLink(clientId), {
      retryMs: this.options.eventSourceRetryMs,
    });
    // Closed sources are forgotten, so a client that replaces its EventSource often does not leak.
    const live = [...(this.sources.get(clientId) ?? [])].filter((entry) => entry.readyState !== EVENT_SOURCE_CLOSED);
    this.sources.set(clientId, new Set([...live, source]));
    return source;
  }

  private eventSourceLink(clientId: string): EventSourceLink {
    return {
      clock: this.options.clock,
      connect: (source, headers) => this.connectEventSource(clientId, source, headers),
      callbackError: (_source, eventType, error) =>
        this.record('callback-error', clientId, {
          eventType,
          message: error instanceof Error ? error.message : String(error),
        }),
      noteEvent: (_source, event) => {
        const connectionId = this.welcomeOf(event.type, event.data);
        if (connectionId !== null) this.record('welcome', clientId, { connectionId });
      },
    };
  }

  /** One connection attempt of an EventSource; returns how to abandon it. */
  private connectEventSource(clientId: string, source: SimEventSource, headers: Record<string, string>): () => void {
    const request = toHttpRequest(source.url, 'GET', headers, undefined);
    if (!request) {
      this.options.clock.setTimeoutAs(clientId, () => source.onRefused(), 0);
      return () => {};
    }
    let stream: SimStream | null = null;
    const flight = this.send(clientId, 'event-source', request, {
      onBody: () => source.onRefused(),
      onFailure: () => source.onEnd(),
      onStream: (response, lostResponse) => {
        stream = this.openStream(clientId, source, response, lostResponse);
      },
    });
    return () => {
      if (!flight.settled) this.abandon(flight);
      stream?.closeFromClient();
    };
  }

  private send(
    clientId: string,
    channel: RequestChannel,
    request: HttpRequest,
    outcome: Pick<Flight, 'onBody' | 'onFailure' | 'onStream'>,
  ): Flight {
    const requestId = `req-${this.nextRequest++}`;
    const flight: Flight = { requestId, clientId, channel, settled: false, ...outcome };
    this.flights.set(requestId, flight);
    this.record(
      'request',
      clientId,
      { requestId, channel, method: request.method, path: request.path, body: request.body },
      request,
    );
    const decision = this.faults.onRequest({ requestId, clientId, channel, request });
    if (decision.action !== 'pass') this.record('request-fault', clientId, { requestId, ...decision });
    const extraMs = decision.action === 'delay' ? Math.max(0, Math.floor(decision.delayMs)) : 0;
    const arriveMs = this.upMs() + extraMs;
    this.options.clock.setTimeoutAs(SERVER_ACTOR, () => this.arrive(flight, request, decision), arriveMs);
    return flight;
  }

  /** The request reaches the server end of the network. */
  private arrive(flight: Flight, request: HttpRequest, decision: RequestFaultDecision): void {
    if (flight.settled) return;
    if (decision.action === 'drop') return this.failLater(flight, 'dropped');
    if (decision.action === 'respond') {
      const response = new SimResponse(decision.status, decision.headers ?? {}, decision.body ?? '');
      return this.answerLater(flight, response);
    }
    const handler = this.options.handler();
    if (!handler) return this.failLater(flight, 'server-down');
    let pending: Promise<HttpResponse>;
    try {
      pending = handler(request);
    } catch (error) {
      pending = Promise.reject(error);
    }
    const holdMs = decision.action === 'hold-response' ? Math.max(0, Math.floor(decision.holdMs)) : 0;
    pending.then(
      (response) => this.handled(flight, response, decision.action === 'lose-response', holdMs),
      (error: unknown) => this.handlerFailed(flight, error, decision.action === 'lose-response'),
    );
  }

  /** The server answered (the flight may have failed meanwhile, by a crash). */
  private handled(flight: Flight, response: HttpResponse, lostResponse: boolean, holdMs = 0): void {
    if (flight.settled) return;
    if (response.kind === 'stream') {
      if (!flight.onStream) return this.failLater(flight, 'stream responses need an EventSource');
      this.settle(flight);
      flight.onStream(response, lostResponse);
      return;
    }
    if (lostResponse) return this.failLater(flight, 'response-lost');
    this.answerLater(flight, new SimResponse(response.status, response.headers, response.body), holdMs);
  }

  /** A handler that rejects is answered 500, as an HTTP adapter would. */
  private handlerFailed(flight: Flight, error: unknown, lostResponse: boolean): void {
    if (flight.settled) return;
    const message = error instanceof Error ? error.message : String(error);
    this.record('handler-error', flight.clientId, { requestId: flight.requestId, message });
    if (lostResponse) return this.failLater(flight, 'response-lost');
    this.answerLater(
      flight,
      new SimResponse(500, { 'content-type': 'application/json' }, JSON.stringify({ error: 'internal error' })),
    );
  }

  private openStream(
    clientId: string,
    source: SimEventSource,
    response: StreamResponse,
    lostResponse: boolean,
  ): SimStream {
    const streamId = `stream-${this.nextStream++}`;
    const stream = new SimStream(streamId, clientId, this.options.clock.now(), this.streamLink, source);
    this.streams.set(streamId, stream);
    stream.sink.onClose(() => this.streams.delete(streamId));
    this.record('stream-open', clientId, { streamId });
    stream.announceOpen();
    response.start(stream.sink);
    if (lostResponse) stream.cut('response-lost', this.downMs(), { serverAlive: true });
    return stream;
  }

  private answerLater(flight: Flight, response: SimResponse, holdMs = 0): void {
    this.options.clock.setTimeoutAs(
      flight.clientId,
      () => {
        if (flight.settled) return;
        this.settle(flight);
        // Retry-After is recorded only where present, so the record of any other answer keeps its shape.
        const retryAfter = response.headers.get('retry-after');
        const details = { requestId: flight.requestId, status: response.status };
        this.record('response', flight.clientId, retryAfter === null ? details : { ...details, retryAfter });
        flight.onBody(response);
      },
      this.downMs() + holdMs,
    );
  }

  private failLater(flight: Flight, reason: string): void {
    this.options.clock.setTimeoutAs(flight.clientId, () => this.fail(flight, reason), this.downMs());
  }

  private fail(flight: Flight, reason: string): void {
    if (flight.settled) return;
    this.settle(flight);
    this.notifyFailure(flight, reason);
  }

  private notifyFailure(flight: Flight, reason: string): void {
    this.record('request-failed', flight.clientId, { requestId: flight.requestId, reason });
    flight.onFailure(reason);
  }

  private abandon(flight: Flight): void {
    this.settle(flight);
    this.record('request-abandoned', flight.clientId, { requestId: flight.requestId });
  }

  private settle(flight: Flight): void {
    flight.settled = true;
    this.flights.delete(flight.requestId);
  }

  private liveStream(streamId: string): SimStream | undefined {
    const stream = this.streams.get(streamId);
    return stream?.isOpen ? stream : undefined;
  }

  private upMs(): number {
    return this.up.intBetween(this.latency.latencyMsMin, this.latency.latencyMsMax);
  }

  private downMs(): number {
    return this.down.intBetween(this.latency.latencyMsMin, this.latency.latencyMsMax);
  }

  private record(kind: string, clientId: string, details: Record<string, unknown>, request?: HttpRequest): void {
    this.options.onRecord?.(request === undefined ? { kind, clientId, details } : { kind, clientId, details, request });
  }
}

function validateLatency(latency: LatencyConfig): LatencyConfig {
  const { latencyMsMin, latencyMsMax } = latency;
  if (!Number.isSafeInteger(latencyMsMin) || latencyMsMin < 0) {
    throw new RangeError(`latencyMsMin must be a non-negative integer, got ${latencyMsMin}`);
  }
  if (!Number.isSafeInteger(latencyMsMax) || latencyMsMax < latencyMsMin) {
    throw new RangeError(`latencyMsMax must be an integer >= latencyMsMin (${latencyMsMin}), got ${latencyMsMax}`);
  }
  return { latencyMsMin, latencyMsMax };
}

/**
 * A URL whose path URL parsing returns unchanged: an optional http(s) origin with a plain host
 * name, then a path with no dot segments, nothing to encode and no fragment. Every request of the
 * transport looks like this, and building a URL per request showed in profiles; anything else is
 * parsed.
 */
const PLAIN_URL = new RegExp(
  /^(?:https?:\/\/[A-Za-z][A-Za-z0-9]*(?:\.[A-Za-z][A-Za-z0-9]*)*(?::[0-9]{1,4})?)?/.source +
    /(\/(?!\/)[A-Za-z0-9\-_~/]*(?:\?[A-Za-z0-9\-_.~=&%+]+)?)$/.source,
);

/**
 * The path and query of a request URL, as the server sees them; null for a URL that does not
 * parse. Kept per URL: a client asks for the same few URLs again and again.
 */
export const requestPathOf: (url: string) => string | null = keptResults(parsedPathOf, 256);

function parsedPathOf(url: string): string | null {
  const plain = PLAIN_URL.exec(url);
  if (plain) {
    const path = plain[1];
    assert(path !== undefined, 'PLAIN_URL always captures the path');
    return path;
  }
  try {
    const parsed = new URL(url, FALLBACK_ORIGIN);
    return `${parsed.pathname}${parsed.search}`;
  } catch {
    return null;
  }
}

function toHttpRequest(
  url: string,
  method: string,
  headers: Record<string, string>,
  body: unknown,
): HttpRequest | null {
  const path = requestPathOf(String(url));
  if (path === null) return null;
  const lowerHeaders: Record<string, string> = {};
  for (const [name, value] of Object.entries(headers)) lowerHeaders[name.toLowerCase()] = String(value);
  return { method: method.toUpperCase(), path, headers: lowerHeaders, body: body === undefined ? '' : String(body) };
}

/** A welcome as the bundled transport sends it: an SSE event `welcome` whose data names the connection. */
function bundledWelcomeOf(eventType: string, data: string): string | null {
  if (eventType !== 'welcome') return null;
  try {
    const value = JSON.parse(data) as { connectionId?: unknown };
    return typeof value.connectionId === 'string' ? value.connectionId : null;
  } catch {
    return null;
  }
}

/** What an aborted fetch rejects with, as in browsers: the signal's reason, an `AbortError` by default. */
function abortReason(signal: AbortSignal): unknown {
  return signal.reason ?? new DOMException('This operation was aborted', 'AbortError');
}
