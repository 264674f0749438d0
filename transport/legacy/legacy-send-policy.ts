/**
 * What the legacy pending queue does with a message whose POST failed. Control messages are
 * reported with an `error` signal; a `permission_response` and a prompt are retried the way the
 * fixed client retries them: transient failures go back to the front of the queue after a backoff
 * with the identical body, definitive ones and a spent budget are reported. Each historical defect
 * of the legacy send path switches one of these decisions (see HistoricalClientPolicy).
 */
import type { Env } from '../env.ts';
import { hitProbe, PROBE, type ProbeName } from '../observations.ts';
import type { ClientMessage } from '../protocol.ts';
import { describeOutcome, outcomeStatus, type PostOutcome } from '../client/post-outcome.ts';
import { budgetSpent, classifyFailure, retryDelayMs, type FailureClass } from '../client/retry-policy.ts';
import type { HistoricalClientPolicy } from './historical-client-policy.ts';

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
  constructor(
    private readonly policy: HistoricalClientPolicy,
    private readonly env: Pick<Env, 'ids' | 'logger'>,
  ) {}

  kindOf(message: ClientMessage): PendingKind {
    if (message.type === 'send') return 'prompt';
    // A lost permission_response leaves the agent waiting, so it is retried like a prompt.
    if (message.type === 'permission_response' && this.policy.retriesPermission()) return 'permission';
    return 'control';
  }

  /** Decides after a failed POST; `queueFull` says whether a re-queue would exceed the cap. */
  afterFailure(entry: PendingEntry, outcome: PostOutcome, queueFull: boolean): FailureAction {
    const reason = outcome.kind === 'ok' ? 'answer without a matching receipt' : describeOutcome(outcome);
    const status = outcomeStatus(outcome);
    const report = (text: string): FailureAction =>
      status === undefined ? { kind: 'report', reason: text } : { kind: 'report', reason: text, status };
    if (entry.kind === 'control') return report(reason);
    if (entry.kind === 'prompt' && this.policy.ignoresFailedPrompt()) return { kind: 'drop' };
    const failure = this.classify(entry, outcome);
    if (failure === 'dropped') return { kind: 'drop' };
    if (failure === 'definitive') {
      this.probe(PROBE.sendDefinitiveFailure);
      return report(reason);
    }
    // The probes mark the state reached, whatever a historical defect then makes of it.
    if (budgetSpent(entry.attempts)) this.probe(PROBE.sendBudgetSpent);
    if (this.budgetSpent(entry))
      return this.onBudgetSpent(entry, report(`attempt budget spent (${entry.attempts} attempts), last: ${reason}`));
    // A re-queued entry still counts against the cap, so the queue stays bounded.
    if (queueFull) this.probe(PROBE.outboxAtCap);
    if (queueFull && !this.policy.requeueBypassesCap())
      return report(`pending queue full, not retried; last: ${reason}`);
    const wait = this.retryWait(entry, outcome);
    if (wait.until === 'backoff' && outcome.kind === 'http-error' && outcome.retryAfterMs !== undefined)
      this.probe(PROBE.retryAfterHonoured);
    return { kind: 'retry', wait, message: this.retryMessage(entry) };
  }

  private probe(name: ProbeName): void {
    hitProbe(this.env.logger, name);
  }

  /**
   * The body any retry posts: the identical one, so the server can recognise a prompt it already
   * ran; with ambiguous-ack-duplicate, the same prompt under a fresh clientMsgId.
   */
  retryMessage(entry: PendingEntry): ClientMessage {
    if (entry.message.type === 'send' && this.policy.repostsUnderFreshId()) {
      return { ...entry.message, clientMsgId: this.env.ids.next('msg') };
    }
    return entry.message;
  }

  private classify(entry: PendingEntry, outcome: PostOutcome): FailureClass | 'dropped' {
    if (outcome.kind !== 'http-error') return 'transient';
    if (entry.kind === 'prompt' && outcome.status === 429 && this.policy.treats429AsPermanent()) return 'dropped';
    if (entry.kind === 'prompt' && this.policy.retriesEveryStatus()) return 'transient';
    return classifyFailure(outcome);
  }

  /** The attempt budget bounds retries against a server that keeps failing. */
  private budgetSpent(entry: PendingEntry): boolean {
    if (entry.kind === 'prompt' && this.policy.ignoresRetryBudget()) return false;
    return budgetSpent(entry.attempts);
  }

  /** A prompt past its budget is reported, never dropped without a word. */
  private onBudgetSpent(entry: PendingEntry, report: FailureAction): FailureAction {
    if (entry.kind === 'prompt' && this.policy.dropsAfterBudgetSilently()) {
      return { kind: 'drop', warning: `prompt dropped after ${entry.attempts} attempts` };
    }
    return report;
  }

  /** A re-queued entry is retried by a timer; waiting for a welcome would strand it on a healthy stream. */
  private retryWait(entry: PendingEntry, outcome: PostOutcome): RetryWait {
    if (entry.kind === 'prompt' && this.policy.strandsRequeuedPrompt()) return { until: 'next-welcome' };
    return { until: 'backoff', delayMs: retryDelayMs(entry.attempts, outcome) };
  }
}
