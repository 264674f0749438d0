/**
 * The browser's end of the chat transport: one EventSource for server frames, POSTs for user
 * actions. On every welcome it reports the tracked sessions' applied cursors (`reconnect`),
 * flushes what waited, and only then counts as connected and tells the app `_open`. Session
 * events reach the app through AppliedDelivery, in order. Callbacks of a replaced EventSource
 * or of an older connection id are ignored.
 */
import type { Env, TimerHandle } from '../env.ts';
import { OBS, PROBE, hitProbe } from '../observations.ts';
import {
  EVENTS_PATH,
  RECONNECT_DELAY_MS,
  SEND_TIMEOUT_MS,
  type ClientMessage,
  type ClientSignal,
  type ReconnectMessage,
  type ServerFrame,
  type SessionEventFrame,
  type WatchMessage,
  type WelcomeFrame,
} from '../protocol.ts';
import type { AppliedDelivery } from './applied-delivery.ts';
import {
  EVENT_SOURCE_CLOSED,
  type EventSourceFactory,
  type EventSourceLike,
  type FetchLike,
  type StorageLike,
} from './browser-io.ts';
import { DEFAULT_CLIENT_PARTS, type ClientParts } from './client-parts.ts';
import { createHistoryFetcher } from './history-fetch.ts';
import { outgoingMessageProblem, type OutgoingMessage } from './outgoing-message.ts';
import { DEFAULT_STORAGE_KEY, PendingPromptStore } from './pending-prompt-store.ts';
import { cancelAll, describeOutcome, postClientMessage } from './post-outcome.ts';
import type { Outgoing } from './send-queues.ts';
import { parseServerFrame } from './server-frame.ts';

export type { OutgoingMessage } from './outgoing-message.ts';

/** Session events reach a listener only through AppliedDelivery, in order; it may throw for one (a failed apply). */
export type ConnectionListener = (message: ServerFrame | ClientSignal) => void;

export interface SseConnectionConfig {
  baseUrl: string;
  fetch: FetchLike;
  createEventSource: EventSourceFactory;
  env: Env;
  /** Where pending prompts survive a reload. */
  storage?: StorageLike;
  storageKey?: string;
  reconnectDelayMs?: number;
  /** Other implementations of the delivery or the sending side; the default parts otherwise. */
  parts?: ClientParts;
}

const CONNECTION_LOG = {
  malformedFrame: 'client.frame.malformed',
  reconnectFailed: 'client.reconnect.failed',
  listenerFailed: 'client.listener.failed',
  streamError: 'client.stream.error',
  connectionUnknown: 'client.connection.unknown',
} as const;

function validateConfig(config: SseConnectionConfig): void {
  if (typeof config.baseUrl !== 'string') throw new TypeError('SseConnection config.baseUrl must be a string');
  if (typeof config.fetch !== 'function') throw new TypeError('SseConnection config.fetch must be a function');
  if (typeof config.createEventSource !== 'function')
    throw new TypeError('SseConnection config.createEventSource must be a function');
  if (!config.env) throw new TypeError('SseConnection config.env is required');
}

export class SseConnection {
  private readonly env: Env;
  private readonly reconnectDelayMs: number;
  private readonly listeners = new Set<ConnectionListener>();
  private readonly delivery: AppliedDelivery;
  private readonly outgoing: Outgoing;
  private source: EventSourceLike | null = null;
  private connectionId: string | null = null;
  /** The id of the current stream's welcome; only a 404 for this id says the stream is unknown. */
  private streamConnectionId: string | null = null;
  /** The current connection's reconnect succeeded: queued messages may go out. */
  private flushAllowed = false;
  private connected = false;
  private openAnnounced = false;
  private reconnectTimer: TimerHandle | undefined;
  /** The cursor last announced to the server per session, on the current connection. */
  private readonly announced = new Map<string, number>();
  private readonly cancellers = new Set<() => void>();
  protected disposed = false;

  constructor(private readonly config: SseConnectionConfig) {
    validateConfig(config);
    this.env = config.env;
    const delayMs = config.reconnectDelayMs;
    this.reconnectDelayMs =
      typeof delayMs === 'number' && Number.isFinite(delayMs) && delayMs >= 0 ? delayMs : RECONNECT_DELAY_MS;
    const parts = config.parts ?? DEFAULT_CLIENT_PARTS;
    this.outgoing = parts.createOutgoing({
      env: this.env,
      fetch: config.fetch,
      baseUrl: config.baseUrl,
      store: new PendingPromptStore(config.storage, config.storageKey ?? DEFAULT_STORAGE_KEY, this.env.logger),
      emit: (signal) => this.emit(signal),
      connectionId: () => this.connectionId,
      onConnectionUnknown: (staleId) => this.onConnectionUnknown(staleId),
      canFlush: () => this.flushAllowed,
      prepare: (message) => this.prepareForPost(message),
    });
    this.delivery = parts.createDelivery({
      env: this.env,
      apply: (frame) => this.applyToApp(frame),
      fetchHistory: createHistoryFetcher(config.fetch, config.baseUrl, () => this.connectionId),
      onGap: (signal) => this.emit(signal),
      // The server only knows the cursor it was told: after a catch-up, tell it the new one.
      onCaughtUp: (sessionId) => void this.route({ type: 'watch', sessionId }),
    });
  }

  connect(): void {
    if (this.disposed || this.source) return;
    this.clearReconnectTimer();
    this.openSource();
  }

  disconnect(): void {
    this.clearReconnectTimer();
    this.closeSource('disconnect');
  }

  isConnected(): boolean {
    return this.connected;
  }

  getConnectionId(): string | null {
    return this.connectionId;
  }

  onMessage(listener: ConnectionListener): () => void {
    this.listeners.add(listener);
    return () => this.listeners.delete(listener);
  }

  /** Queues or posts a message; prompts get a clientMsgId. False when refused (bad input or a full queue). */
  send(message: OutgoingMessage): boolean {
    if (this.disposed) return false;
    const problem = outgoingMessageProblem(message);
    if (problem) {
      const messageType = typeof message?.type === 'string' ? message.type : undefined;
      this.emit({ type: 'error', message: `send refused: ${problem}`, ...(messageType ? { messageType } : {}) });
      return false;
    }
    const full: ClientMessage =
      message.type === 'send' ? { ...message, clientMsgId: this.env.ids.next('msg') } : message;
    return this.route(full);
  }

  /** Tracks the session's applied events and asks the server to stream it from there. */
  watchSession(sessionId: string): boolean {
    if (this.disposed) return false;
    if (typeof sessionId !== 'string' || sessionId === '') {
      this.emit({
        type: 'error',
        message: 'watchSession refused: sessionId must be a non-empty string',
        messageType: 'watch',
      });
      return false;
    }
    // The watch POST tells the server the cursor, so the stream, not a history fetch, catches up.
    if (!this.delivery.isTracked(sessionId)) this.delivery.track(sessionId, 0);
    const watch: WatchMessage & { lastSeq: number } = {
      type: 'watch',
      sessionId,
      lastSeq: this.delivery.getCursor(sessionId),
    };
    return this.route(watch);
  }

  /** Tab back in the foreground: a connection that is not up (or any, when forced) is replaced now. */
  checkAndReconnect(force = false): void {
    if (this.disposed || (this.connected && !force)) return;
    this.clearReconnectTimer();
    this.closeSource('reconnect');
    this.openSource();
  }

  trackSeq(sessionId: string, seq: number): void {
    if (this.disposed || typeof sessionId !== 'string' || sessionId === '') return;
    this.delivery.track(sessionId, seq);
  }

  getLastSeq(sessionId: string): number {
    return this.delivery.getCursor(sessionId);
  }

  trackedSessions(): { sessionId: string; lastSeq: number }[] {
    return this.delivery.trackedSessions();
  }

  pendingCount(): number {
    return this.outgoing.pendingCount();
  }

  inFlightCount(): number {
    return this.outgoing.inFlightCount();
  }

  /** Page unload: nothing of this page acts any more; pending prompts stay in storage. */
  dispose(): void {
    if (this.disposed) return;
    this.clearReconnectTimer();
    this.closeSource(null);
    this.disposed = true;
    cancelAll(this.cancellers);
    this.delivery.dispose();
    this.outgoing.dispose();
    this.listeners.clear();
  }

  /** Stale callbacks describe a stream or connection id that no longer exists. */
  protected acceptsCallback(source: EventSourceLike, connectionId?: string): boolean {
    if (this.disposed) return false;
    const current = source === this.source && (connectionId === undefined || connectionId === this.connectionId);
    if (!current) hitProbe(this.env.logger, PROBE.staleCallbackRefused);
    return current;
  }

  /** Every message goes through the ordered queues, also once connected, so none overtakes another. */
  protected route(message: ClientMessage): boolean {
    return this.outgoing.send(message);
  }

  /**
   * A queued watch may go out after a reconnect already announced its session, or long after it
   * was queued: it carries the cursor of that moment, so it never winds the server's cursor back,
   * and it is dropped when it would tell the server nothing newer than was already announced.
   */
  private prepareForPost(message: ClientMessage): ClientMessage | null {
    if (message.type !== 'watch') return message;
    const cursor = this.delivery.getCursor(message.sessionId);
    const announced = this.announced.get(message.sessionId);
    if (announced !== undefined && cursor <= announced) return null;
    this.announced.set(message.sessionId, cursor);
    const watch: WatchMessage & { lastSeq: number } = { ...message, lastSeq: cursor };
    return watch;
  }

  /** Waits for running history fetches, never longer than a request may take. */
  private waitForResyncs(): Promise<void> {
    return new Promise((resolve) => {
      const timer = this.env.timers.setTimeout(resolve, SEND_TIMEOUT_MS);
      void this.delivery.resyncsSettled().then(() => {
        this.env.timers.clearTimeout(timer);
        resolve();
      });
    });
  }

  private openSource(): void {
    let source: EventSourceLike;
    try {
      source = this.config.createEventSource(`${this.config.baseUrl}${EVENTS_PATH}`);
    } catch (error) {
      this.env.logger.log('warn', CONNECTION_LOG.streamError, { message: String(error) });
      this.scheduleFreshSource();
      return;
    }
    this.source = source;
    source.addEventListener('welcome', (event) => this.onFrameData(source, event.data));
    source.onmessage = (event) => this.onFrameData(source, event.data);
    source.onerror = () => this.onStreamError(source);
  }

  private onFrameData(source: EventSourceLike, data: string): void {
    if (!this.acceptsCallback(source)) return;
    const parsed = parseServerFrame(typeof data === 'string' ? data : String(data));
    if (!parsed.ok) {
      this.env.logger.log('warn', CONNECTION_LOG.malformedFrame, { problem: parsed.problem });
      this.emit({ type: 'error', message: `malformed frame: ${parsed.problem}` });
      return;
    }
    const { frame } = parsed;
    if (frame.type === 'welcome') this.onWelcome(source, frame);
    else if (frame.type === 'session_event') this.delivery.receive(frame);
    else if (frame.type === 'events_skipped') this.delivery.skipped(frame);
    else this.emit(frame);
  }

  private onWelcome(source: EventSourceLike, frame: WelcomeFrame): void {
    this.resetConnectionState();
    this.connectionId = frame.connectionId;
    this.streamConnectionId = frame.connectionId;
    this.clearReconnectTimer();
    this.outgoing.resume();
    void this.completeWelcome(source, frame.connectionId);
  }

  /** Welcome -> reconnect POST -> flush -> connected and `_open`, each step for this connection only. */
  private async completeWelcome(source: EventSourceLike, connectionId: string): Promise<void> {
    // Cursors are announced once running history fetches landed, or the server replays them again.
    if (this.delivery.resyncRunning()) {
      hitProbe(this.env.logger, PROBE.welcomeWaitedForHistory);
      await this.waitForResyncs();
      if (!this.acceptsCallback(source, connectionId)) return;
    }
    const sessions = this.delivery.trackedSessions();
    for (const { sessionId, lastSeq } of sessions) this.announced.set(sessionId, lastSeq);
    if (sessions.length > 0) {
      this.env.logger.log('info', OBS.clientControlAttempt, { messageType: 'reconnect', attempt: 1, connectionId });
      const { fetch, baseUrl } = this.config;
      const body: ReconnectMessage = { type: 'reconnect', sessions };
      const outcome = await postClientMessage({
        fetch,
        env: this.env,
        baseUrl,
        connectionId,
        body,
        cancellers: this.cancellers,
      });
      // A second welcome on the same stream came while this one's reconnect was out: it wins.
      if (source === this.source && connectionId !== this.connectionId)
        hitProbe(this.env.logger, PROBE.concurrentWelcome);
      if (!this.acceptsCallback(source, connectionId)) return;
      if (outcome.kind !== 'ok') {
        hitProbe(this.env.logger, PROBE.reconnectPostFailed);
        this.env.logger.log('warn', CONNECTION_LOG.reconnectFailed, { connectionId, reason: describeOutcome(outcome) });
        this.closeSource(null);
        this.scheduleFreshSource();
        return;
      }
    }
    this.connectionId = connectionId;
    this.flushAllowed = true;
    await this.flushQueued();
    if (!this.acceptsCallback(source, connectionId)) return;
    this.announceOpen(connectionId);
  }

  /**
   * Sends what waited for this connection. Only after it does the connection count as connected
   * and tell the app `_open`: an app that posts on `_open` would overtake the queue otherwise.
   */
  protected flushQueued(): Promise<void> {
    return this.outgoing.flushAfterWelcome();
  }

  protected markConnected(): void {
    this.connected = true;
  }

  protected announceOpen(connectionId: string): void {
    this.markConnected();
    if (this.openAnnounced) return;
    this.openAnnounced = true;
    this.emit({ type: '_open', connectionId });
  }

  /**
   * The server answered 404 for our current connection id: it lost the registration (a restart,
   * an eviction) while the stream may look alive. Retrying on that id cannot succeed, so a new
   * stream gets a new id; answers for ids already replaced are ignored.
   */
  private onConnectionUnknown(connectionId: string): void {
    if (this.disposed || connectionId !== this.streamConnectionId) return;
    hitProbe(this.env.logger, PROBE.connectionUnknown);
    this.env.logger.log('info', CONNECTION_LOG.connectionUnknown, { connectionId });
    this.checkAndReconnect(true);
  }

  private onStreamError(source: EventSourceLike): void {
    if (!this.acceptsCallback(source)) return;
    this.env.logger.log('info', CONNECTION_LOG.streamError, {
      connectionId: this.connectionId,
      readyState: source.readyState,
    });
    const wasUp = this.isUp();
    this.resetConnectionState();
    if (wasUp) this.emit({ type: '_close', reason: 'stream error' });
    // A browser EventSource reconnects by itself unless it gave up for good.
    if (source.readyState === EVENT_SOURCE_CLOSED) {
      this.source = null;
      this.scheduleFreshSource();
    }
  }

  /** Closes the EventSource; `reason` is told to the app as `_close` when the connection was up. */
  private closeSource(reason: string | null): void {
    const wasUp = this.isUp();
    this.source?.close();
    this.source = null;
    this.resetConnectionState();
    if (wasUp && reason !== null) this.emit({ type: '_close', reason });
  }

  /** Welcomed or connected: losing the stream now is a `_close` the app hears of. */
  private isUp(): boolean {
    return this.connectionId !== null || this.connected;
  }

  protected resetConnectionState(): void {
    this.announced.clear();
    this.connectionId = null;
    this.streamConnectionId = null;
    this.flushAllowed = false;
    this.connected = false;
    this.openAnnounced = false;
  }

  private scheduleFreshSource(): void {
    this.clearReconnectTimer();
    const timer = this.env.timers.setTimeout(() => {
      if (this.reconnectTimer !== timer || this.disposed) return;
      this.reconnectTimer = undefined;
      if (!this.source) this.openSource();
    }, this.reconnectDelayMs);
    this.reconnectTimer = timer;
  }

  private clearReconnectTimer(): void {
    this.env.timers.clearTimeout(this.reconnectTimer);
    this.reconnectTimer = undefined;
  }

  /** Hands a session event to every listener; the first failure is rethrown so the event counts as not applied. */
  private applyToApp(frame: SessionEventFrame): void {
    let failure: { error: unknown } | undefined;
    for (const listener of [...this.listeners]) {
      try {
        listener(frame);
      } catch (error) {
        failure ??= { error };
      }
    }
    if (failure) throw failure.error;
  }

  private emit(message: ServerFrame | ClientSignal): void {
    for (const listener of [...this.listeners]) {
      try {
        listener(message);
      } catch (error) {
        this.env.logger.log('warn', CONNECTION_LOG.listenerFailed, {
          messageType: message.type,
          message: String(error),
        });
      }
    }
  }
}
