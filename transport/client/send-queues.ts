/**
 * The sending side of a connection: where outgoing messages wait and how they leave. Prompts go
 * through the SendOutbox, which retries each on its own schedule whatever the stream does;
 * everything else waits in the ControlQueue for a connection whose reconnect succeeded.
 */
import type { ClientMessage } from '../protocol.ts';
import type { ControlMessage, ControlQueueOptions } from './control-queue.ts';
import type { SendOutbox, SendOutboxOptions } from './send-outbox.ts';

export type OutgoingOptions = ControlQueueOptions & SendOutboxOptions;

/** What the connection needs of its sending side. */
export interface Outgoing {
  /** Takes a message to send; false when it is refused (a full queue). */
  send(message: ClientMessage): boolean;
  /** A welcome brought a connection id: what waited only for an id may go out. */
  resume(): void;
  /** The connection's reconnect succeeded: flushes what waited for it; resolves when the flush stops. */
  flushAfterWelcome(): Promise<void>;
  pendingCount(): number;
  inFlightCount(): number;
  /** Page unload: stops every timer and request; pending prompts stay in storage. */
  dispose(): void;
}

/** What SendQueues needs of the queue control messages wait in. */
export interface ControlSender {
  submit(message: ControlMessage): boolean;
  flushAfterWelcome(): Promise<void>;
  pendingCount(): number;
  inFlightCount(): number;
  dispose(): void;
}

export class SendQueues implements Outgoing {
  constructor(
    private readonly control: ControlSender,
    private readonly outbox: SendOutbox,
  ) {}

  send(message: ClientMessage): boolean {
    return message.type === 'send' ? this.outbox.enqueue(message) : this.control.submit(message);
  }

  resume(): void {
    this.outbox.resume();
  }

  flushAfterWelcome(): Promise<void> {
    return this.control.flushAfterWelcome();
  }

  pendingCount(): number {
    return this.control.pendingCount() + this.outbox.pendingCount();
  }

  inFlightCount(): number {
    return this.control.inFlightCount() + this.outbox.inFlightCount();
  }

  dispose(): void {
    this.outbox.dispose();
    this.control.dispose();
  }
}
