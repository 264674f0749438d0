/**
 * A scenario is data: who takes part, what they do, which faults are on and for how long.
 * Files in scenarios/*.json hold one Scenario each; `loadScenarioFile` validates them (validate-scenario.ts).
 */
import type { RequestFaultKind, TimedFaultKind } from './fault-kinds.ts';

/** An integer ratio [numerator, denominator], so probabilities are exact. */
export type Ratio = [number, number];

export interface Scenario {
  name: string;
  description?: string;
  /** Number of browser clients (1..8); ids c1..cN. */
  clients: number;
  /** Number of chat sessions (1..6); ids s1..sN. Each client watches every session. */
  sessions: number;
  workload: {
    /** Prompts each client's user sends over the chaos phase, at most. */
    promptsPerClient: number;
    /** Pause between one user's prompts. */
    promptGapMsMin: number;
    promptGapMsMax: number;
    /** Chance that a user action is a control message (stop, interrupt, set_mode...) instead of a prompt. */
    controlChance: Ratio;
    /** How long the user takes to answer a permission request. */
    permissionAnswerMsMin: number;
    permissionAnswerMsMax: number;
    /**
     * Chance that a prompt action is a burst instead: `burstPrompts` prompts sent at once (a
     * pasted list, a script). A burst counts as one action toward promptsPerClient. Off when absent.
     */
    burstChance?: Ratio;
    burstPrompts?: number;
    /** Share of control messages that are interrupts; absent means an even pick among the control types. */
    interruptShare?: Ratio;
  };
  agent: {
    stepDelayMsMin: number;
    stepDelayMsMax: number;
    stepsMin: number;
    stepsMax: number;
    permissionChance: Ratio;
  };
  network: {
    latencyMsMin: number;
    latencyMsMax: number;
  };
  faults: {
    /** Per-request faults: the probability that a request (or write, apply) gets this fault. */
    request: Partial<Record<RequestFaultKind, Ratio>>;
    /** Timed faults: expected firings per virtual minute during the chaos phase. */
    timed: Partial<Record<TimedFaultKind, number>>;
  };
  phases: {
    chaosMs: number;
    healMs: number;
  };
  /** The run stops with verdict step-limit after this many simulator steps. */
  stepLimit: number;
  /** SQLite database of the server: ':memory:' (default) or a file path. */
  storePath?: string;
}
