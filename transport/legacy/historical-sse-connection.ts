/**
 * SseConnection with the historical connection bugs switchable back in, each decided by
 * HistoricalClientPolicy: acting on callbacks of a replaced stream or an older connection id, and
 * counting as connected (or announcing `_open`) once the reconnect answered, before the flush of
 * what waited; from then until the connection drops, sends are posted around the queue.
 */
import type { ClientMessage } from '../protocol.ts';
import type { EventSourceLike } from '../client/browser-io.ts';
import { SseConnection, type SseConnectionConfig } from '../client/sse-connection.ts';
import type { HistoricalClientParts } from './historical-client-parts.ts';
import type { HistoricalClientPolicy } from './historical-client-policy.ts';

export class HistoricalSseConnection extends SseConnection {
  private sendsDirectly = false;

  constructor(
    config: SseConnectionConfig,
    private readonly policy: HistoricalClientPolicy,
    private readonly parts: HistoricalClientParts,
  ) {
    super({ ...config, parts });
  }

  protected override acceptsCallback(source: EventSourceLike, connectionId?: string): boolean {
    if (this.policy.actsOnStaleCallbacks()) return !this.disposed;
    return super.acceptsCallback(source, connectionId);
  }

  protected override route(message: ClientMessage): boolean {
    if (this.isConnected() && this.sendsDirectly) return this.parts.pendingQueue().postDirect(message);
    return super.route(message);
  }

  protected override flushQueued(): Promise<void> {
    const connectionId = this.getConnectionId();
    if (connectionId !== null) this.connectBeforeFlush(connectionId);
    return super.flushQueued();
  }

  protected override resetConnectionState(): void {
    super.resetConnectionState();
    this.sendsDirectly = false;
  }

  private connectBeforeFlush(connectionId: string): void {
    if (this.policy.connectsBeforeFlush()) {
      this.sendsDirectly = true;
      this.markConnected();
    }
    if (this.policy.opensBeforeFlush()) {
      // Set before `_open` goes out: the app posts while it hears it.
      this.sendsDirectly = true;
      this.announceOpen(connectionId);
    }
  }
}
