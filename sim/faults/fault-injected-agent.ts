/**
 * Wraps a transport Agent so that whether `interrupt()` rejects is decided by the fault injector
 * (counted, recorded, chaos phase only) instead of the agent's own random source.
 */
import { AgentInterruptError, type Agent, type QueuedPrompts } from '../../transport/index.ts';

export class FaultInjectedAgent implements Agent {
  constructor(
    private readonly inner: Agent,
    private readonly sessionId: string,
    private readonly interruptFails: (sessionId: string) => boolean,
  ) {}

  runPrompt(clientMsgId: string, prompt: string): void {
    this.inner.runPrompt(clientMsgId, prompt);
  }

  respondPermission(requestId: string, allow: boolean): boolean {
    return this.inner.respondPermission(requestId, allow);
  }

  interrupt(): Promise<void> {
    if (this.interruptFails(this.sessionId)) return Promise.reject(new AgentInterruptError(this.sessionId));
    return this.inner.interrupt();
  }

  stop(): void {
    this.inner.stop();
  }

  isBusy(): boolean {
    return this.inner.isBusy();
  }

  queuedPrompts(): QueuedPrompts {
    return this.inner.queuedPrompts();
  }

  pendingPermissionIds(): string[] {
    return this.inner.pendingPermissionIds();
  }

  dispose(): void {
    this.inner.dispose();
  }
}
