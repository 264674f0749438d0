/**
 * The parts an SseConnection is assembled from: the delivery that hands session events to the
 * app in order, and the sending side. A connection builds these unless it is given other
 * implementations of the same parts, so each can be replaced without touching the connection.
 */
import { AppliedDelivery, type AppliedDeliveryOptions } from './applied-delivery.ts';
import { ControlQueue } from './control-queue.ts';
import { SendOutbox } from './send-outbox.ts';
import { SendQueues, type Outgoing, type OutgoingOptions } from './send-queues.ts';

export interface ClientParts {
  createDelivery(options: AppliedDeliveryOptions): AppliedDelivery;
  createOutgoing(options: OutgoingOptions): Outgoing;
}

export const DEFAULT_CLIENT_PARTS: ClientParts = {
  createDelivery: (options) => new AppliedDelivery(options),
  createOutgoing: (options) => new SendQueues(new ControlQueue(options), new SendOutbox(options)),
};
