/**
 * How big a counterexample is, and the one order the shrinker uses to call one smaller than
 * another. The order is lexicographic over what a reader has to follow, most costly first:
 *
 *   1. faults fired: each is an event to understand and to place on the timeline;
 *   2. user actions: prompts sent (each prompt of a burst counts), control messages and
 *      permission answers, the workload a reader replays in their head;
 *   3. simulator steps: timer and network plumbing, which only break a tie, since they say
 *      little about how easy a run is to read but still measure how long its trace is;
 *   4. fault kinds the scenario switches on: a kind whose firings are all omitted, or that never
 *      fires, changes nothing a reader follows but is one more thing in the repro to read.
 *
 * A shrink keeps a candidate only when it is strictly smaller in this order, so a shrunk
 * counterexample is never larger than the run it started from.
 */
import type { RunResult } from '../index.ts';

export interface CounterexampleSize {
  faultsFired: number;
  userActions: number;
  /** faultsFired + userActions: the figure the score reports as a counterexample's steps. */
  steps: number;
  /** Simulator loop steps. */
  simSteps: number;
  /** Fault kinds the run's scenario switches on: the last key of the order. */
  faultKinds: number;
}

/** Trace kinds of user actions; `user.burst` only marks a burst whose prompts are recorded one by one. */
const USER_ACTION_KINDS: ReadonlySet<string> = new Set(['user.prompt', 'user.control', 'user.permission']);

export function counterexampleSize(result: Pick<RunResult, 'trace' | 'steps' | 'scenario'>): CounterexampleSize {
  let faultsFired = 0;
  let userActions = 0;
  for (const entry of result.trace) {
    if (entry.kind.startsWith('fault.')) faultsFired += 1;
    else if (USER_ACTION_KINDS.has(entry.kind)) userActions += 1;
  }
  const { request, timed } = result.scenario.faults;
  const faultKinds = Object.keys(request).length + Object.keys(timed).length;
  return { faultsFired, userActions, steps: faultsFired + userActions, simSteps: result.steps, faultKinds };
}

type Ordered = Pick<CounterexampleSize, 'faultsFired' | 'userActions' | 'simSteps'> & { faultKinds?: number };

/** The size order: negative when `a` is smaller than `b`, zero when they are equal in it. */
export function compareCounterexampleSize(a: Ordered, b: Ordered): number {
  const kinds = (a.faultKinds ?? 0) - (b.faultKinds ?? 0);
  return a.faultsFired - b.faultsFired || a.userActions - b.userActions || a.simSteps - b.simSteps || kinds;
}

export function isStrictlySmaller(a: Ordered, b: Ordered): boolean {
  return compareCounterexampleSize(a, b) < 0;
}

/** `3 faults, 12 user actions, 240 sim steps`: the size in the order's own terms. */
export function formatCounterexampleSize(size: Ordered): string {
  return `${size.faultsFired} faults, ${size.userActions} user actions, ${size.simSteps} sim steps`;
}
