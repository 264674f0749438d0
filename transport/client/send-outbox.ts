/**
 * The SendOutbox of the fixed design: prompts leave the client first in, first out, one request
 * at a time, each with its clientMsgId, and each ends in exactly one signal: `_send_accepted`
 * when the server's receipt matches, `_send_failed` when the server refused it for good or the
 * attempt budget is spent. Transient failures repeat the identical body after a backoff that
 * does not depend on the stream's state. Pending prompts live in storage across reloads.
 */
import type { Env, TimerHandle } from '../env.ts';
import { OBS, PROBE, hitProbe } from '../observations.ts';
import { MAX_PENDING_SENDS, type ClientSignal, type SendMessage } from '../protocol.ts';
import type { FetchLike } from './browser-io.ts';
import type { PendingPromptStore, StoredPrompt } from './pending-prompt-store.ts';
import { cancelAll, describeOutcome, outcomeStatus, postClientMessage, type PostOutcome } from './post-outcome.ts';
import { budgetSpent, classifyFailure, isMatchingReceipt, retryDelayMs } from './retry-policy.ts';

export interface SendOutboxOptions {
  env: Env;
  fetch: FetchLike;
  baseUrl: string;
  store: PendingPromptStore;
  /** The connection id to post with now; null while there is none (the outbox then waits). */
  connectionId: () => string | null;
  emit: (signal: ClientSignal) => void;
  /** A POST was answered 404: the server does not know `connectionId` (any more). */
  onConnectionUnknown?: (connectionId: string) => void;
}

const OUTBOX_LOG = {
  retryScheduled: 'client.send.retry_scheduled',
} as const;

type EntryState = 'ready' | 'in-flight' | 'backoff';

export interface OutboxEntry {
  readonly message: SendMessage;
  attempts: number;
  state: EntryState;
  retryTimer: TimerHandle | undefined;
}

export class SendOutbox {
  protected readonly env: Env;
  protected readonly entries: OutboxEntry[];
  private readonly cancellers = new Set<() => void>();
  protected disposed = false;

  constructor(private readonly options: SendOutboxOptions) {
    this.env = options.env;
    this.entries = options.store.load().map((stored) => this.toEntry(stored));
    if (this.entries.length > 0) this.logLength();
    if (this.entries.length > 0) hitProbe(this.env.logger, PROBE.outboxReloaded);
  }

  /** Takes a prompt; false when the outbox is full (nothing already accepted is ever evicted). */
  enqueue(message: SendMessage): boolean {
    if (this.entries.length >= MAX_PENDING_SENDS) hitProbe(this.env.logger, PROBE.outboxAtCap);
    if (this.disposed || this.entries.length >= MAX_PENDING_SENDS) return false;
    this.entries.push(this.toEntry({ message, attempts: 0 }));
    this.persist();
    this.logLength();
    const { clientMsgId, sessionId, prompt } = message;
    this.env.logger.log('info', OBS.clientPromptAccepted, { clientMsgId, sessionId, prompt });
    this.pump();
    return true;
  }

  /** A connection id became available: go on with what was waiting for one. */
  resume(): void {
    this.pump();
  }

  pendingCount(): number {
    return this.entries.length;
  }

  inFlightCount(): number {
    return this.entries.filter((entry) => entry.state === 'in-flight').length;
  }

  /** Page unload: stop every timer; pending prompts stay in storage for the next page. */
  dispose(): void {
    this.disposed = true;
    for (const entry of this.entries) this.env.timers.clearTimeout(entry.retryTimer);
    cancelAll(this.cancellers);
  }

  /** One request in flight keeps the server's order equal to the user's: only the head may go out. */
  protected pump(): void {
    const head = this.entries[0];
    if (!this.disposed && head?.state === 'ready') this.start(head);
  }

  /** Sends a ready entry, or reports one a reload left without attempts; false while there is no connection id. */
  protected start(entry: OutboxEntry): boolean {
    const connectionId = this.options.connectionId();
    if (connectionId === null) return false;
    if (!this.reportIfBudgetSpent(entry)) this.startAttempt(entry, connectionId);
    return true;
  }

  /** A prompt reloaded after its last attempt gets no attempt beyond the budget. */
  private reportIfBudgetSpent(entry: OutboxEntry): boolean {
    if (!budgetSpent(entry.attempts)) return false;
    this.finish(
      entry,
      failedSignal(entry.message, `attempt budget spent (${entry.attempts} attempts) before a reload`, undefined),
    );
    return true;
  }

  private startAttempt(entry: OutboxEntry, connectionId: string): void {
    entry.attempts += 1;
    entry.state = 'in-flight';
    this.persist();
    const { clientMsgId, sessionId } = entry.message;
    this.env.logger.log('info', OBS.clientSendAttempt, {
      clientMsgId,
      sessionId,
      attempt: entry.attempts,
      connectionId,
    });
    const { fetch, baseUrl } = this.options;
    void postClientMessage({
      fetch,
      env: this.env,
      baseUrl,
      connectionId,
      body: entry.message,
      cancellers: this.cancellers,
    }).then((outcome) => {
      if (this.disposed || !this.entries.includes(entry)) return;
      if (outcome.kind === 'http-error' && outcome.status === 404) this.options.onConnectionUnknown?.(connectionId);
      this.settle(entry, outcome);
    });
  }

  private settle(entry: OutboxEntry, outcome: PostOutcome): void {
    const { clientMsgId, sessionId } = entry.message;
    if (outcome.kind === 'ok' && isMatchingReceipt(outcome.body, clientMsgId)) {
      this.finish(entry, { type: '_send_accepted', clientMsgId, sessionId, seq: outcome.body.seq });
      return;
    }
    const reason = outcome.kind === 'ok' ? 'answer without a matching receipt' : describeOutcome(outcome);
    const status = outcomeStatus(outcome);
    const failure = outcome.kind === 'ok' ? 'transient' : classifyFailure(outcome);
    if (failure === 'definitive') {
      hitProbe(this.env.logger, PROBE.sendDefinitiveFailure);
      this.finish(entry, failedSignal(entry.message, reason, status));
      return;
    }
    if (budgetSpent(entry.attempts)) {
      hitProbe(this.env.logger, PROBE.sendBudgetSpent);
      this.finish(
        entry,
        failedSignal(entry.message, `attempt budget spent (${entry.attempts} attempts), last: ${reason}`, status),
      );
      return;
    }
    if (outcome.kind === 'http-error' && outcome.retryAfterMs !== undefined)
      hitProbe(this.env.logger, PROBE.retryAfterHonoured);
    this.scheduleRetry(entry, retryDelayMs(entry.attempts, outcome), reason);
  }

  private scheduleRetry(entry: OutboxEntry, delayMs: number, reason: string): void {
    entry.state = 'backoff';
    const { clientMsgId, sessionId } = entry.message;
    this.env.logger.log('debug', OUTBOX_LOG.retryScheduled, {
      clientMsgId,
      sessionId,
      attempt: entry.attempts,
      delayMs,
      reason,
    });
    entry.retryTimer = this.env.timers.setTimeout(() => {
      entry.retryTimer = undefined;
      entry.state = 'ready';
      this.pump();
    }, delayMs);
  }

  private finish(entry: OutboxEntry, signal: ClientSignal): void {
    this.remove(entry);
    this.options.emit(signal);
    this.pump();
  }

  protected remove(entry: OutboxEntry): void {
    const index = this.entries.indexOf(entry);
    if (index < 0) return;
    this.env.timers.clearTimeout(entry.retryTimer);
    this.entries.splice(index, 1);
    this.persist();
    this.logLength();
  }

  private toEntry(stored: StoredPrompt): OutboxEntry {
    return { message: stored.message, attempts: stored.attempts, state: 'ready', retryTimer: undefined };
  }

  private persist(): void {
    this.options.store.save(this.entries.map((entry) => ({ message: entry.message, attempts: entry.attempts })));
  }

  private logLength(): void {
    this.env.logger.log('info', OBS.clientQueueLength, { length: this.entries.length, queue: 'outbox' });
  }
}

export function failedSignal(message: SendMessage, reason: string, status: number | undefined): ClientSignal {
  const { clientMsgId, sessionId } = message;
  return status === undefined
    ? { type: '_send_failed', clientMsgId, sessionId, reason }
    : { type: '_send_failed', clientMsgId, sessionId, reason, status };
}
