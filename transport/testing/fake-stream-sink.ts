/**
 * An in-memory StreamSink for tests. Fault model: the test decides; `failWrites` makes every
 * write report failure (as a congested or half-dead socket would) without closing the stream,
 * `paused` makes the client stop reading (what is written then counts as unread bytes until
 * `drain`), and `close`/`closeFromClient`/`abort` end it from either side, running onClose
 * handlers once.
 */
import type { StreamSink } from '../http.ts';

export class FakeStreamSink implements StreamSink {
  readonly chunks: string[] = [];
  failWrites = false;
  /** While set, the client reads nothing and every chunk written adds to bufferedBytes. */
  paused = false;
  /** Whether the server ended the stream with abort() rather than close(). */
  aborted = false;
  private handlers: (() => void)[] = [];
  private isClosed = false;
  private unreadBytes = 0;

  get closed(): boolean {
    return this.isClosed;
  }

  get bufferedBytes(): number {
    return this.unreadBytes;
  }

  write(chunk: string): boolean {
    if (this.isClosed || this.failWrites) return false;
    this.chunks.push(chunk);
    if (this.paused) this.unreadBytes += Buffer.byteLength(chunk);
    return true;
  }

  /** The client takes everything unread; it stays paused or not as it was. */
  drain(): void {
    this.unreadBytes = 0;
  }

  abort(): void {
    if (this.isClosed) return;
    this.aborted = true;
    this.unreadBytes = 0;
    this.close();
  }

  close(): void {
    if (this.isClosed) return;
    this.isClosed = true;
    const handlers = this.handlers;
    this.handlers = [];
    for (const handler of handlers) handler();
  }

  /** The client went away; for the server this looks the same as its own close. */
  closeFromClient(): void {
    this.close();
  }

  onClose(handler: () => void): void {
    if (this.isClosed) handler();
    else this.handlers.push(handler);
  }

  /** The `data:` payloads of every frame written so far, parsed. */
  frames(): Record<string, unknown>[] {
    const frames: Record<string, unknown>[] = [];
    for (const chunk of this.chunks) {
      const dataLine = chunk.split('\n').find((line) => line.startsWith('data: '));
      if (dataLine) frames.push(JSON.parse(dataLine.slice('data: '.length)) as Record<string, unknown>);
    }
    return frames;
  }

  /** Seqs of the session events written so far, in order. */
  sessionSeqs(sessionId?: string): number[] {
    return this.frames()
      .filter((frame) => frame.type === 'session_event' && (sessionId === undefined || frame.sessionId === sessionId))
      .map((frame) => frame.seq as number);
  }
}
