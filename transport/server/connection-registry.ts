/**
 * Who is connected, what each connection watches, and how far each watcher has been delivered.
 * Live events go out through `broadcast`; whatever a watcher missed (a failed write, a bounded
 * reconnect replay, a backlog) is delivered in order by the periodic sync, which reads the store.
 * While a watcher has an open delivery gap its live events are held back, so it never receives a
 * session's events out of order.
 */
import { Defects } from '../defects.ts';
import type { Env, TimerHandle } from '../env.ts';
import { OBS, PROBE, hitProbe } from '../observations.ts';
import {
  SYNC_BATCH_LIMIT,
  SYNC_INTERVAL_MS,
  SYNC_SKIP_BACKLOG,
  type ServerFrame,
  type SessionEventFrame,
} from '../protocol.ts';
import type { EventStore, StoredEvent } from './event-store.ts';
import { toSessionEventFrame } from './session-event-frame.ts';
import { SyncPolicy } from './sync-policy.ts';

/** One connection's way to its client. `send` returns false when the frame was not written. */
export interface ConnectionTransport {
  send(frame: ServerFrame): boolean;
  close(): void;
  readonly closed: boolean;
  /**
   * The client is behind on reading: a burst (replay, sync) stops and leaves the rest to a later
   * tick instead of piling more onto the stream. Absent means never.
   */
  readonly congested?: boolean;
}

/** The part of the EventStore the registry reads. */
export type RegistryStore = Pick<
  EventStore,
  'getSession' | 'getHeadSeq' | 'getGlobalHeadSeq' | 'getEventsAfter' | 'countEventsAfter'
>;

export interface ConnectionRegistryOptions {
  env: Env;
  store: RegistryStore;
  defects?: Defects;
  syncIntervalMs?: number;
  syncBatchLimit?: number;
}

export type DeliveryVia = 'live' | 'sync' | 'replay';

interface Watch {
  /** Last seq delivered to this connection; undefined when never set. */
  cursor: number | undefined;
  /** A write failed or the watcher is behind: live events wait until sync has caught up. */
  gapOpen: boolean;
}

interface ConnectionEntry {
  transport: ConnectionTransport;
  watches: Map<string, Watch>;
  activeSessionId: string | undefined;
}

export class ConnectionRegistry {
  private readonly env: Env;
  private readonly store: RegistryStore;
  private readonly policy: SyncPolicy;
  private readonly syncIntervalMs: number;
  private readonly syncBatchLimit: number;
  private readonly connections = new Map<string, ConnectionEntry>();
  private readonly watchersBySession = new Map<string, Set<string>>();
  private syncTimer: TimerHandle | undefined;

  constructor(options: ConnectionRegistryOptions) {
    this.env = options.env;
    this.store = options.store;
    this.policy = new SyncPolicy(options.defects ?? Defects.none());
    this.syncIntervalMs = options.syncIntervalMs ?? SYNC_INTERVAL_MS;
    this.syncBatchLimit = options.syncBatchLimit ?? SYNC_BATCH_LIMIT;
  }

  /** One stream per connectionId: registering an id again replaces the older entry. */
  register(connectionId: string, transport: ConnectionTransport): void {
    const existing = this.connections.get(connectionId);
    if (existing) this.dropEntry(connectionId, existing);
    this.connections.set(connectionId, { transport, watches: new Map(), activeSessionId: undefined });
  }

  /** With `transport` given, removes the entry only while it still belongs to that transport. */
  remove(connectionId: string, transport?: ConnectionTransport): boolean {
    const entry = this.connections.get(connectionId);
    if (!entry || (transport !== undefined && entry.transport !== transport)) return false;
    this.dropEntry(connectionId, entry);
    return true;
  }

  has(connectionId: string): boolean {
    return this.connections.has(connectionId);
  }

  /** Registered and its transport can still carry frames. */
  isOpen(connectionId: string): boolean {
    const entry = this.connections.get(connectionId);
    return entry !== undefined && !entry.transport.closed;
  }

  connectionIds(): string[] {
    return [...this.connections.keys()];
  }

  /** Whether `connectionId` is still registered to this very transport (not forgotten, not replaced). */
  owns(connectionId: string, transport: ConnectionTransport): boolean {
    return this.connections.get(connectionId)?.transport === transport;
  }

  /** Sessions the connection watches; empty when `transport` is given and no longer owns the id. */
  watchedSessions(connectionId: string, transport?: ConnectionTransport): string[] {
    const entry = this.connections.get(connectionId);
    if (!entry || (transport !== undefined && entry.transport !== transport)) return [];
    return [...entry.watches.keys()];
  }

  /** Whether the connection is registered and watches the session: what a history read needs. */
  isWatching(connectionId: string, sessionId: string): boolean {
    return this.connections.get(connectionId)?.watches.has(sessionId) ?? false;
  }

  watcherCount(sessionId: string): number {
    return this.watchersBySession.get(sessionId)?.size ?? 0;
  }

  activeSession(connectionId: string): string | undefined {
    return this.connections.get(connectionId)?.activeSessionId;
  }

  /**
   * Without lastSeq a new watch starts at the session head. An existing watch only moves forward:
   * what this connection was already sent arrives in order on its stream, so a lower lastSeq
   * (captured before those frames landed) must not make the server send them again.
   */
  watch(connectionId: string, sessionId: string, lastSeq?: number): void {
    const entry = this.connections.get(connectionId);
    if (!entry) return;
    const existing = entry.watches.get(sessionId);
    if (existing) {
      const ahead = lastSeq !== undefined && (existing.cursor === undefined || lastSeq > existing.cursor);
      if (ahead) this.resetCursor(connectionId, sessionId, lastSeq);
      return;
    }
    const watch: Watch = { cursor: undefined, gapOpen: false };
    this.adoptClientCursor(watch, lastSeq, this.store.getHeadSeq(sessionId));
    entry.watches.set(sessionId, watch);
    let watchers = this.watchersBySession.get(sessionId);
    if (!watchers) this.watchersBySession.set(sessionId, (watchers = new Set()));
    watchers.add(connectionId);
  }

  unwatch(connectionId: string, sessionId: string): void {
    const entry = this.connections.get(connectionId);
    if (!entry || !entry.watches.delete(sessionId)) return;
    if (entry.activeSessionId === sessionId) entry.activeSessionId = undefined;
    this.forgetWatcher(connectionId, sessionId);
  }

  setActive(connectionId: string, sessionId: string, lastSeq?: number): void {
    const entry = this.connections.get(connectionId);
    if (!entry) return;
    this.watch(connectionId, sessionId, lastSeq);
    entry.activeSessionId = sessionId;
  }

  getCursor(connectionId: string, sessionId: string): number | undefined {
    return this.connections.get(connectionId)?.watches.get(sessionId)?.cursor;
  }

  /** Whether live events of the session are held back for this watcher until sync catches up. */
  hasGap(connectionId: string, sessionId: string): boolean {
    return this.connections.get(connectionId)?.watches.get(sessionId)?.gapOpen ?? false;
  }

  /** Sets the cursor to what the client says it has; a cursor behind the head opens a gap. */
  resetCursor(connectionId: string, sessionId: string, seq: number): void {
    const watch = this.connections.get(connectionId)?.watches.get(sessionId);
    if (watch) this.adoptClientCursor(watch, seq, this.store.getHeadSeq(sessionId));
  }

  /**
   * The connection fetched the events (afterSeq, throughSeq] itself (history). When that page
   * continues from the cursor it counts as delivered, so sync does not send the same events again.
   */
  markFetched(connectionId: string, sessionId: string, afterSeq: number, throughSeq: number): void {
    const watch = this.connections.get(connectionId)?.watches.get(sessionId);
    if (!watch || watch.cursor === undefined) return;
    if (afterSeq > watch.cursor || throughSeq <= watch.cursor) return;
    watch.cursor = throughSeq;
    if (watch.gapOpen && throughSeq >= this.store.getHeadSeq(sessionId)) watch.gapOpen = false;
  }

  broadcast(sessionId: string, frame: SessionEventFrame): void {
    const watchers = this.watchersBySession.get(sessionId);
    if (!watchers) return;
    for (const connectionId of [...watchers]) {
      const entry = this.connections.get(connectionId);
      const watch = entry?.watches.get(sessionId);
      if (entry && watch) this.deliverLive(connectionId, entry, watch, frame);
    }
  }

  /** Frames that belong to no session (announcements); failed writes need no repair. */
  broadcastAll(frame: ServerFrame): void {
    for (const entry of this.connections.values()) {
      if (!entry.transport.closed) entry.transport.send(frame);
    }
  }

  /** A frame for one connection only, e.g. `reconnected`. */
  sendTo(connectionId: string, frame: ServerFrame): boolean {
    const entry = this.connections.get(connectionId);
    if (!entry || entry.transport.closed) return false;
    return entry.transport.send(frame);
  }

  /**
   * Reconnect replay: the first events after lastSeq, at most the replay limit; the cursor stays
   * at the last one written and periodic sync delivers the rest. Returns the frames written.
   */
  replay(connectionId: string, sessionId: string, lastSeq: number): number {
    const entry = this.connections.get(connectionId);
    const watch = entry?.watches.get(sessionId);
    if (!entry || !watch) return 0;
    this.adoptClientCursor(watch, lastSeq, this.store.getHeadSeq(sessionId));
    const events = this.store.getEventsAfter(sessionId, lastSeq, this.policy.reconnectReplayLimit());
    const sent = this.sendInOrder(connectionId, entry, watch, events, 'replay');
    watch.gapOpen = (watch.cursor ?? 0) < this.store.getHeadSeq(sessionId);
    if (watch.gapOpen && sent === this.policy.reconnectReplayLimit()) hitProbe(this.env.logger, PROBE.replayCapped);
    return sent;
  }

  /** One periodic sync pass over every (connection, watched session). */
  tickSync(): void {
    let globalHeadSeq: number | undefined;
    const globalHead = () => (globalHeadSeq ??= this.store.getGlobalHeadSeq());
    for (const [connectionId, entry] of [...this.connections]) {
      if (entry.transport.closed) continue;
      for (const [sessionId, watch] of [...entry.watches]) {
        try {
          this.tickSyncSession(connectionId, entry, sessionId, watch, globalHead);
        } catch (error) {
          this.logError('registry.tickSync', error);
        }
      }
    }
  }

  start(): void {
    if (this.syncTimer !== undefined) return;
    this.syncTimer = this.env.timers.setInterval(() => this.tickSync(), this.syncIntervalMs);
  }

  stop(): void {
    this.env.timers.clearInterval(this.syncTimer);
    this.syncTimer = undefined;
  }

  /** Closes every transport; their owners' close handlers remove the entries. */
  closeAll(): void {
    for (const entry of [...this.connections.values()]) entry.transport.close();
  }

  private tickSyncSession(
    connectionId: string,
    entry: ConnectionEntry,
    sessionId: string,
    watch: Watch,
    globalHeadSeq: () => number,
  ): void {
    const session = this.store.getSession(sessionId);
    if (!session) return;
    const headSeq = this.store.getHeadSeq(sessionId);
    const candidate = { state: session.state, isActive: session.isActive, cursor: watch.cursor, headSeq };
    if (!this.policy.shouldSync(candidate)) return;
    if (this.policy.skipsBacklogSilently(globalHeadSeq(), watch.cursor)) {
      watch.cursor = headSeq;
      watch.gapOpen = false;
      return;
    }
    // Most ticks find the watcher caught up: no query then.
    if ((watch.cursor ?? 0) >= headSeq) {
      watch.gapOpen = false;
      return;
    }
    // Seqs are global, so a seq distance within the limit cannot hide a longer backlog: count
    // the session's events only when it might be one.
    const cursor = watch.cursor ?? 0;
    if (headSeq - cursor > SYNC_SKIP_BACKLOG && this.store.countEventsAfter(sessionId, cursor) > SYNC_SKIP_BACKLOG) {
      this.announceSkip(connectionId, entry, sessionId, watch, headSeq);
      return;
    }
    const events = this.store.getEventsAfter(sessionId, watch.cursor ?? 0, this.syncBatchLimit);
    this.sendInOrder(connectionId, entry, watch, events, 'sync');
    if (!watch.gapOpen || (watch.cursor ?? 0) < headSeq) return;
    hitProbe(this.env.logger, PROBE.syncRepairedGap);
    watch.gapOpen = false;
  }

  /**
   * Hands a long backlog to the client: `events_skipped` names the range, the client fetches it
   * from the history, and live delivery resumes from the head. Never silent: if the frame cannot
   * be written, nothing moves and the next tick tries again.
   */
  private announceSkip(
    connectionId: string,
    entry: ConnectionEntry,
    sessionId: string,
    watch: Watch,
    headSeq: number,
  ): void {
    const fromSeq = (watch.cursor ?? 0) + 1;
    if (entry.transport.closed || !entry.transport.send({ type: 'events_skipped', sessionId, fromSeq, toSeq: headSeq }))
      return;
    this.env.logger.log('info', OBS.serverEventsSkipped, { connectionId, sessionId, fromSeq, toSeq: headSeq });
    hitProbe(this.env.logger, PROBE.skipAnnounced);
    watch.cursor = headSeq;
    watch.gapOpen = false;
  }

  /** The one place a cursor is taken from the client (or, for a plain watch, from the head). */
  private adoptClientCursor(watch: Watch, requestedSeq: number | undefined, headSeq: number): void {
    watch.cursor = this.policy.cursorForClient(requestedSeq, headSeq);
    watch.gapOpen = watch.cursor !== undefined && watch.cursor < headSeq;
  }

  private deliverLive(connectionId: string, entry: ConnectionEntry, watch: Watch, frame: SessionEventFrame): void {
    if (entry.transport.closed) return;
    if (watch.cursor !== undefined) {
      if (frame.seq <= watch.cursor) return; // already delivered by replay or sync
      if (frame.prevSessionSeq > watch.cursor) watch.gapOpen = true; // the watcher is behind
    }
    if (watch.gapOpen && !this.policy.sendsLiveThroughGap()) {
      hitProbe(this.env.logger, PROBE.liveHeldForGap);
      return; // sync repairs in order
    }
    const written = this.write(connectionId, entry, frame, 'live');
    if (!written) {
      watch.gapOpen = true;
      return;
    }
    // Past an open gap the cursor must stay put, or sync would never send the missing events.
    if (!watch.gapOpen) watch.cursor = frame.seq;
  }

  /**
   * Writes events in order, advancing the cursor after each write; stops at the first failure,
   * and before a write when the client is behind on reading (the open gap brings the rest later).
   */
  private sendInOrder(
    connectionId: string,
    entry: ConnectionEntry,
    watch: Watch,
    events: StoredEvent[],
    via: DeliveryVia,
  ): number {
    let sent = 0;
    for (const event of events) {
      if (entry.transport.congested === true || !this.write(connectionId, entry, toSessionEventFrame(event), via)) {
        watch.gapOpen = true;
        break;
      }
      watch.cursor = event.seq;
      sent += 1;
    }
    return sent;
  }

  private write(connectionId: string, entry: ConnectionEntry, frame: SessionEventFrame, via: DeliveryVia): boolean {
    const written = !entry.transport.closed && entry.transport.send(frame);
    const data = { connectionId, sessionId: frame.sessionId, seq: frame.seq, via };
    this.env.logger.log('info', written ? OBS.serverFrameSent : OBS.serverFrameFailed, data);
    return written;
  }

  private dropEntry(connectionId: string, entry: ConnectionEntry): void {
    for (const sessionId of entry.watches.keys()) this.forgetWatcher(connectionId, sessionId);
    this.connections.delete(connectionId);
  }

  private forgetWatcher(connectionId: string, sessionId: string): void {
    const watchers = this.watchersBySession.get(sessionId);
    if (!watchers) return;
    watchers.delete(connectionId);
    if (watchers.size === 0) this.watchersBySession.delete(sessionId);
  }

  private logError(where: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.env.logger.log('error', OBS.serverError, { where, message });
  }
}
