/**
 * SendOutbox with the historical queue bugs switchable back in (parallel-flush, drop-oldest-at-cap),
 * each decided by HistoricalClientPolicy. With neither on it is the fixed SendOutbox.
 */
import { MAX_PENDING_SENDS, type SendMessage } from '../protocol.ts';
import { SendOutbox, type SendOutboxOptions } from '../client/send-outbox.ts';
import type { HistoricalClientPolicy } from './historical-client-policy.ts';

const HISTORICAL_OUTBOX_LOG = {
  evicted: 'client.send.evicted',
} as const;

export class HistoricalSendOutbox extends SendOutbox {
  constructor(
    options: SendOutboxOptions,
    private readonly policy: HistoricalClientPolicy,
  ) {
    super(options);
  }

  override enqueue(message: SendMessage): boolean {
    const full = this.entries.length >= MAX_PENDING_SENDS;
    if (!this.disposed && full && this.policy.evictsOldestAtCap()) this.evictOldest();
    return super.enqueue(message);
  }

  /** Every ready prompt goes out at once, not only the head. */
  protected override pump(): void {
    if (!this.policy.flushesInParallel()) {
      super.pump();
      return;
    }
    if (this.disposed) return;
    for (const entry of [...this.entries]) {
      if (entry.state === 'ready' && !this.start(entry)) return;
    }
  }

  /** Makes room for one more by dropping a prompt that send() already accepted. */
  private evictOldest(): void {
    const oldest = this.entries.find((entry) => entry.state !== 'in-flight') ?? this.entries[0];
    if (!oldest) return;
    this.remove(oldest);
    const { clientMsgId, sessionId } = oldest.message;
    this.env.logger.log('debug', HISTORICAL_OUTBOX_LOG.evicted, { clientMsgId, sessionId });
  }
}
