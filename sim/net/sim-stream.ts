/**
 * Both ends of one simulated event stream. Fault model: frames travel down with a latency drawn
 * per frame but arrive in the order they were written (a frame is never delivered before the
 * one written before it); a write can be failed by the fault policy (write returns false, the
 * frame is gone); the connection can be cut (a drop, a half-open socket, a server crash), after
 * which nothing more reaches the client and the client hears of it only after a notice delay.
 * The client can stop reading for a while: what the server writes meanwhile waits unread (the
 * sink's bufferedBytes) and arrives, in order, when it reads again; a server that aborts the
 * stream meanwhile discards it, and the client hears of the end when it reads again.
 * Each side learns of the other's close after one-way latency; close handlers run once. What
 * reaches the client runs as the client and close handlers run as the server, whoever cut it.
 */
import type { StreamSink } from '../../transport/index.ts';
import type { VirtualClock } from '../core/index.ts';
import { runAs, SERVER_ACTOR } from '../core/index.ts';
import type { NetworkFaults } from './network-faults.ts';

/** What the client side of a stream is told (an EventSource connection). */
export interface StreamClientEnd {
  onOpen(): void;
  onChunk(chunk: string): void;
  /** The stream ended or failed; nothing more will arrive. */
  onEnd(reason: string): void;
}

/** What a stream needs from its network. */
export interface StreamLink {
  readonly clock: VirtualClock;
  upMs(): number;
  downMs(): number;
  faults(): NetworkFaults;
  record(clientId: string, kind: string, details: Record<string, unknown>): void;
  /** The chunk, or an equal one written before it: see SimNetwork.sharedText. */
  sharedText(chunk: string): string;
}

/** A delivery held while the client does not read; `chunk` when it carries a frame. */
interface HeldDelivery {
  deliver: () => void;
  chunk?: string;
}

export class SimStream {
  readonly sink: StreamSink;
  private serverClosed = false;
  private clientCut = false;
  private lastDeliveryMs = 0;
  private readonly closeHandlers: Array<() => void> = [];
  private readonly drainHandlers: Array<() => void> = [];
  /** Deliveries waiting for a client that stopped reading; null while it reads. */
  private held: HeldDelivery[] | null = null;
  private heldBytes = 0;
  /** The server aborted while the client was not reading: it hears of the end when it reads again. */
  private endOnResume: string | null = null;

  constructor(
    readonly streamId: string,
    readonly clientId: string,
    readonly connectedAtMs: number,
    private readonly link: StreamLink,
    private readonly client: StreamClientEnd,
  ) {
    const stream = this;
    this.sink = {
      write: (chunk) => stream.write(chunk),
      close: () => stream.closeFromServer(),
      abort: () => stream.abortFromServer(),
      onClose: (handler) => stream.addCloseHandler(handler),
      onDrain: (handler) => void stream.drainHandlers.push(handler),
      get closed() {
        return stream.serverClosed;
      },
      get bufferedBytes() {
        return stream.heldBytes;
      },
    };
  }

  /** Both sides still think the stream is up. */
  get isOpen(): boolean {
    return !this.serverClosed && !this.clientCut;
  }

  /** The response headers reached the client: the EventSource opens. */
  announceOpen(): void {
    this.inOrder(() => {
      if (!this.clientCut) this.client.onOpen();
    });
  }

  /** Whether the client has stopped reading (a slow-reader fault). */
  get readingPaused(): boolean {
    return this.held !== null;
  }

  /** The client stops reading; what arrives meanwhile waits until `resumeReading`. */
  pauseReading(): void {
    if (this.held === null) this.held = [];
  }

  /** The client reads again: everything held arrives in order, and an abort meanwhile ends the stream. */
  resumeReading(): void {
    const held = this.held;
    if (held === null) return;
    this.held = null;
    this.heldBytes = 0;
    this.link.record(this.clientId, 'read-resumed', { streamId: this.streamId, heldDeliveries: held.length });
    for (const { deliver } of held) this.inOrder(deliver);
    const reason = this.endOnResume;
    if (reason !== null) {
      this.endOnResume = null;
      this.cut(reason, this.link.downMs(), { serverAlive: true });
    }
    // What waited is on its way: the server's socket buffer is empty again.
    if (!this.serverClosed && this.drainHandlers.length > 0)
      runAs(SERVER_ACTOR, () => this.drainHandlers.forEach((handler) => handler()));
  }

  /** The client closed the stream; the server hears of it one uplink latency later. */
  closeFromClient(): void {
    if (this.clientCut) return;
    this.clientCut = true;
    this.link.clock.setTimeoutAs(SERVER_ACTOR, () => this.closeServerSide('client-closed'), this.link.upMs());
  }

  /**
   * The connection is cut. The server side closes now (its close handlers run unless the server
   * process is gone), the client is told after `noticeAfterMs`, and frames still in flight are lost.
   */
  cut(reason: string, noticeAfterMs: number, options: { serverAlive: boolean }): void {
    if (options.serverAlive) this.closeServerSide(reason);
    else this.serverClosed = true;
    if (this.clientCut) return;
    this.clientCut = true;
    this.link.clock.setTimeoutAs(
      this.clientId,
      () => {
        this.link.record(this.clientId, 'stream-close', { streamId: this.streamId, side: 'client', reason });
        this.client.onEnd(reason);
      },
      Math.max(0, noticeAfterMs),
    );
  }

  private write(written: string): boolean {
    if (this.serverClosed) return false;
    const chunk = this.link.sharedText(written);
    const decision = this.link.faults().onFrame({ streamId: this.streamId, clientId: this.clientId, chunk });
    if (decision.action === 'fail') {
      this.link.record(this.clientId, 'frame-failed', { streamId: this.streamId, chunk });
      return false;
    }
    if (this.held !== null) this.heldBytes += Buffer.byteLength(chunk);
    this.inOrder(() => {
      if (this.clientCut) {
        this.link.record(this.clientId, 'frame-lost', { streamId: this.streamId, chunk });
        return;
      }
      this.link.record(this.clientId, 'frame-delivered', { streamId: this.streamId, chunk });
      this.client.onChunk(chunk);
    }, chunk);
    return true;
  }

  /**
   * The server gives up on the stream and drops what the client has not read. A client that is
   * not reading learns of it only when it reads again; one that reads hears of it after latency.
   */
  private abortFromServer(): void {
    if (this.serverClosed) return;
    this.closeServerSide('server-aborted');
    if (this.held === null) {
      this.cut('server-aborted', this.link.downMs(), { serverAlive: true });
      return;
    }
    for (const { chunk } of this.held.splice(0)) {
      if (chunk !== undefined) this.link.record(this.clientId, 'frame-lost', { streamId: this.streamId, chunk });
    }
    this.heldBytes = 0;
    this.endOnResume = 'server-aborted';
  }

  /** A graceful close by the server: frames already written still arrive, then the end. */
  private closeFromServer(): void {
    if (this.serverClosed) return;
    this.closeServerSide('server-closed');
    this.inOrder(() => {
      if (this.clientCut) return;
      this.clientCut = true;
      this.link.record(this.clientId, 'stream-close', {
        streamId: this.streamId,
        side: 'client',
        reason: 'server-closed',
      });
      this.client.onEnd('server-closed');
    });
  }

  private closeServerSide(reason: string): void {
    if (this.serverClosed) return;
    this.serverClosed = true;
    this.link.record(this.clientId, 'stream-close', { streamId: this.streamId, side: 'server', reason });
    const handlers = this.closeHandlers.splice(0);
    // A fault cuts a stream from the simulator's own step; the handlers are still the server's code.
    if (handlers.length > 0) runAs(SERVER_ACTOR, () => handlers.forEach((handler) => handler()));
  }

  private addCloseHandler(handler: () => void): void {
    // Registered after the close: it still runs once, as it would have.
    if (this.serverClosed) handler();
    else this.closeHandlers.push(handler);
  }

  /** Schedules a delivery at its own latency, never before the previous delivery of this stream. */
  private inOrder(deliver: () => void, chunk?: string): void {
    if (this.held !== null) {
      this.held.push({ deliver, chunk });
      return;
    }
    const nowMs = this.link.clock.now();
    const dueMs = Math.max(nowMs + this.link.downMs(), this.lastDeliveryMs);
    this.lastDeliveryMs = dueMs;
    this.link.clock.setTimeoutAs(this.clientId, deliver, dueMs - nowMs);
  }
}
