/**
 * A simulated coding agent, one per session. It turns a prompt into a run of events spread over
 * time, may stop to ask for permission, and has an interrupt that can fail, like the real agent
 * SDK whose behaviour the transport must survive. All timing and chance come from the Env.
 */
import type { Env, TimerHandle } from '../env.ts';
import { OBS } from '../observations.ts';
import { intBetween, planRun, withoutTool, type PlannedAction } from './agent-plan.ts';

export interface AgentOptions {
  stepDelayMsMin: number;
  stepDelayMsMax: number;
  stepsMin: number;
  stepsMax: number;
  permissionChance: [number, number];
  interruptFailureChance: [number, number];
}

export const DEFAULT_AGENT_OPTIONS: AgentOptions = {
  stepDelayMsMin: 50,
  stepDelayMsMax: 400,
  stepsMin: 2,
  stepsMax: 6,
  permissionChance: [1, 5],
  interruptFailureChance: [1, 4],
};

/** How the agent publishes an event: the server appends it to the store and broadcasts it. */
export type AgentEmit = (type: string, payload: Record<string, unknown>) => void;

export interface Agent {
  runPrompt(clientMsgId: string, prompt: string): void;
  respondPermission(requestId: string, allow: boolean): boolean;
  interrupt(): Promise<void>;
  stop(): void;
  isBusy(): boolean;
  /** Prompts accepted by runPrompt and not started yet (the running one is not counted). */
  queuedPrompts(): QueuedPrompts;
  pendingPermissionIds(): string[];
  dispose(): void;
}

export type AgentFactory = (sessionId: string, emit: AgentEmit) => Agent;

/** How many prompts wait for an agent, and their total size in UTF-8 bytes. */
export interface QueuedPrompts {
  count: number;
  bytes: number;
}

export class AgentInterruptError extends Error {
  readonly code = 'interrupt_failed';
  constructor(readonly sessionId: string) {
    super(`agent of session ${sessionId} failed to interrupt`);
    this.name = 'AgentInterruptError';
  }
}

interface QueuedPrompt {
  clientMsgId: string;
  prompt: string;
}

interface Run {
  clientMsgId: string;
  actions: PlannedAction[];
  timer: TimerHandle | undefined;
  awaiting: { requestId: string; gatedToolId: string } | null;
}

type RunOutcome = 'completed' | 'interrupted' | 'stopped' | 'failed';

/** Keeps option values usable whatever a scenario file said: no negative delays, min <= max. */
export function normalizeAgentOptions(partial: Partial<AgentOptions> = {}): AgentOptions {
  const merged = { ...DEFAULT_AGENT_OPTIONS, ...partial };
  const whole = (value: number) => (Number.isFinite(value) ? Math.max(0, Math.floor(value)) : 0);
  const stepDelayMsMin = whole(merged.stepDelayMsMin);
  const stepsMin = whole(merged.stepsMin);
  return {
    stepDelayMsMin,
    stepDelayMsMax: Math.max(stepDelayMsMin, whole(merged.stepDelayMsMax)),
    stepsMin,
    stepsMax: Math.max(stepsMin, whole(merged.stepsMax)),
    permissionChance: [whole(merged.permissionChance[0]), whole(merged.permissionChance[1])],
    interruptFailureChance: [whole(merged.interruptFailureChance[0]), whole(merged.interruptFailureChance[1])],
  };
}

export class SimulatedAgent implements Agent {
  private readonly env: Env;
  private readonly sessionId: string;
  private readonly emit: AgentEmit;
  private readonly options: AgentOptions;
  private readonly queue: QueuedPrompt[] = [];
  private queuedBytes = 0;
  private run: Run | null = null;
  private disposed = false;

  constructor(options: { env: Env; sessionId: string; emit: AgentEmit; agentOptions?: Partial<AgentOptions> }) {
    this.env = options.env;
    this.sessionId = options.sessionId;
    this.emit = options.emit;
    this.options = normalizeAgentOptions(options.agentOptions);
  }

  runPrompt(clientMsgId: string, prompt: string): void {
    if (this.disposed) return;
    this.queue.push({ clientMsgId, prompt });
    this.queuedBytes += Buffer.byteLength(prompt);
    if (!this.run) this.startNextRun();
  }

  respondPermission(requestId: string, allow: boolean): boolean {
    const run = this.run;
    if (!run?.awaiting || run.awaiting.requestId !== requestId) return false;
    const { gatedToolId } = run.awaiting;
    run.awaiting = null;
    if (!allow) run.actions = withoutTool(run.actions, gatedToolId);
    this.continueAfter(run, this.publish('permission_response', { requestId, allow }));
    return true;
  }

  interrupt(): Promise<void> {
    const [numerator, denominator] = this.options.interruptFailureChance;
    if (this.env.random.chance(numerator, denominator)) {
      return Promise.reject(new AgentInterruptError(this.sessionId));
    }
    const run = this.run;
    if (run) {
      this.publish('interrupted', { clientMsgId: run.clientMsgId, reason: 'interrupt' });
      this.finishRun(run, 'interrupted');
    }
    return Promise.resolve();
  }

  stop(): void {
    this.queue.length = 0;
    this.queuedBytes = 0;
    const run = this.run;
    if (!run) return;
    this.publish('interrupted', { clientMsgId: run.clientMsgId, reason: 'stop' });
    this.finishRun(run, 'stopped');
  }

  isBusy(): boolean {
    return this.run !== null;
  }

  queuedPrompts(): QueuedPrompts {
    return { count: this.queue.length, bytes: this.queuedBytes };
  }

  pendingPermissionIds(): string[] {
    return this.run?.awaiting ? [this.run.awaiting.requestId] : [];
  }

  dispose(): void {
    this.disposed = true;
    this.queue.length = 0;
    this.queuedBytes = 0;
    if (this.run) this.env.timers.clearTimeout(this.run.timer);
    this.run = null;
  }

  private startNextRun(): void {
    const next = this.queue.shift();
    if (!next || this.disposed) return;
    this.queuedBytes -= Buffer.byteLength(next.prompt);
    const actions = planRun(this.env.random, this.env.ids, this.options);
    const run: Run = { clientMsgId: next.clientMsgId, actions, timer: undefined, awaiting: null };
    this.run = run;
    this.env.logger.log('info', OBS.agentRunStart, {
      sessionId: this.sessionId,
      clientMsgId: next.clientMsgId,
      prompt: next.prompt,
    });
    this.scheduleStep(run);
  }

  private scheduleStep(run: Run): void {
    const delayMs = intBetween(this.env.random, this.options.stepDelayMsMin, this.options.stepDelayMsMax);
    run.timer = this.env.timers.setTimeout(() => this.step(run), delayMs);
  }

  private step(run: Run): void {
    // A timer of a run that was already finished must not act on its successor.
    if (this.run !== run) return;
    run.timer = undefined;
    const action = run.actions.shift();
    if (!action) {
      const ok = this.publish('result', { clientMsgId: run.clientMsgId, ok: true });
      this.finishRun(run, ok ? 'completed' : 'failed');
      return;
    }
    if (action.kind === 'permission_request') {
      // Set before emitting: the answer may come back synchronously from inside emit.
      run.awaiting = { requestId: action.requestId, gatedToolId: action.gatedToolId };
      this.publish('permission_request', {
        requestId: action.requestId,
        tool: action.tool,
        clientMsgId: run.clientMsgId,
      });
      return;
    }
    this.continueAfter(run, this.publish(action.kind, this.payloadOf(run, action)));
  }

  /** Goes on with the run unless its event could not be published or emit already ended it. */
  private continueAfter(run: Run, published: boolean): void {
    if (!published) this.finishRun(run, 'failed');
    else if (this.run === run) this.scheduleStep(run);
  }

  private payloadOf(run: Run, action: Exclude<PlannedAction, { kind: 'permission_request' }>): Record<string, unknown> {
    switch (action.kind) {
      case 'assistant_delta':
        return { clientMsgId: run.clientMsgId, text: action.text };
      case 'tool_use':
        return { clientMsgId: run.clientMsgId, toolId: action.toolId, tool: action.tool };
      case 'tool_result':
        return { clientMsgId: run.clientMsgId, toolId: action.toolId };
    }
  }

  /**
   * Emits one event. A failing emit (the store refused the write) must not escape from a timer
   * callback and take the process down; it is logged and the caller abandons the run.
   */
  private publish(type: string, payload: Record<string, unknown>): boolean {
    try {
      this.emit(type, payload);
      return true;
    } catch (error) {
      const message = error instanceof Error ? error.message : String(error);
      this.env.logger.log('error', OBS.serverError, {
        where: `agent.emit.${type}`,
        message,
        sessionId: this.sessionId,
      });
      return false;
    }
  }

  /** Ends `run` if it is still the current one (emit may have re-entered and ended it). */
  private finishRun(run: Run, outcome: RunOutcome): void {
    if (this.run !== run) return;
    this.env.timers.clearTimeout(run.timer);
    this.run = null;
    this.env.logger.log('debug', 'agent.run.end', { sessionId: this.sessionId, clientMsgId: run.clientMsgId, outcome });
    this.startNextRun();
  }
}
