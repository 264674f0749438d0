/**
 * AppliedDelivery with the historical clients' cursor and ordering bugs switchable back in, each
 * decided by HistoricalClientPolicy. With none of them on it is the fixed AppliedDelivery.
 */
import type { SessionEventFrame } from '../protocol.ts';
import { AppliedDelivery, type AppliedDeliveryOptions, type SessionDelivery } from '../client/applied-delivery.ts';
import type { HistoricalClientPolicy } from './historical-client-policy.ts';

export class HistoricalAppliedDelivery extends AppliedDelivery {
  constructor(
    options: AppliedDeliveryOptions,
    private readonly policy: HistoricalClientPolicy,
  ) {
    super(options);
  }

  protected override onAlreadyApplied(state: SessionDelivery, frame: SessionEventFrame): void {
    if (this.policy.setsCursorToAnyReceivedSeq()) this.writeCursor(state, frame.seq);
    else super.onAlreadyApplied(state, frame);
  }

  protected override isNextInOrder(state: SessionDelivery, frame: SessionEventFrame): boolean {
    return this.policy.appliesWithoutGapCheck() || super.isNextInOrder(state, frame);
  }

  protected override handToApp(state: SessionDelivery, frame: SessionEventFrame): boolean {
    if (this.policy.advancesCursorOnReceipt()) this.advanceCursor(state, frame.seq);
    return super.handToApp(state, frame);
  }
}
