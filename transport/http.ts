/**
 * A framework-free HTTP shape for the server: the routes take an HttpRequest and answer with a
 * plain body or an event stream. `transport/node/` maps it onto node:http; the simulator maps it
 * onto its simulated network. Header names are lower case.
 */

export interface HttpRequest {
  method: string;
  /** Path with optional query string, e.g. `/api/chat/history?sessionId=s1&afterSeq=3`. */
  path: string;
  headers: Record<string, string>;
  body: string;
}

/**
 * The server's end of one open event stream. `write` returns false when the chunk could not be
 * written (the stream is closed or the write failed); the caller treats that as a failed
 * delivery. A chunk that was written may still wait in a buffer until the client reads it.
 * `onClose` handlers run once, when either side closes the stream.
 */
export interface StreamSink {
  write(chunk: string): boolean;
  close(): void;
  onClose(handler: () => void): void;
  readonly closed: boolean;
  /**
   * Bytes written that the client has not taken yet (a socket buffer its peer does not drain).
   * The server bounds it; a sink that cannot tell leaves it out and is not bounded.
   */
  readonly bufferedBytes?: number;
  /**
   * Ends the stream at once and discards what is still buffered: a graceful close would wait
   * behind bytes a stalled client never reads. A sink without it is closed with `close`.
   */
  abort?(): void;
  /**
   * `handler` runs each time the client has read everything that waited (bufferedBytes is 0
   * again after it was not): what a socket's 'drain' tells a Node server.
   */
  onDrain?(handler: () => void): void;
}

export interface BodyResponse {
  kind: 'body';
  status: number;
  headers: Record<string, string>;
  body: string;
}

export interface StreamResponse {
  kind: 'stream';
  status: 200;
  headers: Record<string, string>;
  /** Called once by the adapter when the stream's socket is ready to carry frames. */
  start(sink: StreamSink): void;
}

export type HttpResponse = BodyResponse | StreamResponse;

export type RequestHandler = (request: HttpRequest) => Promise<HttpResponse>;

export function jsonResponse(status: number, value: unknown, headers: Record<string, string> = {}): BodyResponse {
  return {
    kind: 'body',
    status,
    headers: { 'content-type': 'application/json; charset=utf-8', ...headers },
    body: JSON.stringify(value),
  };
}
