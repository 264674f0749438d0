import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../scenarios/load-scenario.ts';
import type { Scenario } from '../../scenarios/scenario.ts';
import { MAX_TIMED_FAULT_RATE_PER_MINUTE } from '../../scenarios/scenario-limits.ts';
import { integerTiers, MIN_SHRUNK_HEAL_MS, shrinkCandidates } from './shrink-candidates.ts';

const base = resolveScenario('default');

describe('integerTiers', () => {
  it('goes to the minimum, then halves the distance to it, then steps by one', () => {
    expect(integerTiers(40, 0)).toEqual({ toMin: [0], halvings: [20, 30, 35, 38], steps: [39] });
    expect(integerTiers(8, 1)).toEqual({ toMin: [1], halvings: [5], steps: [7] });
    expect(integerTiers(2, 1)).toEqual({ toMin: [1], halvings: [], steps: [] });
    expect(integerTiers(1, 1)).toEqual({ toMin: [], halvings: [], steps: [] });
    expect(integerTiers(10_000, 0, 1000)).toEqual({ toMin: [0], halvings: [5000, 7500, 8750], steps: [9000] });
  });
});

describe('shrinkCandidates', () => {
  it('moves the chaos phase freely but never cuts the heal phase below recovery time', () => {
    const heals = (phases: { chaosMs: number; healMs: number }) =>
      shrinkCandidates({ ...base, phases })
        .map((c) => c.scenario.phases.healMs)
        .filter((ms) => ms !== phases.healMs);
    const long = heals({ chaosMs: 120_000, healMs: 200_000 });
    expect(long[0]).toBe(MIN_SHRUNK_HEAL_MS);
    expect(long).toContain(137_500);
    expect(long.at(-1)).toBe(199_000);
    expect(Math.min(...long)).toBe(MIN_SHRUNK_HEAL_MS);
    expect(Math.min(...heals({ chaosMs: 120_000, healMs: 90_000 }))).toBe(MIN_SHRUNK_HEAL_MS);
    expect(heals({ chaosMs: 120_000, healMs: 60_000 })).toEqual([]);
    const chaos = shrinkCandidates({ ...base, phases: { chaosMs: 120_000, healMs: 200_000 } }).map(
      (c) => c.scenario.phases.chaosMs,
    );
    expect(chaos).toContain(0);
    expect(chaos).toContain(60_000);
  });

  it('offers every minimum before any halving, and every halving before any step by one', () => {
    const changes = shrinkCandidates({ ...base, workload: { ...base.workload, promptsPerClient: 40 } }).map(
      (c) => c.change,
    );
    const at = (change: string) => {
      expect(changes).toContain(change);
      return changes.indexOf(change);
    };
    expect(at('promptsPerClient 40 -> 0')).toBeLessThan(at('chaosMs 120000 -> 0'));
    expect(at('chaosMs 120000 -> 0')).toBeLessThan(at('promptsPerClient 40 -> 20'));
    expect(at('promptsPerClient 40 -> 38')).toBeLessThan(at('chaosMs 120000 -> 60000'));
    expect(at('chaosMs 120000 -> 60000')).toBeLessThan(at('promptsPerClient 40 -> 39'));
  });

  it('offers to fire a kind that fired at every chance, keeping as many firings, once', () => {
    const faults: Scenario['faults'] = { request: { 'http-400': [1, 100] }, timed: { 'stream-drop': 2 } };
    const withOmission: Scenario = { ...base, faults, omit: { faults: { 'http-400': [2] } } };
    const loads = (s: Scenario, fired: Record<string, number>) =>
      shrinkCandidates(s, fired).filter((c) => c.change.startsWith('fire '));
    const [request, timed] = loads(withOmission, { 'http-400': 3, 'stream-drop': 1 });
    expect(request?.change).toBe('fire http-400 at every chance, only its first 3');
    expect(request?.scenario.faults.request['http-400']).toEqual([1, 1]);
    // The omitted ordinals named firings of the old rate: they go.
    expect(request?.scenario.omit).toEqual({ faultsAfter: { 'http-400': 3 } });
    expect(timed?.scenario.faults.timed['stream-drop']).toBe(MAX_TIMED_FAULT_RATE_PER_MINUTE);
    expect(loads(withOmission, { 'http-400': 0 })).toEqual([]);
    expect(loads(request!.scenario, { 'http-400': 3 })).toEqual([]);
  });
});

describe('omitting prompts of a burst', () => {
  it('offers no cut of single burst prompts: the burstPrompts field shrinks a burst', () => {
    const bursty: Scenario = { ...base, workload: { ...base.workload, burstChance: [1, 1], burstPrompts: 4 } };
    const burst = { kind: 'action' as const, owner: 'c1', ordinal: 1 };
    const prompts = [1, 2, 3, 4].map((ordinal) => ({ kind: 'prompt' as const, owner: 'c1', ordinal }));
    const candidates = shrinkCandidates(bursty, {}, 'fields-first', [burst, ...prompts]);
    expect(candidates.filter((c) => c.scenario.omit?.prompts !== undefined)).toEqual([]);
    expect(candidates.map((c) => c.change)).toContain('burstPrompts 4 -> 1');
  });
});
