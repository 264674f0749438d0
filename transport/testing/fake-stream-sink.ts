/**
 * An in-memory StreamSink for tests. Fault model: the test decides; `failWrites` makes every
 * write report failure (as a congested or half-dead socket would) without closing the stream,
 * and `close`/`closeFromClient` end it from either side, running onClose handlers once.
 */
import type { StreamSink } from '../http.ts';

export class FakeStreamSink implements StreamSink {
  readonly chunks: string[] = [];
  failWrites = false;
  private handlers: (() => void)[] = [];
  private isClosed = false;

  get closed(): boolean {
    return this.isClosed;
  }

  write(chunk: string): boolean {
    if (this.isClosed || this.failWrites) return false;
    this.chunks.push(chunk);
    return true;
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
