/**
 * The pending queue of the historical clients, which sent prompts the legacy way: prompts and
 * control messages wait in one queue for a usable connection and leave in order, one at a time,
 * by a single flush; the connection starts it once its reconnect succeeded, a new message starts
 * it while the connection is usable, and a retry timer restarts it after a backoff. What a failed
 * POST leads to is decided by LegacySendPolicy; prompts are persisted like the SendOutbox's. The
 * historical flush variants, eviction at the cap and direct posting are switched by
 * HistoricalClientPolicy. It stands in for the fixed client's sending side on the legacy send
 * path, and for its ControlQueue when a version has a defect in that queue.
 */
import type { Env, TimerHandle } from '../env.ts';
import { hitProbe, OBS, PROBE } from '../observations.ts';
import {
  MAX_PENDING_SENDS,
  SEND_ATTEMPT_BUDGET,
  type ClientMessage,
  type ClientSignal,
  type SendMessage,
  type SendReceipt,
} from '../protocol.ts';
import { controlFailedSignal, type ControlQueueOptions } from '../client/control-queue.ts';
import type { PendingPromptStore } from '../client/pending-prompt-store.ts';
import { cancelAll, postClientMessage, type PostOutcome } from '../client/post-outcome.ts';
import { isMatchingReceipt } from '../client/retry-policy.ts';
import { failedSignal } from '../client/send-outbox.ts';
import type { Outgoing } from '../client/send-queues.ts';
import type { HistoricalClientPolicy } from './historical-client-policy.ts';
import { LegacySendPolicy, type FailureAction, type PendingEntry, type RetryWait } from './legacy-send-policy.ts';

export interface LegacySendQueueOptions extends ControlQueueOptions {
  policy: HistoricalClientPolicy;
  /** Where prompts of the legacy path persist; absent when prompts go through the SendOutbox. */
  store?: PendingPromptStore;
}

const PENDING_LOG = {
  retryScheduled: 'client.pending.retry_scheduled',
  evicted: 'client.pending.evicted',
  dropped: 'client.pending.dropped',
} as const;

export class LegacySendQueue implements Outgoing {
  private readonly env: Env;
  private readonly policy: HistoricalClientPolicy;
  private readonly sendPolicy: LegacySendPolicy;
  private readonly queue: PendingEntry[] = [];
  private readonly inFlight = new Set<PendingEntry>();
  /** The flush to join, valid while `activeFlushes` > 0. */
  private running: Promise<void> = Promise.resolve();
  /** Counted inside the flush itself, so a flush that has decided to stop is never joined. */
  private activeFlushes = 0;
  private waiting: RetryWait | undefined;
  private retryTimer: TimerHandle | undefined;
  private loggedLength = { queued: -1, pending: -1 };
  private readonly cancellers = new Set<() => void>();
  private disposed = false;

  constructor(private readonly options: LegacySendQueueOptions) {
    this.env = options.env;
    this.policy = options.policy;
    this.sendPolicy = new LegacySendPolicy(this.policy, this.env);
    for (const stored of options.store?.load() ?? []) {
      this.queue.push({
        message: stored.message,
        kind: 'prompt',
        attempts: stored.attempts,
        appClientMsgId: stored.message.clientMsgId,
      });
    }
    if (this.queue.length > 0) {
      hitProbe(this.env.logger, PROBE.outboxReloaded);
      this.noteLength();
    }
  }

  /** Queues a message and flushes when the connection is usable; false when the queue is full. */
  submit(message: ClientMessage): boolean {
    if (this.disposed) return false;
    if (this.queue.length >= MAX_PENDING_SENDS) {
      hitProbe(this.env.logger, PROBE.outboxAtCap);
      if (!this.policy.evictsOldestAtCap()) return false;
      this.evictOldest();
    }
    this.queue.push(this.toEntry(message));
    this.changed();
    this.noteAccepted(message);
    if (this.options.canFlush()) void this.flush();
    return true;
  }

  send(message: ClientMessage): boolean {
    return this.submit(message);
  }

  /** Prompts wait here with everything else, for the flush after the reconnect. */
  resume(): void {}

  /** Posts at once, ahead of anything queued, as a connection that counted as connected too early did. */
  postDirect(message: ClientMessage): boolean {
    const connectionId = this.options.connectionId();
    if (this.disposed || connectionId === null) return this.submit(message);
    this.noteAccepted(message);
    void this.post(this.toEntry(message), connectionId);
    return true;
  }

  /** Runs the flush, or joins the one already running; resolves when it stops. */
  flush(): Promise<void> {
    if (this.activeFlushes > 0 && !this.policy.startsConcurrentFlushes()) return this.running;
    this.running = this.policy.flushesUntilEmpty() ? this.runUntilEmpty() : this.runFlush();
    return this.running;
  }

  /** A new connection is a fresh chance: whatever waited for a retry goes out now. */
  flushAfterWelcome(): Promise<void> {
    this.stopWaiting();
    return this.flush();
  }

  pendingCount(): number {
    return this.queue.length + this.inFlight.size;
  }

  inFlightCount(): number {
    return this.inFlight.size;
  }

  dispose(): void {
    this.disposed = true;
    this.stopWaiting();
    cancelAll(this.cancellers);
  }

  private async runFlush(): Promise<void> {
    // Counted inside the loop so the count drops in the same step that decides to stop.
    this.activeFlushes += 1;
    try {
      while (!this.disposed && this.waiting === undefined && this.options.canFlush()) {
        const connectionId = this.options.connectionId();
        const batch = this.policy.flushesInParallel() ? this.queue.splice(0) : this.queue.splice(0, 1);
        if (connectionId === null || batch.length === 0) {
          this.queue.unshift(...batch);
          return;
        }
        await Promise.all(batch.map((entry) => this.post(entry, connectionId)));
      }
    } finally {
      this.activeFlushes -= 1;
    }
  }

  /**
   * flush-while-loop: a failed prompt goes straight back to the front and is posted again at
   * once on the same connection id; past its budget it is dropped with only a warning.
   */
  private async runUntilEmpty(): Promise<void> {
    const connectionId = this.options.connectionId();
    this.activeFlushes += 1;
    try {
      while (!this.disposed && connectionId !== null && this.queue.length > 0) {
        const entry = this.queue.shift()!;
        const outcome = await this.postOnce(entry, connectionId);
        if (outcome === null) continue;
        if (this.succeeded(entry, outcome)) this.onSuccess(entry, outcome);
        else if (entry.kind !== 'prompt') this.onFailure(entry, outcome);
        else if (entry.attempts < SEND_ATTEMPT_BUDGET) this.queue.unshift(this.withRetryBody(entry));
        else this.dropSpent(entry);
        this.changed();
      }
    } finally {
      this.activeFlushes -= 1;
    }
  }

  private dropSpent(entry: PendingEntry): void {
    hitProbe(this.env.logger, PROBE.sendBudgetSpent);
    this.apply(entry, { kind: 'drop', warning: `prompt dropped after ${entry.attempts} attempts` });
  }

  /** The loop's re-post goes out with the body any retry would carry (see LegacySendPolicy). */
  private withRetryBody(entry: PendingEntry): PendingEntry {
    entry.message = this.sendPolicy.retryMessage(entry);
    return entry;
  }

  private async post(entry: PendingEntry, connectionId: string): Promise<void> {
    const outcome = await this.postOnce(entry, connectionId);
    if (outcome === null || this.disposed) return;
    if (this.succeeded(entry, outcome)) this.onSuccess(entry, outcome);
    else this.onFailure(entry, outcome);
  }

  /** Posts the entry once; null when it turned out to be no longer needed. */
  private async postOnce(entry: PendingEntry, connectionId: string): Promise<PostOutcome | null> {
    const body = this.options.prepare ? this.options.prepare(entry.message) : entry.message;
    if (body === null) {
      this.changed();
      return null;
    }
    entry.attempts += 1;
    this.inFlight.add(entry);
    this.changed();
    this.logAttempt(entry, connectionId);
    const { fetch, baseUrl } = this.options;
    const outcome = await postClientMessage({
      fetch,
      env: this.env,
      baseUrl,
      connectionId,
      body,
      cancellers: this.cancellers,
    });
    this.inFlight.delete(entry);
    if (outcome.kind === 'http-error' && outcome.status === 404) this.options.onConnectionUnknown?.(connectionId);
    return outcome;
  }

  private succeeded(entry: PendingEntry, outcome: PostOutcome): boolean {
    if (outcome.kind !== 'ok') return false;
    return entry.message.type !== 'send' || isMatchingReceipt(outcome.body, entry.message.clientMsgId);
  }

  private onSuccess(entry: PendingEntry, outcome: PostOutcome): void {
    this.changed();
    if (entry.message.type !== 'send' || outcome.kind !== 'ok') return;
    const { sessionId } = entry.message;
    const receipt = outcome.body as SendReceipt;
    this.options.emit({ type: '_send_accepted', clientMsgId: entry.appClientMsgId!, sessionId, seq: receipt.seq });
  }

  private onFailure(entry: PendingEntry, outcome: PostOutcome): void {
    const queueFull = this.queue.length >= MAX_PENDING_SENDS;
    this.apply(entry, this.sendPolicy.afterFailure(entry, outcome, queueFull));
    this.changed();
  }

  private apply(entry: PendingEntry, action: FailureAction): void {
    if (action.kind === 'retry') {
      entry.message = action.message;
      this.queue.unshift(entry);
      this.waitBeforeRetry(entry, action.wait);
      return;
    }
    if (action.kind === 'drop') {
      if (action.warning)
        this.env.logger.log('warn', PENDING_LOG.dropped, { ...describeEntry(entry), warning: action.warning });
      return;
    }
    this.options.emit(failureSignal(entry, action.reason, action.status));
  }

  private waitBeforeRetry(entry: PendingEntry, wait: RetryWait): void {
    this.stopWaiting();
    this.waiting = wait;
    this.env.logger.log('debug', PENDING_LOG.retryScheduled, {
      ...describeEntry(entry),
      attempt: entry.attempts,
      ...wait,
    });
    if (wait.until !== 'backoff') return;
    this.retryTimer = this.env.timers.setTimeout(() => {
      this.retryTimer = undefined;
      this.waiting = undefined;
      if (this.options.canFlush()) void this.flush();
    }, wait.delayMs);
  }

  private stopWaiting(): void {
    this.env.timers.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
    this.waiting = undefined;
  }

  private evictOldest(): void {
    const oldest = this.queue.shift();
    if (oldest) this.env.logger.log('debug', PENDING_LOG.evicted, describeEntry(oldest));
  }

  private toEntry(message: ClientMessage): PendingEntry {
    const kind = this.sendPolicy.kindOf(message);
    return message.type === 'send'
      ? { message, kind, attempts: 0, appClientMsgId: message.clientMsgId }
      : { message, kind, attempts: 0 };
  }

  private noteAccepted(message: ClientMessage): void {
    if (message.type !== 'send') return;
    const { clientMsgId, sessionId, prompt } = message;
    this.env.logger.log('info', OBS.clientPromptAccepted, { clientMsgId, sessionId, prompt });
  }

  private logAttempt(entry: PendingEntry, connectionId: string): void {
    const { message, attempts: attempt } = entry;
    if (message.type === 'send') {
      const { clientMsgId, sessionId } = message;
      const first = entry.appClientMsgId === clientMsgId ? {} : { firstClientMsgId: entry.appClientMsgId };
      this.env.logger.log('info', OBS.clientSendAttempt, { clientMsgId, sessionId, attempt, connectionId, ...first });
    } else {
      this.env.logger.log('info', OBS.clientControlAttempt, { messageType: message.type, attempt, connectionId });
    }
  }

  /** Persists the prompts still owed and logs the queue length when it changed. */
  private changed(): void {
    this.options.store?.save(this.pendingPrompts());
    this.noteLength();
  }

  private pendingPrompts(): { message: SendMessage; attempts: number }[] {
    const prompts: { message: SendMessage; attempts: number }[] = [];
    for (const entry of [...this.inFlight, ...this.queue]) {
      if (entry.message.type === 'send') prompts.push({ message: entry.message, attempts: entry.attempts });
    }
    return prompts;
  }

  private noteLength(): void {
    const queued = this.queue.length;
    const pending = this.pendingCount();
    if (queued === this.loggedLength.queued && pending === this.loggedLength.pending) return;
    this.loggedLength = { queued, pending };
    this.env.logger.log('info', OBS.clientQueueLength, { length: queued, pending, queue: 'pending' });
  }
}

function describeEntry(entry: PendingEntry): Record<string, unknown> {
  const { message } = entry;
  return message.type === 'send'
    ? { messageType: 'send', clientMsgId: entry.appClientMsgId, sessionId: message.sessionId }
    : { messageType: message.type };
}

function failureSignal(entry: PendingEntry, reason: string, status: number | undefined): ClientSignal {
  const { message } = entry;
  // The app knows a prompt by its first clientMsgId, whatever a retry posted it under.
  if (message.type === 'send') return failedSignal({ ...message, clientMsgId: entry.appClientMsgId! }, reason, status);
  return controlFailedSignal(message, reason, status, entry.attempts);
}
