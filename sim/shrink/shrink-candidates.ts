/**
 * The smaller neighbours of a scenario, biggest cut first: without one fault kind, with fewer
 * clients, sessions or prompts, with shorter phases, with a rate halved. Each neighbour changes
 * one thing, so a shrink that keeps it can say what mattered. Neighbours that are not valid
 * scenarios are dropped here, so the shrinker never runs one.
 */
import type { Ratio, Scenario } from '../../scenarios/index.ts';
import { validateScenario } from '../../scenarios/index.ts';
import type { RequestFaultKind, TimedFaultKind } from '../../scenarios/index.ts';

/** Below this a timed fault barely fires in a short run; dropping the kind is the better cut. */
const MIN_HALVED_TIMED_RATE = 0.25;

export interface ShrinkCandidate {
  /** What changed, e.g. `drop fault http-503`, `clients 3 -> 1`. */
  change: string;
  scenario: Scenario;
}

function clone(s: Scenario): Scenario {
  return structuredClone(s);
}

function faultDrops(s: Scenario): ShrinkCandidate[] {
  const out: ShrinkCandidate[] = [];
  for (const kind of Object.keys(s.faults.request) as RequestFaultKind[]) {
    const next = clone(s);
    delete next.faults.request[kind];
    out.push({ change: `drop fault ${kind}`, scenario: next });
  }
  for (const kind of Object.keys(s.faults.timed) as TimedFaultKind[]) {
    const next = clone(s);
    delete next.faults.timed[kind];
    out.push({ change: `drop fault ${kind}`, scenario: next });
  }
  return out;
}

/** Counts shrink to 1 first (the biggest cut), then by one. */
function countCuts(s: Scenario): ShrinkCandidate[] {
  const out: ShrinkCandidate[] = [];
  const cut = (name: string, value: number, apply: (next: Scenario, v: number) => void) => {
    for (const smaller of [...new Set([1, Math.floor(value / 2), value - 1])].filter((v) => v >= 1 && v < value)) {
      const next = clone(s);
      apply(next, smaller);
      out.push({ change: `${name} ${value} -> ${smaller}`, scenario: next });
    }
  };
  cut('clients', s.clients, (next, v) => (next.clients = v));
  cut('sessions', s.sessions, (next, v) => (next.sessions = v));
  cut('promptsPerClient', s.workload.promptsPerClient, (next, v) => (next.workload.promptsPerClient = v));
  if (s.workload.burstPrompts !== undefined) {
    cut('burstPrompts', s.workload.burstPrompts, (next, v) => (next.workload.burstPrompts = v));
    const next = clone(s);
    delete next.workload.burstChance;
    delete next.workload.burstPrompts;
    out.push({ change: 'drop bursts', scenario: next });
  }
  cut('agent stepsMax', s.agent.stepsMax, (next, v) => {
    next.agent.stepsMax = v;
    next.agent.stepsMin = Math.min(next.agent.stepsMin, v);
  });
  return out;
}

/**
 * A heal phase shorter than recovery takes (a heartbeat, a round of retries) fails liveness by
 * itself, so shrinking it further would trade the real counterexample for a trivial one.
 */
export const MIN_SHRUNK_HEAL_MS = 75_000;

function phaseCuts(s: Scenario): ShrinkCandidate[] {
  const out: ShrinkCandidate[] = [];
  for (const phase of ['chaosMs', 'healMs'] as const) {
    const value = s.phases[phase];
    const half =
      phase === 'healMs' ? Math.max(Math.floor(value / 2), Math.min(value, MIN_SHRUNK_HEAL_MS)) : Math.floor(value / 2);
    if (half >= value) continue;
    const next = clone(s);
    next.phases[phase] = half;
    out.push({ change: `${phase} ${value} -> ${half}`, scenario: next });
  }
  return out;
}

function rateHalvings(s: Scenario): ShrinkCandidate[] {
  const out: ShrinkCandidate[] = [];
  for (const [kind, ratio] of Object.entries(s.faults.request) as [RequestFaultKind, Ratio][]) {
    if (ratio[0] < 2) continue;
    const next = clone(s);
    next.faults.request[kind] = [Math.floor(ratio[0] / 2), ratio[1]];
    out.push({
      change: `${kind} rate ${ratio[0]}/${ratio[1]} -> ${Math.floor(ratio[0] / 2)}/${ratio[1]}`,
      scenario: next,
    });
  }
  for (const [kind, perMinute] of Object.entries(s.faults.timed) as [TimedFaultKind, number][]) {
    if (perMinute / 2 < MIN_HALVED_TIMED_RATE) continue;
    const next = clone(s);
    next.faults.timed[kind] = perMinute / 2;
    out.push({ change: `${kind} rate ${perMinute}/min -> ${perMinute / 2}/min`, scenario: next });
  }
  return out;
}

function isValid(s: Scenario): boolean {
  try {
    validateScenario(s);
    return true;
  } catch {
    return false;
  }
}

export function shrinkCandidates(s: Scenario): ShrinkCandidate[] {
  return [...faultDrops(s), ...countCuts(s), ...phaseCuts(s), ...rateHalvings(s)].filter((c) => isValid(c.scenario));
}

/** A rough size for reporting progress: fault kinds on, clients, sessions, prompts and virtual time. */
export function scenarioSize(s: Scenario): number {
  const kinds = Object.keys(s.faults.request).length + Object.keys(s.faults.timed).length;
  return (
    kinds +
    s.clients +
    s.sessions +
    s.workload.promptsPerClient +
    Math.ceil((s.phases.chaosMs + s.phases.healMs) / 1000)
  );
}
