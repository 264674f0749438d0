/**
 * What the pending queue does with a message whose POST failed. Control messages are reported
 * with an `error` signal; a `permission_response` and (on the legacy send path) a prompt are
 * retried like the SendOutbox does: transient failures go back to the front of the queue after a
 * backoff with the identical body, definitive ones and a spent budget are reported. The legacy
 * path's historical defects each switch one of these decisions.
 */
import { Defects } from '../defects.ts';
import type { IdSource } from '../env.ts';
import type { ClientMessage } from '../protocol.ts';
import { describeOutcome, outcomeStatus, type PostOutcome } from './post-outcome.ts';
import { budgetSpent, classifyFailure, retryDelayMs, type FailureClass } from './retry-policy.ts';

export type PendingKind = 'control' | 'permission' | 'prompt';

export interface PendingEntry {
  message: ClientMessage;
  readonly kind: PendingKind;
  attempts: number;
  /** The clientMsgId the app knows a prompt by (a retry may post with another one). */
  readonly appClientMsgId?: string;
}

export type RetryWait = { until: 'backoff'; delayMs: number } | { until: 'next-welcome' };

export type FailureAction =
  | { kind: 'retry'; wait: RetryWait; message: ClientMessage }
  | { kind: 'report'; reason: string; status?: number }
  | { kind: 'drop'; warning?: string };

export class LegacySendPolicy {
  private readonly defects: Defects;

  constructor(
    defects: Defects | undefined,
    private readonly ids: IdSource,
  ) {
    this.defects = defects ?? Defects.none();
  }

  kindOf(message: ClientMessage): PendingKind {
    if (message.type === 'send') return 'prompt';
    if (message.type === 'permission_response' && this.retriesPermission()) return 'permission';
    return 'control';
  }

  /** Decides after a failed POST; `queueFull` says whether a re-queue would exceed the cap. */
  afterFailure(entry: PendingEntry, outcome: PostOutcome, queueFull: boolean): FailureAction {
    const reason = outcome.kind === 'ok' ? 'answer without a matching receipt' : describeOutcome(outcome);
    const status = outcomeStatus(outcome);
    const report = (text: string): FailureAction =>
      status === undefined ? { kind: 'report', reason: text } : { kind: 'report', reason: text, status };
    if (entry.kind === 'control') return report(reason);
    if (entry.kind === 'prompt' && this.ignoresFailedPrompt()) return { kind: 'drop' };
    const failure = this.classify(entry, outcome);
    if (failure === 'dropped') return { kind: 'drop' };
    if (failure === 'definitive') return report(reason);
    if (this.budgetSpent(entry))
      return this.onBudgetSpent(entry, report(`attempt budget spent (${entry.attempts} attempts), last: ${reason}`));
    if (queueFull && this.requeueRespectsCap()) return report(`pending queue full, not retried; last: ${reason}`);
    return { kind: 'retry', wait: this.retryWait(entry, outcome), message: this.retryMessage(entry) };
  }

  private classify(entry: PendingEntry, outcome: PostOutcome): FailureClass | 'dropped' {
    if (outcome.kind !== 'http-error') return 'transient';
    if (entry.kind === 'prompt' && outcome.status === 429 && this.treats429AsPermanent()) return 'dropped';
    if (entry.kind === 'prompt' && this.retriesEveryStatus()) return 'transient';
    return classifyFailure(outcome);
  }

  // Defect decision points.

  /** A lost permission_response leaves the agent waiting, so it is retried like a prompt. */
  private retriesPermission(): boolean {
    return !this.defects.has('permission-not-retried');
  }

  /** send-silent-drop (base): the failed POST of a prompt was simply ignored. */
  private ignoresFailedPrompt(): boolean {
    return this.defects.has('send-silent-drop');
  }

  /** no-retry-429 (pr396-r1): rate limiting was taken as permanent and the prompt dropped like one. */
  private treats429AsPermanent(): boolean {
    return this.defects.has('no-retry-429');
  }

  /** retry-permanent-4xx (pr396-r1): every non-ok status was retried, also a 400 that can never pass. */
  private retriesEveryStatus(): boolean {
    return this.defects.has('retry-permanent-4xx');
  }

  /** The attempt budget bounds retries against a server that keeps failing. */
  private budgetSpent(entry: PendingEntry): boolean {
    if (entry.kind === 'prompt' && this.defects.has('no-retry-budget')) return false;
    return budgetSpent(entry.attempts);
  }

  /** A prompt past its budget is reported, never dropped without a word. */
  private onBudgetSpent(entry: PendingEntry, report: FailureAction): FailureAction {
    if (entry.kind === 'prompt' && this.defects.has('drop-after-budget-silently')) {
      return { kind: 'drop', warning: `prompt dropped after ${entry.attempts} attempts` };
    }
    return report;
  }

  /** A re-queued entry still counts against the cap, so the queue stays bounded. */
  private requeueRespectsCap(): boolean {
    return !this.defects.has('requeue-bypasses-cap');
  }

  /** A re-queued entry is retried by a timer; waiting for a welcome would strand it on a healthy stream. */
  private retryWait(entry: PendingEntry, outcome: PostOutcome): RetryWait {
    if (entry.kind === 'prompt' && this.defects.has('stranded-requeue')) return { until: 'next-welcome' };
    return { until: 'backoff', delayMs: retryDelayMs(entry.attempts, outcome) };
  }

  /**
   * The body any retry posts: the identical one, so the server can recognise a prompt it already
   * ran; with ambiguous-ack-duplicate, the same prompt under a fresh clientMsgId.
   */
  retryMessage(entry: PendingEntry): ClientMessage {
    if (entry.message.type === 'send' && this.defects.has('ambiguous-ack-duplicate')) {
      return { ...entry.message, clientMsgId: this.ids.next('msg') };
    }
    return entry.message;
  }
}
