/**
 * A chat client written the way many apps start one: the browser's own `EventSource`, `fetch` and
 * `setTimeout`, a plain array of prompts typed while offline that is flushed when the stream comes
 * back, and no outbox. It speaks the bundled server's protocol (`/api/chat/events`, a `welcome`
 * frame naming the connection, `session_event` frames, POSTs under `/api/chat/` carrying the
 * `x-connection-id` header) and knows nothing of any test harness.
 *
 * Its fault model is the happy path: the network either works or the stream reconnects. The bugs
 * below are deliberate, and typical of such a client; ssesim's example suite finds them:
 * - a prompt is reported as sent as soon as it is taken; a POST that fails (network error, 5xx,
 *   429, a stale connection id) is noted in `lastError` and dropped, so the prompt is lost
 *   without the app ever hearing of it;
 * - the offline queue lives in memory only: a reload loses whatever it held;
 * - the queue is flushed with every POST in flight at once, so the server may store the prompts
 *   in another order than the user typed them;
 * - frames are applied as they come, without checking `prevSessionSeq`: a lost, repeated or
 *   reordered frame goes straight to the app, and the cursor follows the last frame even
 *   backwards;
 * - the cursor moves before the app applies the event: when the app's handler throws, the event
 *   counts as seen and is never delivered again;
 * - `events_skipped` (the server telling a far-behind client to fetch history) is ignored.
 */

/** The part of the DOM's EventSource this client uses (an app gets it from lib.dom.d.ts). */
interface BrowserEventSource {
  readonly readyState: number;
  onmessage: ((event: { data: string }) => void) | null;
  onerror: ((event: unknown) => void) | null;
  addEventListener(type: string, listener: (event: { data: string }) => void): void;
  close(): void;
}
declare const EventSource: { new (url: string): BrowserEventSource; readonly CLOSED: number };

/** What the app asks the client to send: a prompt (`send`) or a control message, posted as it is. */
export interface ChatMessage {
  type: string;
  sessionId?: string;
  prompt?: string;
}

export interface NaiveChatClientOptions {
  /** Where the chat API lives, e.g. `https://chat.example.com`. */
  baseUrl: string;
  /** A fresh client message id; `crypto.randomUUID()` in a browser. */
  newId?: () => string;
  /** The app persists cursors to resume a session after a reload. */
  onCursor?: (sessionId: string, seq: number) => void;
}

interface QueuedPrompt {
  sessionId: string;
  clientMsgId: string;
  prompt: string;
}

/** Each control message's endpoint under /api/chat/; anything else is not ours to send. */
const ENDPOINTS: Record<string, string> = {
  stop: 'stop',
  interrupt: 'interrupt',
  permission_response: 'permission',
  set_mode: 'mode',
  watch: 'watch',
  unwatch: 'unwatch',
  switch_session: 'switch',
  session_suspend: 'suspend',
  session_close: 'close',
};

const RECONNECT_DELAY_MS = 1000;

export class NaiveChatClient {
  /** The last failure, shown in the app's status bar. */
  lastError: string | null = null;
  private source: BrowserEventSource | null = null;
  private connectionId: string | null = null;
  private reconnectTimer: ReturnType<typeof setTimeout> | undefined;
  private disposed = false;
  private readonly listeners: ((message: unknown) => void)[] = [];
  private readonly queue: QueuedPrompt[] = [];
  private readonly lastSeq = new Map<string, number>();
  private readonly newId: () => string;

  constructor(private readonly options: NaiveChatClientOptions) {
    this.newId = options.newId ?? (() => crypto.randomUUID());
  }

  connect(): void {
    if (this.disposed) return;
    this.source?.close();
    const source = new EventSource(`${this.options.baseUrl}/api/chat/events`);
    this.source = source;
    source.addEventListener('welcome', (event) => this.onWelcome(JSON.parse(event.data).connectionId));
    source.onmessage = (event) => this.onFrame(JSON.parse(event.data));
    source.onerror = () => {
      // Until the next welcome, prompts wait in the queue.
      this.connectionId = null;
      // The browser retries a dropped stream by itself; only a refused one needs our help.
      if (source.readyState === EventSource.CLOSED && this.source === source) {
        clearTimeout(this.reconnectTimer);
        this.reconnectTimer = setTimeout(() => this.connect(), RECONNECT_DELAY_MS);
      }
    };
  }

  dispose(): void {
    this.disposed = true;
    clearTimeout(this.reconnectTimer);
    this.source?.close();
    this.source = null;
    this.connectionId = null;
  }

  isConnected(): boolean {
    return this.connectionId !== null;
  }

  getConnectionId(): string | null {
    return this.connectionId;
  }

  onMessage(listener: (message: unknown) => void): void {
    this.listeners.push(listener);
  }

  /** The tab is visible again: a stream the browser gave up on is opened anew. */
  checkAndReconnect(): void {
    if (this.source === null || this.source.readyState === EventSource.CLOSED) this.connect();
  }

  /** Takes a prompt (returning its id) or a control message; true means "it's on its way". */
  send(message: ChatMessage): { accepted: boolean; clientMsgId?: string } {
    if (message.type === 'send') {
      const queued = { sessionId: message.sessionId ?? '', prompt: message.prompt ?? '', clientMsgId: this.newId() };
      if (this.connectionId === null) this.queue.push(queued);
      else void this.postPrompt(queued);
      return { accepted: true, clientMsgId: queued.clientMsgId };
    }
    const endpoint = ENDPOINTS[message.type];
    if (endpoint === undefined || this.connectionId === null) return { accepted: false };
    void this.post(endpoint, message);
    return { accepted: true };
  }

  /** Follow a session from the last event this page saw of it. */
  watchSession(sessionId: string): void {
    if (!this.lastSeq.has(sessionId)) this.lastSeq.set(sessionId, 0);
    if (this.connectionId !== null)
      void this.post('watch', { type: 'watch', sessionId, lastSeq: this.lastSeq.get(sessionId) });
  }

  trackedSessions(): { sessionId: string; lastSeq: number }[] {
    return [...this.lastSeq].map(([sessionId, lastSeq]) => ({ sessionId, lastSeq }));
  }

  private onWelcome(connectionId: string): void {
    this.connectionId = connectionId;
    const sessions = this.trackedSessions();
    if (sessions.length > 0) void this.post('reconnect', { type: 'reconnect', sessions });
    // Everything typed while offline goes out now, all at once.
    for (const queued of this.queue.splice(0)) void this.postPrompt(queued);
  }

  private onFrame(frame: { type: string; sessionId?: string; seq?: number }): void {
    if (frame.type !== 'session_event' || frame.sessionId === undefined || frame.seq === undefined) return;
    this.lastSeq.set(frame.sessionId, frame.seq);
    this.options.onCursor?.(frame.sessionId, frame.seq);
    for (const listener of this.listeners) listener(frame);
  }

  private postPrompt(queued: QueuedPrompt): Promise<void> {
    return this.post('send', { type: 'send', ...queued });
  }

  /** One POST; a failure is remembered for the status bar, and that is all. */
  private async post(endpoint: string, body: unknown): Promise<void> {
    try {
      const response = await fetch(`${this.options.baseUrl}/api/chat/${endpoint}`, {
        method: 'POST',
        headers: { 'content-type': 'application/json', 'x-connection-id': this.connectionId ?? '' },
        body: JSON.stringify(body),
      });
      if (!response.ok) this.lastError = `${endpoint}: HTTP ${response.status}`;
    } catch (error) {
      this.lastError = `${endpoint}: ${String(error)}`;
    }
  }
}
