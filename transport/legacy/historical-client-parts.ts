/**
 * The parts of a historical client: for each part that the version's defects (or its send path)
 * touch, the historical implementation from this folder; for every other part, the fixed one.
 */
import { AppliedDelivery, type AppliedDeliveryOptions } from '../client/applied-delivery.ts';
import type { ClientParts } from '../client/client-parts.ts';
import { ControlQueue } from '../client/control-queue.ts';
import { SendOutbox } from '../client/send-outbox.ts';
import { SendQueues, type Outgoing, type OutgoingOptions } from '../client/send-queues.ts';
import { HistoricalAppliedDelivery } from './historical-applied-delivery.ts';
import type { HistoricalClientPolicy } from './historical-client-policy.ts';
import { HistoricalSendOutbox } from './historical-send-outbox.ts';
import { LegacySendQueue } from './legacy-send-queue.ts';

export class HistoricalClientParts implements ClientParts {
  private legacyQueue: LegacySendQueue | undefined;

  constructor(private readonly policy: HistoricalClientPolicy) {}

  createDelivery(options: AppliedDeliveryOptions): AppliedDelivery {
    const { policy } = this;
    return policy.replaces('delivery') ? new HistoricalAppliedDelivery(options, policy) : new AppliedDelivery(options);
  }

  createOutgoing(options: OutgoingOptions): Outgoing {
    const { policy } = this;
    if (policy.sendPath === 'legacy-queue') {
      this.legacyQueue = new LegacySendQueue({ ...options, policy });
      return this.legacyQueue;
    }
    // Without the store: prompts keep to the outbox here, and so does their storage.
    const { store, ...controlOptions } = options;
    const control = policy.replaces('pending-queue')
      ? (this.legacyQueue = new LegacySendQueue({ ...controlOptions, policy }))
      : new ControlQueue(options);
    const outbox = policy.replaces('outbox') ? new HistoricalSendOutbox(options, policy) : new SendOutbox(options);
    return new SendQueues(control, outbox);
  }

  /** The pending queue built by `createOutgoing`, for a connection that posts around it. */
  pendingQueue(): LegacySendQueue {
    if (!this.legacyQueue) throw new Error('HistoricalClientParts: no legacy pending queue was built');
    return this.legacyQueue;
  }
}
