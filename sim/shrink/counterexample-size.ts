/**
 * How big a counterexample is, for people: the steps a reader has to follow are the faults that
 * fired and the actions the users took (prompts, control messages, permission answers). Simulator
 * steps count timer and network plumbing too, so they say little about how easy a run is to read.
 */
import type { RunResult } from '../index.ts';

export interface CounterexampleSize {
  faultsFired: number;
  userActions: number;
  /** faultsFired + userActions. */
  steps: number;
  /** Simulator loop steps, for comparison. */
  simSteps: number;
}

const USER_ACTION_KINDS: ReadonlySet<string> = new Set(['user.prompt', 'user.control', 'user.permission']);

export function counterexampleSize(result: Pick<RunResult, 'trace' | 'steps'>): CounterexampleSize {
  let faultsFired = 0;
  let userActions = 0;
  for (const entry of result.trace) {
    if (entry.kind.startsWith('fault.')) faultsFired += 1;
    else if (USER_ACTION_KINDS.has(entry.kind)) userActions += 1;
  }
  return { faultsFired, userActions, steps: faultsFired + userActions, simSteps: result.steps };
}
