/**
 * Control messages (stop, watch, mode, permission answers, ...) that wait for a usable
 * connection. They leave in order, one at a time, by a single flush: the connection starts it
 * once its reconnect succeeded, a new message starts it while the connection is usable, and a
 * retry timer restarts it after a backoff. A failed control POST is reported to the app with an
 * `error` signal. A `permission_response` is retried like a prompt instead, because a lost one
 * leaves the agent waiting; it is reported only when refused for good or out of attempts.
 */
import type { Env, TimerHandle } from '../env.ts';
import { OBS } from '../observations.ts';
import { MAX_PENDING_SENDS, type ClientMessage, type ClientSignal } from '../protocol.ts';
import type { FetchLike } from './browser-io.ts';
import { cancelAll, describeOutcome, outcomeStatus, postClientMessage, type PostOutcome } from './post-outcome.ts';
import { budgetSpent, classifyFailure, retryDelayMs } from './retry-policy.ts';

/** Every client message but a prompt, which goes through the SendOutbox. */
export type ControlMessage = Exclude<ClientMessage, { type: 'send' }>;

export interface ControlQueueOptions {
  env: Env;
  fetch: FetchLike;
  baseUrl: string;
  connectionId: () => string | null;
  /** Whether queued messages may go out now (the current connection's reconnect succeeded). */
  canFlush: () => boolean;
  emit: (signal: ClientSignal) => void;
  /** A POST was answered 404: the server does not know `connectionId` (any more). */
  onConnectionUnknown?: (connectionId: string) => void;
  /** Last look before a message goes out: its current form, or null when it is no longer needed. */
  prepare?: (message: ClientMessage) => ClientMessage | null;
}

const CONTROL_LOG = {
  retryScheduled: 'client.pending.retry_scheduled',
} as const;

interface QueuedControl {
  readonly message: ControlMessage;
  attempts: number;
}

type FailedOutcome = Exclude<PostOutcome, { kind: 'ok' }>;

export class ControlQueue {
  private readonly env: Env;
  private readonly queue: QueuedControl[] = [];
  private readonly inFlight = new Set<QueuedControl>();
  /** The flush to join, valid while `flushing`. */
  private running: Promise<void> = Promise.resolve();
  /** Set inside the flush itself, so a flush that has decided to stop is never joined. */
  private flushing = false;
  /** Pending while a failed permission_response waits out its backoff at the head of the queue. */
  private retryTimer: TimerHandle | undefined;
  private loggedLength = { queued: -1, pending: -1 };
  private readonly cancellers = new Set<() => void>();
  private disposed = false;

  constructor(private readonly options: ControlQueueOptions) {
    this.env = options.env;
  }

  /** Queues a message and flushes when the connection is usable; false when the queue is full. */
  submit(message: ControlMessage): boolean {
    // Refusing tells the caller at once; evicting would lose a message it was told was taken.
    if (this.disposed || this.queue.length >= MAX_PENDING_SENDS) return false;
    this.queue.push({ message, attempts: 0 });
    this.noteLength();
    if (this.options.canFlush()) void this.flush();
    return true;
  }

  /** Runs the flush, or joins the one already running; resolves when it stops. */
  flush(): Promise<void> {
    if (!this.flushing) this.running = this.runFlush();
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

  /** One message at a time, so the server sees them in the user's order. */
  private async runFlush(): Promise<void> {
    this.flushing = true;
    try {
      while (!this.disposed && this.retryTimer === undefined && this.options.canFlush()) {
        const connectionId = this.options.connectionId();
        const next = this.queue[0];
        if (connectionId === null || next === undefined) return;
        this.queue.shift();
        await this.post(next, connectionId);
      }
    } finally {
      this.flushing = false;
    }
  }

  private async post(entry: QueuedControl, connectionId: string): Promise<void> {
    const body = this.options.prepare ? this.options.prepare(entry.message) : entry.message;
    if (body === null) {
      this.noteLength();
      return;
    }
    entry.attempts += 1;
    this.inFlight.add(entry);
    this.noteLength();
    const { type: messageType } = entry.message;
    this.env.logger.log('info', OBS.clientControlAttempt, { messageType, attempt: entry.attempts, connectionId });
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
    if (this.disposed) return;
    if (outcome.kind === 'ok') this.noteLength();
    else this.onFailure(entry, outcome);
  }

  private onFailure(entry: QueuedControl, outcome: FailedOutcome): void {
    const report = this.reportInsteadOfRetry(entry, outcome);
    if (report === null) {
      this.queue.unshift(entry);
      this.waitBeforeRetry(entry, retryDelayMs(entry.attempts, outcome));
    } else {
      this.options.emit(controlFailedSignal(entry.message, report, outcomeStatus(outcome), entry.attempts));
    }
    this.noteLength();
  }

  /** The reason to tell the app, or null when the message is worth another attempt. */
  private reportInsteadOfRetry(entry: QueuedControl, outcome: FailedOutcome): string | null {
    const reason = describeOutcome(outcome);
    if (entry.message.type !== 'permission_response' || classifyFailure(outcome) === 'definitive') return reason;
    // The attempt budget bounds retries against a server that keeps failing.
    if (budgetSpent(entry.attempts)) return `attempt budget spent (${entry.attempts} attempts), last: ${reason}`;
    // A re-queued entry still counts against the cap, so the queue stays bounded.
    if (this.queue.length >= MAX_PENDING_SENDS) return `pending queue full, not retried; last: ${reason}`;
    return null;
  }

  /** Retried by a timer: waiting for a welcome instead would strand the answer on a healthy stream. */
  private waitBeforeRetry(entry: QueuedControl, delayMs: number): void {
    this.stopWaiting();
    this.env.logger.log('debug', CONTROL_LOG.retryScheduled, {
      messageType: entry.message.type,
      attempt: entry.attempts,
      delayMs,
    });
    this.retryTimer = this.env.timers.setTimeout(() => {
      this.retryTimer = undefined;
      if (this.options.canFlush()) void this.flush();
    }, delayMs);
  }

  private stopWaiting(): void {
    this.env.timers.clearTimeout(this.retryTimer);
    this.retryTimer = undefined;
  }

  private noteLength(): void {
    const queued = this.queue.length;
    const pending = this.pendingCount();
    if (queued === this.loggedLength.queued && pending === this.loggedLength.pending) return;
    this.loggedLength = { queued, pending };
    this.env.logger.log('info', OBS.clientQueueLength, { length: queued, pending, queue: 'pending' });
  }
}

/** The `error` signal for a control message the server did not take; a lost permission answer names its request. */
export function controlFailedSignal(
  message: ControlMessage,
  reason: string,
  status: number | undefined,
  attempts: number,
): ClientSignal {
  const withStatus = status === undefined ? {} : { status };
  const request =
    message.type === 'permission_response' ? { sessionId: message.sessionId, requestId: message.requestId } : {};
  return {
    type: 'error',
    message: `${message.type} failed: ${reason}`,
    messageType: message.type,
    ...withStatus,
    attempts,
    ...request,
  };
}
