/**
 * A hand-driven Agent for server tests. Fault model: whatever the test scripts; the test emits
 * events through `emitNow`, decides whether `interrupt()` rejects, and reads what the server
 * asked of the agent from the recorded calls. No timers, no randomness.
 */
import type { Agent, AgentEmit, AgentFactory, QueuedPrompts } from '../server/agent.ts';

export class ScriptedAgent implements Agent {
  readonly prompts: { clientMsgId: string; prompt: string }[] = [];
  /** What queuedPrompts() reports; the test sets it to fill or empty the session's queue. */
  queued: QueuedPrompts = { count: 0, bytes: 0 };
  readonly permissionAnswers: { requestId: string; allow: boolean }[] = [];
  pendingPermissions: string[] = [];
  interruptCalls = 0;
  stopCalls = 0;
  disposed = false;
  busy = false;
  /** Models an agent whose run takes a while to wind down after stop(). */
  stopLeavesBusy = false;
  /** When set, the next interrupt() calls reject with it. */
  interruptError: Error | undefined;

  constructor(
    readonly sessionId: string,
    private readonly emit: AgentEmit,
  ) {}

  emitNow(type: string, payload: Record<string, unknown> = {}): void {
    this.emit(type, payload);
  }

  runPrompt(clientMsgId: string, prompt: string): void {
    this.prompts.push({ clientMsgId, prompt });
    this.busy = true;
  }

  respondPermission(requestId: string, allow: boolean): boolean {
    if (!this.pendingPermissions.includes(requestId)) return false;
    this.pendingPermissions = this.pendingPermissions.filter((id) => id !== requestId);
    this.permissionAnswers.push({ requestId, allow });
    return true;
  }

  interrupt(): Promise<void> {
    this.interruptCalls += 1;
    if (this.interruptError) return Promise.reject(this.interruptError);
    this.busy = false;
    return Promise.resolve();
  }

  stop(): void {
    this.stopCalls += 1;
    if (!this.stopLeavesBusy) this.busy = false;
  }

  isBusy(): boolean {
    return this.busy;
  }

  queuedPrompts(): QueuedPrompts {
    return { ...this.queued };
  }

  pendingPermissionIds(): string[] {
    return [...this.pendingPermissions];
  }

  dispose(): void {
    this.disposed = true;
  }
}

/** A factory that keeps every agent it made, by session, for the test to drive. */
export function scriptedAgentFactory(): { factory: AgentFactory; agents: Map<string, ScriptedAgent> } {
  const agents = new Map<string, ScriptedAgent>();
  const factory: AgentFactory = (sessionId, emit) => {
    const agent = new ScriptedAgent(sessionId, emit);
    agents.set(sessionId, agent);
    return agent;
  };
  return { factory, agents };
}
