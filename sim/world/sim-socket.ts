/**
 * The socket under one simulated request, as node:http's IncomingMessage and ServerResponse see
 * it. Fault model: it carries the bytes of exactly one exchange; the response's bytes go to the
 * exchange (which hands them to the simulated network), never to the OS; it closes once, when
 * the exchange says the connection is gone (the client went away, the stream was dropped, the
 * response finished), and then reads and writes fail as on a destroyed socket. Its buffer is
 * the network's: `writableLength` is what the client has not read yet, and a write returns false
 * once that passes the high-water mark of a Node socket, so a slow reader applies backpressure.
 */
import { EventEmitter } from 'node:events';
import { StringDecoder } from 'node:string_decoder';

/** net.Socket's default writable high-water mark on Node 20. */
export const SOCKET_HIGH_WATER_MARK_BYTES = 16 * 1024;

/** What the socket hands on: the response body as text, and the bytes still unread. */
export interface SocketPeer {
  /** The first byte after the response's header: the header is final from here on. */
  headerDone(): void;
  body(text: string): void;
  bufferedBytes(): number;
}

type WriteCallback = (error?: Error | null) => void;

export class SimSocket extends EventEmitter {
  readable = true;
  writable = true;
  destroyed = false;
  readonly remoteAddress = '127.0.0.1';
  readonly remotePort = 0;
  readonly encrypted = false;
  readonly writableCorked = 0;
  readonly readableHighWaterMark = SOCKET_HIGH_WATER_MARK_BYTES;
  readonly writableHighWaterMark = SOCKET_HIGH_WATER_MARK_BYTES;
  /** ServerResponse sets and reads these as it would on a net.Socket. */
  _httpMessage: unknown = null;
  readonly _writableState = { corked: 0 };
  readonly _paused = false;
  /** Characters of the response header still to skip: node:http writes it in front of the body. */
  private headerCharsLeft: number | null = null;
  private readonly decoder = new StringDecoder('utf8');

  constructor(
    private readonly peer: SocketPeer,
    private readonly headerOf: () => string | null,
  ) {
    super();
  }

  get writableLength(): number {
    return this.peer.bufferedBytes();
  }

  write(
    data: string | Uint8Array,
    encoding?: BufferEncoding | WriteCallback | null,
    callback?: WriteCallback,
  ): boolean {
    const done = typeof encoding === 'function' ? encoding : callback;
    const textEncoding = typeof encoding === 'string' ? encoding : 'utf8';
    if (this.destroyed) {
      if (done) process.nextTick(done, new Error('write after the connection closed'));
      return false;
    }
    const text = this.withoutHeader(
      typeof data === 'string' ? data : this.decoder.write(Buffer.from(data)),
      textEncoding,
    );
    if (text.length > 0) this.peer.body(text);
    // A net.Socket calls back once the bytes left the process, never synchronously.
    if (done) process.nextTick(done);
    return this.peer.bufferedBytes() < SOCKET_HIGH_WATER_MARK_BYTES;
  }

  /** node:http prepends its serialized header to the first write: the exchange reads headers from the response. */
  private withoutHeader(text: string, encoding: BufferEncoding): string {
    if (this.headerCharsLeft === null) {
      const header = this.headerOf();
      if (header === null) return text;
      this.headerCharsLeft = header.length;
    }
    let body = text;
    if (this.headerCharsLeft > 0) {
      const skipped = Math.min(this.headerCharsLeft, text.length);
      this.headerCharsLeft -= skipped;
      body = text.slice(skipped);
      if (this.headerCharsLeft === 0) this.peer.headerDone();
    }
    // A body chunk written as latin1 or base64 text stays as node:http would have sent it.
    return encoding === 'utf8' || encoding === 'utf-8' ? body : Buffer.from(body, encoding).toString('utf8');
  }

  /** The connection is gone: listeners of `close` (the response among them) hear it now. */
  closeConnection(): void {
    if (this.destroyed) return;
    this.destroyed = true;
    this.readable = false;
    this.writable = false;
    this.emit('close', false);
  }

  /** What node:http does on `res.destroy()` or a request that is torn down. */
  destroy(): this {
    this.closeConnection();
    return this;
  }

  end(): this {
    return this;
  }

  cork(): void {}
  uncork(): void {}
  pause(): this {
    return this;
  }
  resume(): this {
    return this;
  }
  setTimeout(_timeoutMs?: number): this {
    return this;
  }
  setNoDelay(): this {
    return this;
  }
  setKeepAlive(): this {
    return this;
  }
  ref(): this {
    return this;
  }
  unref(): this {
    return this;
  }
  address(): { address: string; family: string; port: number } {
    return { address: '127.0.0.1', family: 'IPv4', port: 80 };
  }
}
