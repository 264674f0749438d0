/**
 * Backpressure for one event stream. A client that stops reading leaves what the server writes
 * in its socket's buffer, and a server that goes on writing holds all of it in memory. This
 * wrapper closes such a stream instead and discards its buffer: when a write would leave more than
 * STREAM_BUFFER_LIMIT_BYTES unread, and when the client takes none of its unread bytes for
 * STREAM_DRAIN_TIMEOUT_MS. A client that reads slowly is not closed for it: the byte bound holds
 * what it may cost, and replay and sync wait for it (`congested`). Nothing is lost by a close:
 * the client reconnects, announces the cursor it applied, and the server replays from there.
 */
import type { Env, TimerHandle } from '../env.ts';
import type { StreamSink } from '../http.ts';
import { STREAM_BUFFER_LIMIT_BYTES, STREAM_BURST_YIELD_BYTES, STREAM_DRAIN_TIMEOUT_MS } from '../protocol.ts';

export type OverrunReason = 'buffer-limit' | 'drain-timeout';

export interface BoundedSinkOptions {
  env: Env;
  /** Called once, just before the stream is aborted, with the figures that made it overrun. */
  onOverrun?: (reason: OverrunReason, details: Record<string, number>) => void;
  bufferLimitBytes?: number;
  drainTimeoutMs?: number;
  burstYieldBytes?: number;
}

/** One drain window: the client must take some of what is unread before it ends. */
interface DrainWindow {
  timer: TimerHandle;
  unreadAtStartBytes: number;
  writtenSinceBytes: number;
}

export class BoundedSink implements StreamSink {
  private readonly env: Env;
  private readonly onOverrun: BoundedSinkOptions['onOverrun'];
  private readonly bufferLimitBytes: number;
  private readonly drainTimeoutMs: number;
  private readonly burstYieldBytes: number;
  private window: DrainWindow | null = null;
  private overran = false;

  constructor(
    private readonly sink: StreamSink,
    options: BoundedSinkOptions,
  ) {
    this.env = options.env;
    this.onOverrun = options.onOverrun;
    this.bufferLimitBytes = options.bufferLimitBytes ?? STREAM_BUFFER_LIMIT_BYTES;
    this.drainTimeoutMs = options.drainTimeoutMs ?? STREAM_DRAIN_TIMEOUT_MS;
    this.burstYieldBytes = options.burstYieldBytes ?? STREAM_BURST_YIELD_BYTES;
    sink.onClose(() => this.closeWindow());
  }

  get closed(): boolean {
    return this.sink.closed;
  }

  get bufferedBytes(): number {
    return this.sink.bufferedBytes ?? 0;
  }

  /** Enough waits unread that a burst (replay, sync) should stop and leave the rest for later. */
  get congested(): boolean {
    return this.bufferedBytes > this.burstYieldBytes;
  }

  write(chunk: string): boolean {
    if (this.sink.closed) return false;
    const unreadBytes = this.bufferedBytes;
    // UTF-8 takes at most 3 bytes per UTF-16 unit, so the exact size is needed only near the limit.
    // An empty buffer takes any chunk, so no single frame is ever undeliverable.
    if (unreadBytes > 0 && unreadBytes + 3 * chunk.length > this.bufferLimitBytes) {
      const chunkBytes = Buffer.byteLength(chunk);
      if (unreadBytes + chunkBytes > this.bufferLimitBytes) {
        this.overrun('buffer-limit', { unreadBytes, chunkBytes, limitBytes: this.bufferLimitBytes });
        return false;
      }
    }
    if (!this.sink.write(chunk)) return false;
    this.noteWritten(chunk);
    return true;
  }

  close(): void {
    this.closeWindow();
    this.sink.close();
  }

  abort(): void {
    this.closeWindow();
    if (this.sink.abort) this.sink.abort();
    else this.sink.close();
  }

  onClose(handler: () => void): void {
    this.sink.onClose(handler);
  }

  private noteWritten(chunk: string): void {
    if (this.window) {
      this.window.writtenSinceBytes += Buffer.byteLength(chunk);
      return;
    }
    const unreadBytes = this.bufferedBytes;
    if (unreadBytes > 0) this.openWindow(unreadBytes);
  }

  private openWindow(unreadAtStartBytes: number): void {
    const timer = this.env.timers.setTimeout(() => this.endWindow(), this.drainTimeoutMs);
    this.window = { timer, unreadAtStartBytes, writtenSinceBytes: 0 };
  }

  private endWindow(): void {
    const window = this.window;
    this.window = null;
    if (!window || this.sink.closed) return;
    const unreadBytes = this.bufferedBytes;
    // As much unread as waited at the start plus all written since: the client took nothing.
    if (unreadBytes >= window.unreadAtStartBytes + window.writtenSinceBytes) {
      this.overrun('drain-timeout', {
        unreadBytes,
        unreadAtStartBytes: window.unreadAtStartBytes,
        timeoutMs: this.drainTimeoutMs,
      });
      return;
    }
    if (unreadBytes > 0) this.openWindow(unreadBytes);
  }

  private closeWindow(): void {
    if (!this.window) return;
    this.env.timers.clearTimeout(this.window.timer);
    this.window = null;
  }

  private overrun(reason: OverrunReason, details: Record<string, number>): void {
    if (this.overran) return;
    this.overran = true;
    this.onOverrun?.(reason, details);
    this.abort();
  }
}
