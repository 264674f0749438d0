/**
 * A ConnectionTransport that records the frames it was given. Fault model: `failWrites` makes
 * writes fail while the transport stays open; `failNextWrites(n)` fails only the next n writes;
 * `failAfterWrites(n)` lets n more writes through and fails every one after them; `congestAfter(n)`
 * reports a client behind on reading once n more frames were written.
 */
import type { ServerFrame, SessionEventFrame } from '../protocol.ts';
import type { ConnectionTransport } from '../server/connection-registry.ts';

export class RecordingTransport implements ConnectionTransport {
  readonly frames: ServerFrame[] = [];
  failWrites = false;
  private failuresLeft = 0;
  private successesLeft: number | undefined;
  private framesBeforeCongestion: number | undefined;
  private isClosed = false;

  get closed(): boolean {
    return this.isClosed;
  }

  get congested(): boolean {
    return this.framesBeforeCongestion !== undefined && this.framesBeforeCongestion <= 0;
  }

  congestAfter(count: number): void {
    this.framesBeforeCongestion = count;
  }

  send(frame: ServerFrame): boolean {
    if (this.isClosed || this.failWrites) return false;
    if (this.failuresLeft > 0) {
      this.failuresLeft -= 1;
      return false;
    }
    if (this.successesLeft !== undefined) {
      if (this.successesLeft === 0) return false;
      this.successesLeft -= 1;
    }
    this.frames.push(frame);
    if (this.framesBeforeCongestion !== undefined) this.framesBeforeCongestion -= 1;
    return true;
  }

  close(): void {
    this.isClosed = true;
  }

  failNextWrites(count: number): void {
    this.failuresLeft = count;
  }

  failAfterWrites(count: number): void {
    this.successesLeft = count;
  }

  /** Every write succeeds again. */
  heal(): void {
    this.failWrites = false;
    this.failuresLeft = 0;
    this.successesLeft = undefined;
    this.framesBeforeCongestion = undefined;
  }

  sessionEvents(sessionId?: string): SessionEventFrame[] {
    return this.frames.filter(
      (frame): frame is SessionEventFrame =>
        frame.type === 'session_event' && (sessionId === undefined || frame.sessionId === sessionId),
    );
  }

  seqs(sessionId?: string): number[] {
    return this.sessionEvents(sessionId).map((frame) => frame.seq);
  }

  /** Forgets what was recorded so a test can look at one step at a time. */
  clear(): void {
    this.frames.length = 0;
  }
}
