/**
 * The server side of `GET /api/chat/events`: every stream gets a freshly minted connectionId, a
 * transport in the ConnectionRegistry, a welcome frame before anything else and a heartbeat.
 * A stream's close handler removes only the registry entry it created, so the close of an old
 * stream can never take a newer stream's entry with it. Every stream is bounded (BoundedSink):
 * one whose client stops reading is closed rather than buffered without end.
 */
import type { Env, RandomSource, TimerHandle } from '../env.ts';
import type { StreamResponse, StreamSink } from '../http.ts';
import { CONNECTION_ID_RANDOM_BITS, HEARTBEAT_INTERVAL_MS, PROTOCOL_VERSION, type ServerFrame } from '../protocol.ts';
import { OBS, PROBE, hitProbe } from '../observations.ts';
import { BoundedSink, type OverrunReason } from './bounded-sink.ts';
import type { ConnectionRegistry, ConnectionTransport } from './connection-registry.ts';

export const HEARTBEAT_CHUNK = ':heartbeat\n\n';

const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache, no-transform',
  connection: 'keep-alive',
  // Stops reverse proxies from buffering the stream into useless bursts.
  'x-accel-buffering': 'no',
};

/** One SSE frame. Session events carry their seq as the SSE id unless `options.id` overrides it. */
export function formatSseFrame(frame: ServerFrame, options: { id?: number } = {}): string {
  const id = options.id ?? (frame.type === 'session_event' ? frame.seq : undefined);
  const idLine = id === undefined ? '' : `id: ${id}\n`;
  const eventName = frame.type === 'welcome' ? 'welcome' : 'message';
  // JSON.stringify never emits raw newlines, so the payload always fits one data line.
  return `${idLine}event: ${eventName}\ndata: ${JSON.stringify(frame)}\n\n`;
}

/**
 * A fresh connection id: `conn-` and CONNECTION_ID_RANDOM_BITS from the random source in hex. The
 * id is the connection's capability, so it owes nothing to a counter or the clock, and no id says
 * anything about another one.
 */
function mintConnectionId(random: RandomSource): string {
  let hex = '';
  for (let word = 0; word < CONNECTION_ID_RANDOM_BITS / 32; word++) {
    hex += random.int(0x1_0000_0000).toString(16).padStart(8, '0');
  }
  return `conn-${hex}`;
}

/** A ConnectionTransport that writes SSE frames onto a StreamSink. */
class SinkTransport implements ConnectionTransport {
  constructor(private readonly sink: StreamSink & { readonly congested?: boolean }) {}

  get closed(): boolean {
    return this.sink.closed;
  }

  get congested(): boolean {
    return this.sink.congested ?? false;
  }

  send(frame: ServerFrame): boolean {
    if (this.sink.closed) return false;
    return this.sink.write(formatSseFrame(frame));
  }

  close(): void {
    this.sink.close();
  }
}

/** Called after a closed stream's own registry entry was removed, with the sessions it watched. */
export type StreamClosedHandler = (connectionId: string, watchedSessionIds: string[]) => void;

export interface SseStreamsOptions {
  env: Env;
  registry: ConnectionRegistry;
  onStreamClosed?: StreamClosedHandler;
  heartbeatIntervalMs?: number;
}

export class SseStreams {
  private readonly env: Env;
  private readonly registry: ConnectionRegistry;
  private readonly onStreamClosed: StreamClosedHandler | undefined;
  private readonly heartbeatIntervalMs: number;
  private readonly openSinks = new Set<BoundedSink>();
  /** Ids draw from their own stream: minting one must not change what the agents draw. */
  private readonly idRandom: RandomSource;

  constructor(options: SseStreamsOptions) {
    this.env = options.env;
    this.registry = options.registry;
    this.onStreamClosed = options.onStreamClosed;
    this.heartbeatIntervalMs = options.heartbeatIntervalMs ?? HEARTBEAT_INTERVAL_MS;
    this.idRandom = options.env.random.split?.('connection-ids') ?? options.env.random;
  }

  /** The response for one `GET /api/chat/events`; the connection exists once the adapter starts it. */
  open(): StreamResponse {
    return {
      kind: 'stream',
      status: 200,
      headers: { ...SSE_HEADERS },
      start: (sink) => this.start(sink),
    };
  }

  openStreamCount(): number {
    return this.openSinks.size;
  }

  /** Closes every open stream; their close handlers run as for any other close. */
  closeAll(): void {
    for (const sink of [...this.openSinks]) sink.close();
  }

  private start(rawSink: StreamSink): void {
    if (rawSink.closed) return;
    let connectionId = mintConnectionId(this.idRandom);
    // 128 random bits do not collide in practice; a live id is never handed out twice regardless.
    while (this.registry.has(connectionId)) connectionId = mintConnectionId(this.idRandom);
    const sink = new BoundedSink(rawSink, {
      env: this.env,
      onOverrun: (reason, details) => this.logOverrun(connectionId, reason, details),
    });
    const transport = new SinkTransport(sink);
    this.openSinks.add(sink);
    this.registry.register(connectionId, transport);
    const heartbeat = this.env.timers.setInterval(
      () => this.beat(connectionId, transport, sink),
      this.heartbeatIntervalMs,
    );
    sink.onClose(() => this.handleClose(connectionId, transport, sink, heartbeat));
    transport.send({ type: 'welcome', protocolVersion: PROTOCOL_VERSION, connectionId });
  }

  private logOverrun(connectionId: string, reason: OverrunReason, details: Record<string, number>): void {
    this.env.logger.log('warn', OBS.serverStreamOverrun, { connectionId, reason, ...details });
    hitProbe(this.env.logger, PROBE.streamOverrun);
  }

  private beat(connectionId: string, transport: SinkTransport, sink: BoundedSink): void {
    if (sink.closed) return;
    // A stream whose connection the registry dropped would stay silent forever: closing it makes
    // the browser reconnect and announce itself again.
    if (!this.registry.owns(connectionId, transport)) {
      sink.close();
      return;
    }
    // A failed heartbeat needs no handling here: the sink reports the close through onClose.
    sink.write(HEARTBEAT_CHUNK);
  }

  private handleClose(connectionId: string, transport: SinkTransport, sink: BoundedSink, heartbeat: TimerHandle): void {
    this.env.timers.clearInterval(heartbeat);
    this.openSinks.delete(sink);
    const watched = this.registry.watchedSessions(connectionId, transport);
    if (!this.registry.remove(connectionId, transport)) return;
    this.onStreamClosed?.(connectionId, watched);
  }
}
