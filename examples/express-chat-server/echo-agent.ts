/**
 * The stand-in for the model: a prompt gets a short answer in a few steps, each a stored event the
 * watchers see live. Deterministic: the text follows from the prompt, the pacing from STEP_DELAYS_MS
 * on the injected timers. One run at a time per session; later prompts wait in a queue in memory.
 */
import type { ChatDeps, TimerHandle } from './chat-deps.ts';

/** Pause before each of a run's events: two deltas and the result. */
const STEP_DELAYS_MS = [40, 60, 30] as const;

export interface QueuedPrompt {
  clientMsgId: string;
  prompt: string;
}

/** Stores and broadcasts one event of a session. */
export type Publish = (sessionId: string, kind: string, body: unknown) => void;

interface SessionRun {
  queue: QueuedPrompt[];
  current: QueuedPrompt | null;
  step: number;
  timer: TimerHandle | null;
}

function stepEvent(run: QueuedPrompt, step: number): { kind: string; body: unknown } {
  if (step === 0) return { kind: 'assistant_delta', body: { text: 'Let me look at that. ' } };
  if (step === 1) return { kind: 'assistant_delta', body: { text: `You wrote: ${run.prompt}` } };
  return { kind: 'result', body: { clientMsgId: run.clientMsgId, status: 'done' } };
}

export function createEchoAgent(deps: ChatDeps, publish: Publish) {
  const sessions = new Map<string, SessionRun>();

  function sessionRun(sessionId: string): SessionRun {
    let run = sessions.get(sessionId);
    if (!run) sessions.set(sessionId, (run = { queue: [], current: null, step: 0, timer: null }));
    return run;
  }

  function startNext(sessionId: string, run: SessionRun): void {
    run.current = run.queue.shift() ?? null;
    run.step = 0;
    if (run.current === null) return;
    const { clientMsgId, prompt } = run.current;
    deps.log?.('agent.run.started', { sessionId, clientMsgId, prompt });
    schedule(sessionId, run);
  }

  function schedule(sessionId: string, run: SessionRun): void {
    run.timer = deps.setTimeout(() => {
      run.timer = null;
      const current = run.current!;
      const { kind, body } = stepEvent(current, run.step);
      publish(sessionId, kind, body);
      run.step += 1;
      if (run.step < STEP_DELAYS_MS.length) schedule(sessionId, run);
      else startNext(sessionId, run);
    }, STEP_DELAYS_MS[run.step]!);
  }

  return {
    enqueue(sessionId: string, prompt: QueuedPrompt): void {
      const run = sessionRun(sessionId);
      run.queue.push(prompt);
      if (run.current === null) startNext(sessionId, run);
    },
    /** Ends the running answer early; `dropQueued` also forgets the prompts waiting behind it. */
    interrupt(sessionId: string, dropQueued: boolean): boolean {
      const run = sessions.get(sessionId);
      if (dropQueued && run) run.queue.length = 0;
      if (!run?.current) return false;
      deps.clearTimeout(run.timer);
      run.timer = null;
      publish(sessionId, 'result', { clientMsgId: run.current.clientMsgId, status: 'interrupted' });
      startNext(sessionId, run);
      return true;
    },
    stopAll(): void {
      for (const run of sessions.values()) if (run.timer !== null) deps.clearTimeout(run.timer);
      sessions.clear();
    },
  };
}

export type EchoAgent = ReturnType<typeof createEchoAgent>;
