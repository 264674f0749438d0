/**
 * Hands session events to the app in per-session order and keeps, per session, the cursor of the
 * last event the app applied (not the last one received). Early events wait in a bounded buffer;
 * a gap that stays open, an overflow, a failed apply or an `events_skipped` frame leads to a
 * resync from the history endpoint, and a range that cannot be fetched is reported as `_gap`.
 */
import type { Env, TimerHandle } from '../env.ts';
import { OBS, PROBE, hitProbe } from '../observations.ts';
import {
  APPLY_BUFFER_LIMIT,
  GAP_RESYNC_TIMEOUT_MS,
  HISTORY_PAGE_LIMIT,
  type EventsSkippedFrame,
  type HistoryResponse,
  type SessionEventFrame,
} from '../protocol.ts';
import { ApplyBuffer } from './apply-buffer.ts';
import { eventsSkippedFrameProblem, historyResponseProblem, sessionEventFrameProblem } from './validate-frame.ts';

export interface GapSignal {
  type: '_gap';
  sessionId: string;
  fromSeq: number;
  toSeq: number;
  reason: string;
}

export interface AppliedDeliveryOptions {
  env: Env;
  /**
   * Hands one event to the app; may THROW (the app failed to apply it): then the cursor does not
   * move and the event counts as not applied.
   */
  apply: (frame: SessionEventFrame) => void;
  /** Fetches events of a session after a seq (GET /api/chat/history); rejects on failure. */
  fetchHistory: (sessionId: string, afterSeq: number, limit: number, toSeq?: number) => Promise<HistoryResponse>;
  /** Tells the app about a range it will not get: emits a `_gap` signal. */
  onGap: (signal: GapSignal) => void;
  /**
   * A history fetch moved the cursor: events the client held in its buffer may now be applied
   * beyond anything the server delivered on the stream, so the connection may tell it the cursor.
   */
  onCaughtUp?: (sessionId: string, cursor: number) => void;
}

/** Log events of this component besides the OBS observations. */
export const DELIVERY_LOG = {
  malformed: 'client.delivery.malformed',
  untracked: 'client.delivery.untracked',
  duplicate: 'client.delivery.duplicate',
  applyFailed: 'client.apply.failed',
  overflow: 'client.buffer.overflow',
  resyncStart: 'client.resync.start',
  resyncFailed: 'client.resync.failed',
  resyncDone: 'client.resync.done',
  gap: 'client.gap',
  callbackFailed: 'client.delivery.callback_failed',
} as const;

/** Why a `_gap` was raised. */
export const GAP_REASON = {
  fetchFailed: 'fetch_failed',
  eventsGone: 'events_gone',
} as const;

export interface SessionDelivery {
  readonly sessionId: string;
  cursor: number;
  readonly buffer: ApplyBuffer;
  loggedBufferLength: number;
  /** Highest seq known missing beyond the buffer: a skipped range, a dropped or a failed event. */
  missingUpToSeq: number;
  /** A resync is due even with nothing buffered: catch-up, a failed apply or a failed fetch. */
  resyncOwed: boolean;
  gapTimer: TimerHandle | undefined;
  resyncRunning: boolean;
  /** A new reason to resync arrived while a fetch was out, so the page may predate it. */
  resyncRequestedAgain: boolean;
}

/** `bounded`: the page was cut at the end of a known hole, so more may follow it. */
type FetchOutcome = { ok: true; events: SessionEventFrame[]; bounded: boolean } | { ok: false; message: string };

function errorMessage(error: unknown): string {
  return error instanceof Error ? error.message : String(error);
}

export class AppliedDelivery {
  private readonly env: Env;
  private readonly sessions = new Map<string, SessionDelivery>();
  private readonly settledWaiters: (() => void)[] = [];
  /** Cursors of untracked sessions, so watching one again never re-applies what the app has. */
  private readonly retiredCursors = new Map<string, number>();
  private disposed = false;

  constructor(private readonly options: AppliedDeliveryOptions) {
    this.env = options.env;
  }

  /** Starts tracking; a session tracked without a known lastSeq catches up from the history at once. */
  track(sessionId: string, lastSeq?: number): void {
    if (this.disposed) return;
    if (typeof sessionId !== 'string' || sessionId === '') {
      this.warn(DELIVERY_LOG.malformed, { where: 'track', problem: 'sessionId must be a non-empty string' });
      return;
    }
    const knownSeq = this.validLastSeq(lastSeq);
    const existing = this.sessions.get(sessionId);
    if (existing) {
      if (knownSeq > existing.cursor) {
        this.writeCursor(existing, knownSeq);
        this.releaseBuffered(existing);
      }
      return;
    }
    const state = this.createSession(sessionId, Math.max(knownSeq, this.retiredCursors.get(sessionId) ?? 0));
    // An explicit lastSeq (0 included) means the server was told where to stream from.
    if (lastSeq === undefined) this.requestResync(state, 'catch_up');
  }

  untrack(sessionId: string): void {
    const state = this.sessions.get(sessionId);
    if (!state) return;
    this.env.timers.clearTimeout(state.gapTimer);
    state.gapTimer = undefined;
    this.retiredCursors.set(sessionId, state.cursor);
    this.sessions.delete(sessionId);
  }

  isTracked(sessionId: string): boolean {
    return this.sessions.has(sessionId);
  }

  /** Applies in prevSessionSeq order; ignores what was applied; buffers early events. Never throws. */
  receive(frame: SessionEventFrame): void {
    const problem = sessionEventFrameProblem(frame);
    if (problem) {
      this.warn(DELIVERY_LOG.malformed, { where: 'receive', problem });
      return;
    }
    const state = this.trackedSession(frame.sessionId, 'receive');
    if (!state) return;
    if (frame.seq <= state.cursor) {
      this.onAlreadyApplied(state, frame);
      return;
    }
    if (!this.isNextInOrder(state, frame)) {
      this.hold(state, frame);
      return;
    }
    if (this.handToApp(state, frame)) this.releaseBuffered(state);
  }

  /** The server skipped a range instead of replaying it: fetch it, or report it as a gap. */
  skipped(frame: EventsSkippedFrame): void {
    const problem = eventsSkippedFrameProblem(frame);
    if (problem) {
      this.warn(DELIVERY_LOG.malformed, { where: 'skipped', problem });
      return;
    }
    const state = this.trackedSession(frame.sessionId, 'skipped');
    if (!state || frame.toSeq <= state.cursor) return;
    state.missingUpToSeq = Math.max(state.missingUpToSeq, frame.toSeq);
    this.requestResync(state, 'events_skipped');
  }

  getCursor(sessionId: string): number {
    return this.sessions.get(sessionId)?.cursor ?? this.retiredCursors.get(sessionId) ?? 0;
  }

  trackedSessions(): { sessionId: string; lastSeq: number }[] {
    return [...this.sessions.values()].map((state) => ({ sessionId: state.sessionId, lastSeq: state.cursor }));
  }

  bufferedCount(sessionId: string): number {
    return this.sessions.get(sessionId)?.buffer.size ?? 0;
  }

  /** Clears every gap timer; answers of fetches still out are dropped. */
  dispose(): void {
    this.disposed = true;
    for (const resolve of this.settledWaiters.splice(0)) resolve();
    for (const state of this.sessions.values()) {
      this.env.timers.clearTimeout(state.gapTimer);
      state.gapTimer = undefined;
    }
  }

  // Ordering.

  /** A received event the app already has leaves the cursor where it is. */
  protected onAlreadyApplied(state: SessionDelivery, frame: SessionEventFrame): void {
    this.env.logger.log('debug', DELIVERY_LOG.duplicate, {
      sessionId: state.sessionId,
      seq: frame.seq,
      cursor: state.cursor,
    });
  }

  /** An event is next when it follows the cursor; after a skipped range its predecessor may lie below it. */
  protected isNextInOrder(state: SessionDelivery, frame: SessionEventFrame): boolean {
    return frame.prevSessionSeq <= state.cursor;
  }

  // Applying and buffering.

  /**
   * Returns whether the cursor now covers the event, so buffered successors may follow. The
   * cursor follows what the app applied, so a failed apply can be fetched again.
   */
  protected handToApp(state: SessionDelivery, frame: SessionEventFrame): boolean {
    try {
      this.options.apply(frame);
    } catch (error) {
      this.onApplyFailed(state, frame, error);
      return state.cursor >= frame.seq;
    }
    // Debug: one line per event is a production log's noise, and the app's own callback is the
    // record of the apply wherever one is kept.
    this.env.logger.log('debug', OBS.clientApplied, {
      sessionId: state.sessionId,
      seq: frame.seq,
      prevSessionSeq: frame.prevSessionSeq,
    });
    this.advanceCursor(state, frame.seq);
    return true;
  }

  private onApplyFailed(state: SessionDelivery, frame: SessionEventFrame, error: unknown): void {
    hitProbe(this.env.logger, PROBE.applyFailed);
    this.warn(DELIVERY_LOG.applyFailed, { sessionId: state.sessionId, seq: frame.seq, message: errorMessage(error) });
    // Once the cursor covers the event no resync can bring it back.
    if (state.cursor >= frame.seq) return;
    state.missingUpToSeq = Math.max(state.missingUpToSeq, frame.seq);
    this.oweResync(state);
  }

  private hold(state: SessionDelivery, frame: SessionEventFrame): void {
    if (state.buffer.holds(frame)) return;
    if (state.resyncRunning) state.resyncRequestedAgain = true;
    if (state.buffer.size >= APPLY_BUFFER_LIMIT) {
      hitProbe(this.env.logger, PROBE.applyBufferFull);
      // Dropped, not evicted: the resync fetches it again together with the missing range.
      this.warn(DELIVERY_LOG.overflow, { sessionId: state.sessionId, seq: frame.seq, limit: APPLY_BUFFER_LIMIT });
      state.missingUpToSeq = Math.max(state.missingUpToSeq, frame.seq);
      this.requestResync(state, 'buffer_overflow');
      return;
    }
    state.buffer.add(frame);
    this.noteBufferLength(state);
    this.armGapTimer(state);
  }

  /** Applies buffered events that now follow the cursor; false when the app failed one. */
  private releaseBuffered(state: SessionDelivery): boolean {
    let delivered = true;
    for (let next = state.buffer.takeNext(state.cursor); next; next = state.buffer.takeNext(state.cursor)) {
      if (!this.handToApp(state, next)) {
        delivered = false;
        break;
      }
    }
    this.noteBufferLength(state);
    this.settleGapTimer(state);
    return delivered;
  }

  // Resync.

  private requestResync(state: SessionDelivery, reason: string): void {
    if (this.disposed) return;
    if (state.resyncRunning) {
      state.resyncRequestedAgain = true;
      return;
    }
    void this.runResync(state, reason);
  }

  /** Fetches pages after the cursor until the gap is closed; one run per session at a time. */
  private async runResync(state: SessionDelivery, reason: string): Promise<void> {
    state.resyncRunning = true;
    const cursorBefore = state.cursor;
    this.env.logger.log('debug', DELIVERY_LOG.resyncStart, {
      sessionId: state.sessionId,
      reason,
      cursor: state.cursor,
    });
    try {
      let fetchAgain = true;
      while (fetchAgain) {
        state.resyncRequestedAgain = false;
        const outcome = await this.fetchPage(state);
        if (!this.isCurrent(state)) return;
        fetchAgain = this.handlePage(state, outcome);
      }
    } finally {
      state.resyncRunning = false;
      this.notifyIfSettled();
      if (this.isCurrent(state) && state.cursor > cursorBefore)
        this.options.onCaughtUp?.(state.sessionId, state.cursor);
    }
  }

  /**
   * Resolves once no history fetch is running. A reconnect announces each session's cursor; one
   * announced while a fetch is still bringing events would ask the server for them a second time.
   */
  resyncsSettled(): Promise<void> {
    if (!this.resyncRunning()) return Promise.resolve();
    return new Promise((resolve) => this.settledWaiters.push(resolve));
  }

  resyncRunning(): boolean {
    return [...this.sessions.values()].some((state) => state.resyncRunning);
  }

  private notifyIfSettled(): void {
    if (this.settledWaiters.length === 0 || this.resyncRunning()) return;
    for (const resolve of this.settledWaiters.splice(0)) resolve();
  }

  private async fetchPage(state: SessionDelivery): Promise<FetchOutcome> {
    try {
      // With a hole of known extent, fetch just that range, not what the buffer already holds.
      const toSeq = this.knownMissingEnd(state, 'all');
      const page: unknown = await this.options.fetchHistory(state.sessionId, state.cursor, HISTORY_PAGE_LIMIT, toSeq);
      const problem = historyResponseProblem(page, state.sessionId);
      if (problem) return { ok: false, message: problem };
      return { ok: true, events: (page as HistoryResponse).events, bounded: toSeq !== undefined };
    } catch (error) {
      return { ok: false, message: errorMessage(error) };
    }
  }

  /** Applies one page; returns whether to fetch the next one. */
  private handlePage(state: SessionDelivery, outcome: FetchOutcome): boolean {
    if (!outcome.ok) {
      this.onFetchFailed(state, outcome.message);
      return false;
    }
    hitProbe(this.env.logger, PROBE.historyPageFetched);
    const cursorBefore = state.cursor;
    if (!this.applyFetched(state, outcome.events) || !this.releaseBuffered(state)) return false;
    if (state.resyncRequestedAgain) return true;
    const advanced = state.cursor > cursorBefore;
    if (advanced && outcome.events.length >= HISTORY_PAGE_LIMIT) return true;
    // A page cut at a hole's end that made progress: the next hole (if any) gets its own fetch.
    if (advanced && outcome.bounded && this.knownMissingEnd(state, 'all') !== undefined) return true;
    // The server has nothing more: what the buffer still waits for no longer exists.
    if (this.closeKnownGaps(state, GAP_REASON.eventsGone, 'buffered')) this.finishResync(state);
    return false;
  }

  /** Applies fetched events in order; a hole in the page means the server no longer has it. */
  private applyFetched(state: SessionDelivery, events: SessionEventFrame[]): boolean {
    for (const frame of events) {
      if (frame.seq <= state.cursor) continue;
      if (!this.isNextInOrder(state, frame)) this.emitGap(state, frame.prevSessionSeq, GAP_REASON.eventsGone);
      if (!this.handToApp(state, frame)) {
        // The server has the rest of this page; the next fetch must cover it too.
        state.missingUpToSeq = Math.max(state.missingUpToSeq, events.at(-1)!.seq);
        return false;
      }
    }
    return true;
  }

  private onFetchFailed(state: SessionDelivery, message: string): void {
    hitProbe(this.env.logger, PROBE.historyFetchFailed);
    this.warn(DELIVERY_LOG.resyncFailed, { sessionId: state.sessionId, cursor: state.cursor, message });
    const knewMissing = this.knownMissingEnd(state, 'all') !== undefined;
    if (!this.closeKnownGaps(state, GAP_REASON.fetchFailed, 'all')) return;
    if (knewMissing) this.finishResync(state);
    else this.oweResync(state); // nothing known missing (a catch-up): try again later
  }

  /**
   * Reports each range known to be missing as a gap, moving the cursor past it and releasing
   * what follows. Returns false when the app failed an event on the way (a resync is owed).
   */
  private closeKnownGaps(state: SessionDelivery, reason: string, scope: 'buffered' | 'all'): boolean {
    for (let end = this.knownMissingEnd(state, scope); end !== undefined; end = this.knownMissingEnd(state, scope)) {
      this.emitGap(state, end, reason);
      if (!this.releaseBuffered(state)) return false;
    }
    return true;
  }

  private knownMissingEnd(state: SessionDelivery, scope: 'buffered' | 'all'): number | undefined {
    const candidates = [state.buffer.lowestPrevSeq() ?? 0];
    if (scope === 'all') candidates.push(state.missingUpToSeq);
    const ahead = candidates.filter((seq) => seq > state.cursor);
    return ahead.length === 0 ? undefined : Math.min(...ahead);
  }

  private emitGap(state: SessionDelivery, toSeq: number, reason: string): void {
    hitProbe(this.env.logger, PROBE.gapReported);
    const signal: GapSignal = { type: '_gap', sessionId: state.sessionId, fromSeq: state.cursor + 1, toSeq, reason };
    this.env.logger.log('info', DELIVERY_LOG.gap, {
      sessionId: signal.sessionId,
      fromSeq: signal.fromSeq,
      toSeq,
      reason,
    });
    this.advanceCursor(state, toSeq);
    try {
      this.options.onGap(signal);
    } catch (error) {
      this.warn(DELIVERY_LOG.callbackFailed, {
        where: 'onGap',
        sessionId: state.sessionId,
        message: errorMessage(error),
      });
    }
  }

  private finishResync(state: SessionDelivery): void {
    state.missingUpToSeq = 0;
    state.resyncOwed = false;
    this.settleGapTimer(state);
    this.env.logger.log('debug', DELIVERY_LOG.resyncDone, { sessionId: state.sessionId, cursor: state.cursor });
  }

  private oweResync(state: SessionDelivery): void {
    state.resyncOwed = true;
    if (state.resyncRunning) state.resyncRequestedAgain = true;
    this.armGapTimer(state);
  }

  // Timers, cursor and bookkeeping.

  private armGapTimer(state: SessionDelivery): void {
    if (this.disposed || state.gapTimer !== undefined) return;
    state.gapTimer = this.env.timers.setTimeout(() => {
      state.gapTimer = undefined;
      if (!this.isCurrent(state)) return;
      hitProbe(this.env.logger, PROBE.gapTimeoutFired);
      this.requestResync(state, 'gap_timeout');
    }, GAP_RESYNC_TIMEOUT_MS);
  }

  private settleGapTimer(state: SessionDelivery): void {
    if (state.buffer.size > 0 || state.resyncOwed || state.gapTimer === undefined) return;
    this.env.timers.clearTimeout(state.gapTimer);
    state.gapTimer = undefined;
  }

  protected advanceCursor(state: SessionDelivery, seq: number): void {
    if (seq <= state.cursor) return;
    this.writeCursor(state, seq);
    // What was owed arrived another way (a replay after reconnect): a later fetch would only repeat it.
    if (state.resyncOwed && !state.resyncRunning && state.buffer.size === 0 && state.cursor >= state.missingUpToSeq) {
      this.finishResync(state);
    }
  }

  protected writeCursor(state: SessionDelivery, cursor: number): void {
    state.cursor = cursor;
    this.env.logger.log('info', OBS.clientCursor, { sessionId: state.sessionId, cursor });
  }

  private noteBufferLength(state: SessionDelivery): void {
    const length = state.buffer.size;
    if (length === state.loggedBufferLength) return;
    state.loggedBufferLength = length;
    this.env.logger.log('info', OBS.clientBufferLength, { sessionId: state.sessionId, length });
  }

  private createSession(sessionId: string, cursor: number): SessionDelivery {
    const state: SessionDelivery = {
      sessionId,
      cursor: 0,
      buffer: new ApplyBuffer(),
      loggedBufferLength: 0,
      missingUpToSeq: 0,
      resyncOwed: false,
      gapTimer: undefined,
      resyncRunning: false,
      resyncRequestedAgain: false,
    };
    this.sessions.set(sessionId, state);
    this.retiredCursors.delete(sessionId);
    if (cursor > 0) this.writeCursor(state, cursor);
    return state;
  }

  private trackedSession(sessionId: string, where: string): SessionDelivery | undefined {
    if (this.disposed) return undefined;
    const state = this.sessions.get(sessionId);
    if (!state) this.env.logger.log('debug', DELIVERY_LOG.untracked, { where, sessionId });
    return state;
  }

  private isCurrent(state: SessionDelivery): boolean {
    return !this.disposed && this.sessions.get(state.sessionId) === state;
  }

  private validLastSeq(lastSeq: number | undefined): number {
    if (lastSeq === undefined) return 0;
    if (Number.isSafeInteger(lastSeq) && lastSeq >= 0) return lastSeq;
    this.warn(DELIVERY_LOG.malformed, {
      where: 'track',
      problem: `lastSeq must be a non-negative integer, got ${String(lastSeq)}`,
    });
    return 0;
  }

  private warn(event: string, data: Record<string, unknown>): void {
    this.env.logger.log('warn', event, data);
  }
}
