/**
 * Backpressure on one stream: what a client that stops reading may cost the server, in bytes and
 * in time, and that the stream is aborted (its buffer dropped), not ended behind unread bytes.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { STREAM_BUFFER_LIMIT_BYTES, STREAM_BURST_YIELD_BYTES, STREAM_DRAIN_TIMEOUT_MS } from '../protocol.ts';
import { createFakeEnv, type FakeEnv } from '../testing/fake-env.ts';
import { FakeStreamSink } from '../testing/fake-stream-sink.ts';
import { BoundedSink, type OverrunReason } from './bounded-sink.ts';

describe('BoundedSink', () => {
  let fake: FakeEnv;
  let inner: FakeStreamSink;
  let overruns: { reason: OverrunReason; details: Record<string, number> }[];
  let sink: BoundedSink;

  beforeEach(() => {
    fake = createFakeEnv();
    inner = new FakeStreamSink();
    overruns = [];
    sink = new BoundedSink(inner, {
      env: fake.env,
      onOverrun: (reason, details) => overruns.push({ reason, details }),
    });
  });
  afterEach(() => expect(overruns.length).toBeLessThanOrEqual(1));

  it('passes writes through to a client that reads, with no timer left behind', () => {
    for (let i = 0; i < 1000; i++) expect(sink.write('x'.repeat(4096))).toBe(true);
    expect(inner.chunks).toHaveLength(1000);
    expect(sink.bufferedBytes).toBe(0);
    expect(fake.pendingTimerCount()).toBe(0);
    fake.advance(10 * STREAM_DRAIN_TIMEOUT_MS);
    expect(sink.closed).toBe(false);
  });

  it('aborts instead of writing a chunk that would leave more than STREAM_BUFFER_LIMIT_BYTES unread', () => {
    inner.paused = true;
    const chunk = 'y'.repeat(100 * 1024);
    const fitting = Math.floor(STREAM_BUFFER_LIMIT_BYTES / chunk.length);
    for (let i = 0; i < fitting; i++) expect(sink.write(chunk)).toBe(true);
    expect(sink.closed).toBe(false);
    expect(sink.write(chunk)).toBe(false);
    expect(inner.aborted).toBe(true);
    expect(sink.closed).toBe(true);
    expect(inner.chunks).toHaveLength(fitting);
    expect(overruns).toEqual([
      {
        reason: 'buffer-limit',
        details: {
          unreadBytes: fitting * chunk.length,
          chunkBytes: chunk.length,
          limitBytes: STREAM_BUFFER_LIMIT_BYTES,
        },
      },
    ]);
    expect(fake.pendingTimerCount()).toBe(0);
  });

  it('counts UTF-8 bytes, not string length, against the limit', () => {
    inner.paused = true;
    // Three bytes per character: a third of the limit in characters leaves room for one byte.
    const euros = Math.floor(STREAM_BUFFER_LIMIT_BYTES / 3);
    expect(sink.write('€'.repeat(euros))).toBe(true);
    expect(sink.bufferedBytes).toBe(STREAM_BUFFER_LIMIT_BYTES - 1);
    expect(sink.write('a')).toBe(true);
    expect(sink.write('b')).toBe(false);
    expect(overruns[0]?.details).toMatchObject({ unreadBytes: STREAM_BUFFER_LIMIT_BYTES, chunkBytes: 1 });
  });

  it('aborts a stream whose client reads nothing for STREAM_DRAIN_TIMEOUT_MS, however little waits', () => {
    inner.paused = true;
    expect(sink.write(':heartbeat\n\n')).toBe(true);
    fake.advance(STREAM_DRAIN_TIMEOUT_MS - 1);
    expect(sink.closed).toBe(false);
    fake.advance(1);
    expect(inner.aborted).toBe(true);
    expect(overruns).toEqual([
      {
        reason: 'drain-timeout',
        details: { unreadBytes: 12, unreadAtStartBytes: 12, timeoutMs: STREAM_DRAIN_TIMEOUT_MS },
      },
    ]);
  });

  it('keeps a stream whose client took what waited, even if newer bytes still wait', () => {
    inner.paused = true;
    sink.write('a'.repeat(500));
    fake.advance(STREAM_DRAIN_TIMEOUT_MS / 2);
    inner.drain();
    sink.write('b'.repeat(300));
    fake.advance(STREAM_DRAIN_TIMEOUT_MS / 2);
    expect(sink.closed).toBe(false);
    // A new window opened on the 300 bytes still unread; nothing of them is read in time.
    fake.advance(STREAM_DRAIN_TIMEOUT_MS);
    expect(overruns.map((overrun) => overrun.reason)).toEqual(['drain-timeout']);
  });

  it('counts what was written during the window: the client must take something of it all', () => {
    inner.paused = true;
    sink.write('a'.repeat(500));
    fake.advance(STREAM_DRAIN_TIMEOUT_MS / 2);
    sink.write('b'.repeat(100));
    fake.advance(STREAM_DRAIN_TIMEOUT_MS / 2);
    expect(overruns).toHaveLength(1);
    expect(overruns[0]).toMatchObject({
      reason: 'drain-timeout',
      details: { unreadBytes: 600, unreadAtStartBytes: 500 },
    });
  });

  it('keeps a stream whose client reads slowly, window after window', () => {
    let unread = 0;
    const slow = new BoundedSink(
      {
        write: (chunk) => ((unread += chunk.length), true),
        close: () => {},
        onClose: () => {},
        closed: false,
        get bufferedBytes() {
          return unread;
        },
      },
      { env: fake.env, onOverrun: (reason, details) => overruns.push({ reason, details }) },
    );
    for (let window = 0; window < 5; window++) {
      slow.write('s'.repeat(10_000));
      fake.advance(STREAM_DRAIN_TIMEOUT_MS / 2);
      // The client takes a tenth of what waits: slow, but reading.
      unread -= Math.ceil(unread / 10);
      fake.advance(STREAM_DRAIN_TIMEOUT_MS / 2);
    }
    expect(overruns).toEqual([]);
    expect(unread).toBeGreaterThan(0);
  });

  it('reports congestion past STREAM_BURST_YIELD_BYTES, before the limit', () => {
    inner.paused = true;
    sink.write('z'.repeat(STREAM_BURST_YIELD_BYTES));
    expect(sink.congested).toBe(false);
    sink.write('z');
    expect(sink.congested).toBe(true);
    expect(sink.closed).toBe(false);
    inner.drain();
    expect(sink.congested).toBe(false);
  });

  it('clears its drain timer when the stream closes by either side', () => {
    inner.paused = true;
    sink.write('a');
    expect(fake.pendingTimerCount()).toBe(1);
    inner.closeFromClient();
    expect(fake.pendingTimerCount()).toBe(0);
    expect(sink.write('b')).toBe(false);
  });

  it('writes a chunk larger than the limit to an empty buffer: no frame is undeliverable', () => {
    inner.paused = true;
    expect(sink.write('x'.repeat(STREAM_BUFFER_LIMIT_BYTES + 1))).toBe(true);
    expect(sink.write('x')).toBe(false);
    expect(overruns.map((overrun) => overrun.reason)).toEqual(['buffer-limit']);
  });

  it('closes a sink that has no abort, and bounds nothing for a sink that cannot tell its buffer', () => {
    const plain = { chunks: [] as string[], closed: false, handlers: [] as (() => void)[] };
    const legacy = new BoundedSink(
      {
        write: (chunk) => (plain.chunks.push(chunk), true),
        close: () => {
          plain.closed = true;
          for (const handler of plain.handlers.splice(0)) handler();
        },
        onClose: (handler) => void plain.handlers.push(handler),
        get closed() {
          return plain.closed;
        },
      },
      { env: fake.env, drainTimeoutMs: 10, bufferLimitBytes: 10 },
    );
    expect(legacy.write('x'.repeat(64))).toBe(true);
    expect(legacy.bufferedBytes).toBe(0);
    legacy.abort();
    expect(plain.closed).toBe(true);
  });
});
