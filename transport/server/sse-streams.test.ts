import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import type { RandomSource } from '../env.ts';
import { OBS } from '../observations.ts';
import {
  HEARTBEAT_INTERVAL_MS,
  STREAM_BUFFER_LIMIT_BYTES,
  STREAM_DRAIN_TIMEOUT_MS,
  type SessionEventFrame,
} from '../protocol.ts';
import { createFakeEnv, type FakeEnv } from '../testing/fake-env.ts';
import { FakeStreamSink } from '../testing/fake-stream-sink.ts';
import { RecordingTransport } from '../testing/recording-transport.ts';
import { ConnectionRegistry } from './connection-registry.ts';
import { EventStore } from './event-store.ts';
import { HEARTBEAT_CHUNK, SseStreams, formatSseFrame } from './sse-streams.ts';

const EVENT: SessionEventFrame = {
  type: 'session_event',
  seq: 7,
  sessionId: 's1',
  prevSessionSeq: 3,
  eventType: 'assistant_delta',
  payload: { text: 'hi\nthere' },
  createdAt: 1000,
};

describe('formatSseFrame', () => {
  it('writes the welcome as a named event without an id', () => {
    const chunk = formatSseFrame({ type: 'welcome', protocolVersion: 2, connectionId: 'conn-1' });
    expect(chunk).toBe('event: welcome\ndata: {"type":"welcome","protocolVersion":2,"connectionId":"conn-1"}\n\n');
  });

  it('gives a session event its seq as the SSE id and keeps the data on one line', () => {
    const chunk = formatSseFrame(EVENT);
    const lines = chunk.split('\n');
    expect(lines.slice(0, 2)).toEqual(['id: 7', 'event: message']);
    expect(lines[2]?.startsWith('data: ')).toBe(true);
    expect(JSON.parse(lines[2]!.slice(6))).toEqual(EVENT);
    expect(chunk.endsWith('\n\n')).toBe(true);
    expect(lines).toHaveLength(5);
  });

  it('sends other frames as plain messages, with an id only when asked', () => {
    const frame = { type: 'reconnected' as const, sessions: [{ sessionId: 's1', replayed: 2 }] };
    expect(formatSseFrame(frame).startsWith('event: message\ndata: ')).toBe(true);
    expect(formatSseFrame(frame, { id: 42 }).startsWith('id: 42\nevent: message\n')).toBe(true);
  });
});

describe('SseStreams', () => {
  let fake: FakeEnv;
  let store: EventStore;
  let registry: ConnectionRegistry;
  let closed: { connectionId: string; watched: string[] }[];
  let streams: SseStreams;

  beforeEach(() => {
    fake = createFakeEnv();
    store = new EventStore({ env: fake.env, path: ':memory:' });
    registry = new ConnectionRegistry({ env: fake.env, store });
    closed = [];
    streams = new SseStreams({
      env: fake.env,
      registry,
      onStreamClosed: (connectionId, watched) => closed.push({ connectionId, watched }),
    });
  });
  afterEach(() => store.close());

  function openStream(): FakeStreamSink {
    const response = streams.open();
    const sink = new FakeStreamSink();
    response.start(sink);
    return sink;
  }

  /** The connection id the stream's welcome frame announced. */
  const idOf = (sink: FakeStreamSink) => sink.frames()[0]!.connectionId as string;

  it('answers with an event-stream response that registers nothing until started', () => {
    const response = streams.open();
    expect(response.status).toBe(200);
    expect(response.headers['content-type']).toContain('text/event-stream');
    expect(response.headers['cache-control']).toContain('no-cache');
    expect(registry.connectionIds()).toEqual([]);
  });

  it('mints a fresh connection id per stream and writes the welcome first', () => {
    const first = openStream();
    const second = openStream();
    expect(registry.connectionIds()).toEqual([idOf(first), idOf(second)]);
    expect(idOf(first)).not.toBe(idOf(second));
    expect(first.chunks[0]).toBe(formatSseFrame({ type: 'welcome', protocolVersion: 2, connectionId: idOf(first) }));
    expect(second.frames()[0]).toEqual({ type: 'welcome', protocolVersion: 2, connectionId: idOf(second) });
  });

  it('carries registry frames on the stream', () => {
    const sink = openStream();
    store.upsertSession('s1');
    registry.watch(idOf(sink), 's1');
    const seq = store.append('s1', 'assistant_delta', { text: 'a' });
    registry.broadcast('s1', { ...EVENT, seq, prevSessionSeq: 0 });
    expect(sink.chunks[1]?.startsWith(`id: ${seq}\n`)).toBe(true);
  });

  it('writes a heartbeat every interval and stops when the stream closes', () => {
    const sink = openStream();
    fake.advance(HEARTBEAT_INTERVAL_MS - 1);
    expect(sink.chunks).toHaveLength(1);
    fake.advance(1);
    expect(sink.chunks[1]).toBe(HEARTBEAT_CHUNK);
    fake.advance(HEARTBEAT_INTERVAL_MS);
    expect(sink.chunks.filter((chunk) => chunk === HEARTBEAT_CHUNK)).toHaveLength(2);
    sink.closeFromClient();
    expect(fake.pendingTimerCount()).toBe(0);
  });

  it('closes a stream at its next heartbeat once the registry has forgotten its connection', () => {
    const forgotten = openStream();
    const kept = openStream();
    registry.remove(idOf(forgotten));
    fake.advance(HEARTBEAT_INTERVAL_MS);
    expect(forgotten.closed).toBe(true);
    expect(forgotten.chunks).not.toContain(HEARTBEAT_CHUNK);
    expect(kept.closed).toBe(false);
    expect(kept.chunks).toContain(HEARTBEAT_CHUNK);
  });

  it('removes its own entry on close and reports the sessions it watched', () => {
    const sink = openStream();
    const other = openStream();
    registry.watch(idOf(sink), 'a');
    registry.watch(idOf(sink), 'b');
    sink.closeFromClient();
    expect(registry.connectionIds()).toEqual([idOf(other)]);
    expect(closed).toEqual([{ connectionId: idOf(sink), watched: ['a', 'b'] }]);
    expect(streams.openStreamCount()).toBe(1);
  });

  it('never removes a newer stream when an old one with the same id closes', () => {
    const oldSink = openStream();
    const newer = new RecordingTransport();
    registry.register(idOf(oldSink), newer);
    oldSink.closeFromClient();
    expect(registry.has(idOf(oldSink))).toBe(true);
    expect(registry.sendTo(idOf(oldSink), { type: 'reconnected', sessions: [] })).toBe(true);
    expect(newer.frames).toHaveLength(1);
    expect(closed).toEqual([]);
  });

  it('ignores a sink that is already closed when the adapter starts it', () => {
    const sink = new FakeStreamSink();
    sink.close();
    streams.open().start(sink);
    expect(registry.connectionIds()).toEqual([]);
    expect(fake.pendingTimerCount()).toBe(0);
  });

  it('mints the same ids from the same seed and other ids from another seed', () => {
    const idsFrom = (seed: number) => {
      const env = createFakeEnv({ seed }).env;
      const ownStore = new EventStore({ env, path: ':memory:' });
      const ownRegistry = new ConnectionRegistry({ env, store: ownStore });
      const ownStreams = new SseStreams({ env, registry: ownRegistry });
      for (let i = 0; i < 3; i++) ownStreams.open().start(new FakeStreamSink());
      ownStore.close();
      return ownRegistry.connectionIds();
    };
    expect(idsFrom(7)).toEqual(idsFrom(7));
    expect(idsFrom(7)).not.toEqual(idsFrom(8));
    for (const id of idsFrom(7)) expect(id).toMatch(/^conn-[0-9a-f]{32}$/);
  });

  it('draws ids from a stream of their own when the random source can split, so others draw as before', () => {
    const drawn: string[] = [];
    const source = (name: string): RandomSource => ({
      int: (maxExclusive) => (drawn.push(name), maxExclusive - 1),
      chance: () => false,
      split: (child) => source(`${name}/${child}`),
    });
    const env = { ...fake.env, random: source('server') };
    const ownStreams = new SseStreams({ env, registry });
    ownStreams.open().start(new FakeStreamSink());
    expect(drawn).toEqual(Array(4).fill('server/connection-ids'));
    expect(registry.connectionIds()).toEqual([`conn-${'f'.repeat(32)}`]);
  });

  it('closes the stream of a client that stops reading, drops its connection and says why', () => {
    const paused = openStream();
    const reading = openStream();
    const pausedId = idOf(paused);
    registry.watch(pausedId, 's1');
    paused.paused = true;
    fake.advance(HEARTBEAT_INTERVAL_MS);
    expect(paused.bufferedBytes).toBe(HEARTBEAT_CHUNK.length);
    fake.advance(STREAM_DRAIN_TIMEOUT_MS);
    expect(paused.aborted).toBe(true);
    expect(reading.closed).toBe(false);
    expect(registry.connectionIds()).toEqual([idOf(reading)]);
    expect(closed).toEqual([{ connectionId: pausedId, watched: ['s1'] }]);
    expect(fake.logsOf(OBS.serverStreamOverrun)).toEqual([
      {
        level: 'warn',
        event: OBS.serverStreamOverrun,
        data: {
          connectionId: pausedId,
          reason: 'drain-timeout',
          // The next heartbeat falls due at the same moment, just before the window ends.
          unreadBytes: 2 * HEARTBEAT_CHUNK.length,
          unreadAtStartBytes: HEARTBEAT_CHUNK.length,
          timeoutMs: STREAM_DRAIN_TIMEOUT_MS,
        },
      },
    ]);
  });

  it('closes a stream at once when live events would leave more than STREAM_BUFFER_LIMIT_BYTES unread', () => {
    const sink = openStream();
    store.upsertSession('s1');
    registry.watch(idOf(sink), 's1');
    sink.paused = true;
    const text = 'w'.repeat(64 * 1024);
    let published = 0;
    while (!sink.closed && published < 100) {
      const seq = store.append('s1', 'assistant_delta', { text });
      registry.broadcast('s1', { ...EVENT, seq, prevSessionSeq: 0, payload: { text } });
      published += 1;
    }
    expect(sink.aborted).toBe(true);
    expect(published).toBeLessThan(STREAM_BUFFER_LIMIT_BYTES / text.length + 2);
    expect(fake.logsOf(OBS.serverStreamOverrun)[0]?.data).toMatchObject({
      connectionId: idOf(sink),
      reason: 'buffer-limit',
      limitBytes: STREAM_BUFFER_LIMIT_BYTES,
    });
    expect(registry.connectionIds()).toEqual([]);
  });

  it('closeAll ends every stream through the normal close path', () => {
    const a = openStream();
    const b = openStream();
    streams.closeAll();
    expect(a.closed && b.closed).toBe(true);
    expect(registry.connectionIds()).toEqual([]);
    expect(closed.map((entry) => entry.connectionId)).toEqual([idOf(a), idOf(b)]);
  });
});
