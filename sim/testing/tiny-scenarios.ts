/**
 * Small scenarios for tests of the CLI, campaigns and shrinking: a few clients over twenty
 * virtual seconds, so a run takes tens of milliseconds. `tinyFaulty` fails on the base version
 * for the seeds tests use; `tinyCalm` has no faults, for runs expected to pass; `tinyWithFaults`
 * switches on the faults a test is about.
 */
import type { Scenario } from '../../scenarios/scenario.ts';

export const TINY_FAULTY: Scenario = {
  name: 'tiny-faulty',
  clients: 2,
  sessions: 1,
  workload: {
    promptsPerClient: 3,
    promptGapMsMin: 500,
    promptGapMsMax: 2000,
    controlChance: [0, 10],
    permissionAnswerMsMin: 100,
    permissionAnswerMsMax: 500,
  },
  agent: { stepDelayMsMin: 20, stepDelayMsMax: 100, stepsMin: 1, stepsMax: 3, permissionChance: [0, 5] },
  network: { latencyMsMin: 5, latencyMsMax: 40 },
  faults: {
    request: { 'http-503': [1, 10], 'write-failure': [1, 10] },
    timed: { 'stream-drop': 6, 'server-crash': 2 },
  },
  phases: { chaosMs: 10_000, healMs: 10_000 },
  stepLimit: 100_000,
};

export const TINY_CALM: Scenario = {
  ...TINY_FAULTY,
  name: 'tiny-calm',
  faults: { request: {}, timed: {} },
};

/** What a fault-effect test changes about TINY_CALM besides its faults. */
export interface TinyPatch {
  clients?: number;
  sessions?: number;
  workload?: Partial<Scenario['workload']>;
  network?: Partial<Scenario['network']>;
  phases?: Partial<Scenario['phases']>;
}

/**
 * TINY_CALM with the given faults switched on: the small world of a fault-effect test, where
 * one fault kind fires often enough to be seen and nothing else muddies its effect.
 */
export function tinyWithFaults(name: string, faults: Partial<Scenario['faults']>, patch: TinyPatch = {}): Scenario {
  return {
    ...TINY_CALM,
    name,
    clients: patch.clients ?? TINY_CALM.clients,
    sessions: patch.sessions ?? TINY_CALM.sessions,
    workload: { ...TINY_CALM.workload, ...patch.workload },
    network: { ...TINY_CALM.network, ...patch.network },
    faults: { request: faults.request ?? {}, timed: faults.timed ?? {} },
    phases: { ...TINY_CALM.phases, ...patch.phases },
  };
}
