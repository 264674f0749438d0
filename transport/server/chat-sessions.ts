/**
 * The server's session logic behind the HTTP routes: the lifecycle a prompt drives a session
 * through, one agent per session, and the rule that every stored event is also broadcast. Every
 * event goes to the store first and to watchers second, so what a client sees is always durable.
 */
import type { Env, TimerHandle } from '../env.ts';
import { OBS } from '../observations.ts';
import { MAX_QUEUED_PROMPT_BYTES_PER_SESSION, MAX_QUEUED_PROMPTS_PER_SESSION, type SessionState } from '../protocol.ts';
import type { Agent, AgentFactory } from './agent.ts';
import type { ConnectionRegistry } from './connection-registry.ts';
import type { EventStore, RecordSendResult } from './event-store.ts';
import { toSessionEventFrame } from './session-event-frame.ts';

/** The state changes a prompt makes, from each state, to reach ACTIVE. */
const ACTIVATION_STEPS: Readonly<Record<SessionState, readonly SessionState[]>> = {
  CREATED: ['STARTING', 'ACTIVE'],
  STARTING: ['ACTIVE'],
  ACTIVE: [],
  DETACHED: ['ACTIVE'],
  SUSPENDED: ['ACTIVE'],
  // A prompt during a close finishes the close first, then revives the session.
  CLOSING: ['ENDED', 'CREATED', 'STARTING', 'ACTIVE'],
  ENDED: ['CREATED', 'STARTING', 'ACTIVE'],
};

/** How often a close re-checks an agent that did not go idle at once when it was stopped. */
export const CLOSE_POLL_INTERVAL_MS = 100;

export type LifecycleOutcome = { kind: 'ok'; state: SessionState } | { kind: 'unknown_session' };

/** The session's queue cannot take the prompt: what it holds, what the prompt adds, and the bound. */
export interface QueueFull {
  kind: 'queue_full';
  message: string;
  queuedPrompts: number;
  queuedBytes: number;
  promptBytes: number;
  limitPrompts: number;
  limitBytes: number;
}

/** A send is recorded (new, duplicate), refused as a conflict, or refused because the queue is full. */
export type SendOutcome = RecordSendResult | QueueFull;

export interface ChatSessionsOptions {
  env: Env;
  store: EventStore;
  registry: ConnectionRegistry;
  agentFactory: AgentFactory;
}

export class ChatSessions {
  private readonly env: Env;
  private readonly store: EventStore;
  private readonly registry: ConnectionRegistry;
  private readonly agentFactory: AgentFactory;
  private readonly agents = new Map<string, Agent>();
  private readonly closePolls = new Map<string, TimerHandle>();
  private disposed = false;

  constructor(options: ChatSessionsOptions) {
    this.env = options.env;
    this.store = options.store;
    this.registry = options.registry;
    this.agentFactory = options.agentFactory;
  }

  agentFor(sessionId: string): Agent | undefined {
    return this.agents.get(sessionId);
  }

  /**
   * The agent of a session the store knows, created on demand: a session outlives the process
   * that ran its agent, and a control message must still reach one. Unknown sessions get none.
   */
  agentOfKnownSession(sessionId: string): Agent | undefined {
    if (this.agents.has(sessionId)) return this.agents.get(sessionId);
    return this.store.getSession(sessionId) ? this.agentOrCreate(sessionId) : undefined;
  }

  /** Appends an event and broadcasts it to the session's watchers; returns its seq. */
  publish(sessionId: string, type: string, payload: unknown): number {
    const seq = this.store.append(sessionId, type, payload);
    this.broadcastStored(sessionId, seq);
    return seq;
  }

  /** Moves the session to `to`; the state event is broadcast like any other. Throws InvalidTransitionError. */
  changeState(sessionId: string, to: SessionState, reason?: string): void {
    const seq = this.store.setSessionState(sessionId, to, reason === undefined ? {} : { reason });
    this.broadcastStored(sessionId, seq);
  }

  /**
   * Brings the session to ACTIVE, records the prompt idempotently and runs it when it is new. A
   * new prompt for a session whose queue is full changes nothing, so a later retry is a fresh
   * attempt; a known one still gets its receipt, since it asks for nothing to be queued.
   */
  send(sessionId: string, clientMsgId: string, prompt: string): SendOutcome {
    const full = this.queueFull(sessionId, prompt);
    if (full && !this.store.hasSend(clientMsgId)) return full;
    this.activate(sessionId);
    const result = this.store.recordSend(clientMsgId, sessionId, { prompt });
    if (result.kind === 'new') {
      this.broadcastStored(sessionId, result.receipt.seq);
      this.agentOrCreate(sessionId).runPrompt(clientMsgId, prompt);
    }
    return result;
  }

  stop(sessionId: string): void {
    this.agents.get(sessionId)?.stop();
  }

  respondPermission(sessionId: string, requestId: string, allow: boolean): boolean {
    return this.agents.get(sessionId)?.respondPermission(requestId, allow) ?? false;
  }

  /** Stores the mode and announces a change with a `mode_changed` event; returns the mode. */
  setMode(sessionId: string, mode: string): string {
    const previous = this.store.getSession(sessionId)?.mode;
    this.store.upsertSession(sessionId, { mode });
    if (previous !== mode) this.publish(sessionId, 'mode_changed', { mode, previous: previous ?? null });
    return mode;
  }

  suspend(sessionId: string): LifecycleOutcome {
    const state = this.store.getSessionState(sessionId);
    if (state === null) return { kind: 'unknown_session' };
    if (state !== 'SUSPENDED') this.changeState(sessionId, 'SUSPENDED', 'client_suspend');
    return { kind: 'ok', state: 'SUSPENDED' };
  }

  /**
   * A running session goes CLOSING at once and ENDED as soon as its stopped agent is idle; one
   * that never got going, or is suspended, has no CLOSING step and ends directly.
   */
  close(sessionId: string): LifecycleOutcome {
    const state = this.store.getSessionState(sessionId);
    if (state === null) return { kind: 'unknown_session' };
    if (state === 'ENDED' || state === 'CLOSING') return { kind: 'ok', state };
    if (state === 'ACTIVE' || state === 'DETACHED') {
      this.changeState(sessionId, 'CLOSING', 'client_close');
      this.agents.get(sessionId)?.stop();
      this.finishClose(sessionId);
    } else {
      this.agents.get(sessionId)?.stop();
      this.changeState(sessionId, 'ENDED', 'client_close');
    }
    return { kind: 'ok', state: this.store.getSessionState(sessionId) ?? 'CLOSING' };
  }

  /** A stream closed: sessions nobody watches any more are detached; their agents keep running. */
  detachUnwatched(sessionIds: string[]): void {
    if (this.disposed) return;
    for (const sessionId of sessionIds) {
      try {
        if (this.registry.watcherCount(sessionId) > 0) continue;
        if (this.store.getSessionState(sessionId) === 'ACTIVE') this.changeState(sessionId, 'DETACHED', 'no_watchers');
      } catch (error) {
        this.logError('sessions.detach', error);
      }
    }
  }

  /** Server shutdown or crash: no agent or timer of this server may run afterwards. */
  dispose(): void {
    this.disposed = true;
    for (const handle of this.closePolls.values()) this.env.timers.clearInterval(handle);
    this.closePolls.clear();
    for (const agent of this.agents.values()) agent.dispose();
    this.agents.clear();
  }

  /** Null while the session's queue can take `prompt`; an empty queue always can. */
  private queueFull(sessionId: string, prompt: string): QueueFull | null {
    const queued = this.agents.get(sessionId)?.queuedPrompts();
    if (!queued || queued.count === 0) return null;
    const promptBytes = Buffer.byteLength(prompt);
    const limits = { limitPrompts: MAX_QUEUED_PROMPTS_PER_SESSION, limitBytes: MAX_QUEUED_PROMPT_BYTES_PER_SESSION };
    const figures = { queuedPrompts: queued.count, queuedBytes: queued.bytes, promptBytes, ...limits };
    if (queued.count >= limits.limitPrompts) {
      const message = `session ${sessionId} has ${queued.count} prompts queued, the limit is ${limits.limitPrompts}`;
      return { kind: 'queue_full', message, ...figures };
    }
    if (queued.bytes + promptBytes > limits.limitBytes) {
      const message =
        `session ${sessionId} has ${queued.bytes} bytes of prompts queued and this one adds ${promptBytes}, ` +
        `the limit is ${limits.limitBytes}`;
      return { kind: 'queue_full', message, ...figures };
    }
    return null;
  }

  private activate(sessionId: string): void {
    const state = this.store.getSessionState(sessionId);
    if (state === null) this.store.upsertSession(sessionId);
    for (const step of ACTIVATION_STEPS[state ?? 'CREATED']) {
      this.changeState(sessionId, step, step === 'ENDED' ? 'revived' : undefined);
    }
  }

  private finishClose(sessionId: string): void {
    if (this.tryEndClosing(sessionId) || this.closePolls.has(sessionId)) return;
    const handle = this.env.timers.setInterval(() => {
      try {
        if (!this.tryEndClosing(sessionId)) return;
      } catch (error) {
        this.logError('sessions.close', error);
      }
      this.env.timers.clearInterval(handle);
      this.closePolls.delete(sessionId);
    }, CLOSE_POLL_INTERVAL_MS);
    this.closePolls.set(sessionId, handle);
  }

  /** True when nothing is left to wait for: ended now, or no longer closing at all. */
  private tryEndClosing(sessionId: string): boolean {
    if (this.store.getSessionState(sessionId) !== 'CLOSING') return true;
    if (this.agents.get(sessionId)?.isBusy()) return false;
    this.changeState(sessionId, 'ENDED', 'client_close');
    return true;
  }

  private agentOrCreate(sessionId: string): Agent {
    let agent = this.agents.get(sessionId);
    if (!agent) {
      agent = this.agentFactory(sessionId, (type, payload) => {
        this.publish(sessionId, type, payload);
      });
      this.agents.set(sessionId, agent);
    }
    return agent;
  }

  private broadcastStored(sessionId: string, seq: number): void {
    const event = this.store.getEvent(seq) ?? undefined;
    if (event?.seq === seq) this.registry.broadcast(sessionId, toSessionEventFrame(event));
  }

  private logError(where: string, error: unknown): void {
    const message = error instanceof Error ? error.message : String(error);
    this.env.logger.log('error', OBS.serverError, { where, message });
  }
}
