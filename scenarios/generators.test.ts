import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { FAULT_KINDS } from './fault-kinds.ts';
import type { Scenario } from './scenario.ts';
import { runArb, scenarioArb, seedArb } from './generators.ts';
import { validateScenario } from './validate-scenario.ts';

/** Fixed seeds: a generator test must not pass or fail depending on the day it runs. */
const SEED = 20_240_601;
const SAMPLES = 400;

function enabledKinds(s: Scenario): string[] {
  return [...Object.keys(s.faults.request), ...Object.keys(s.faults.timed)];
}

describe('scenarioArb', () => {
  it('generates only scenarios that pass validateScenario unchanged', () => {
    fc.assert(
      fc.property(scenarioArb(), (s) => {
        expect(validateScenario(s)).toEqual(s);
      }),
      { numRuns: 300, seed: SEED },
    );
  });

  it('stays within the small default sizes', () => {
    for (const s of fc.sample(scenarioArb(), { numRuns: SAMPLES, seed: SEED })) {
      expect(s.clients).toBeLessThanOrEqual(4);
      expect(s.sessions).toBeLessThanOrEqual(3);
      expect(s.workload.promptsPerClient).toBeGreaterThanOrEqual(1);
      expect(s.workload.promptsPerClient).toBeLessThanOrEqual(12);
      expect(s.phases.chaosMs).toBeGreaterThanOrEqual(5_000);
      expect(s.phases.chaosMs).toBeLessThanOrEqual(120_000);
      expect(s.phases.healMs).toBeGreaterThanOrEqual(75_000);
      // A burst run heals for at least 180 s, so a reloaded page can fetch its whole history.
      expect(s.phases.healMs).toBeLessThanOrEqual(s.workload.burstPrompts === undefined ? 120_000 : 180_000);
    }
  });

  it('switches every fault kind wholly off in some runs and on in others (swarm)', () => {
    const samples = fc.sample(scenarioArb(), { numRuns: SAMPLES, seed: SEED });
    for (const kind of FAULT_KINDS) {
      const on = samples.filter((s) => enabledKinds(s).includes(kind)).length;
      // About half: a coin per kind per run.
      expect(on, kind).toBeGreaterThan(SAMPLES * 0.3);
      expect(on, kind).toBeLessThan(SAMPLES * 0.7);
    }
    const counts = new Set(samples.map((s) => enabledKinds(s).length));
    expect(Math.min(...counts)).toBeLessThanOrEqual(FAULT_KINDS.length / 4);
    expect(Math.max(...counts)).toBeGreaterThanOrEqual((FAULT_KINDS.length * 3) / 4);
  });

  it('sometimes bursts many prompts at once, with few clients and short answers', () => {
    const samples = fc.sample(scenarioArb(), { numRuns: SAMPLES, seed: SEED });
    const bursts = samples.filter((s) => s.workload.burstPrompts !== undefined);
    expect(bursts.length).toBeGreaterThan(SAMPLES * 0.2);
    expect(bursts.length).toBeLessThan(SAMPLES * 0.5);
    expect(bursts.some((s) => s.workload.burstPrompts! > 100)).toBe(true);
    for (const s of bursts) {
      expect(s.clients).toBeLessThanOrEqual(2);
      expect(s.agent.stepsMax).toBeLessThanOrEqual(2);
      expect(s.workload.burstChance![0]).toBeGreaterThan(0);
    }
  });

  it('sometimes runs a busy agent, and raises the share of interrupts when they can be rejected', () => {
    const samples = fc.sample(scenarioArb(), { numRuns: SAMPLES, seed: SEED });
    expect(samples.filter((s) => s.agent.stepsMin >= 20).length).toBeGreaterThan(SAMPLES * 0.05);
    for (const s of samples)
      expect(s.workload.interruptShare !== undefined).toBe(s.faults.request['interrupt-reject'] !== undefined);
  });

  it('varies the rates of the kinds it switches on', () => {
    const samples = fc.sample(scenarioArb(), { numRuns: SAMPLES, seed: SEED });
    const requestRates = new Set(samples.flatMap((s) => Object.values(s.faults.request).map((r) => r[0] / r[1])));
    const timedRates = new Set(samples.flatMap((s) => Object.values(s.faults.timed)));
    expect(requestRates.size).toBeGreaterThan(10);
    expect(timedRates.size).toBeGreaterThan(10);
  });

  it('honours options: restricted kinds and sizes', () => {
    const arb = scenarioArb({
      requestFaultKinds: [],
      timedFaultKinds: ['server-crash'],
      clientsMax: 1,
      sessionsMax: 1,
    });
    for (const s of fc.sample(arb, { numRuns: 100, seed: SEED })) {
      expect(s.faults.request).toEqual({});
      expect(Object.keys(s.faults.timed).every((k) => k === 'server-crash')).toBe(true);
      expect([s.clients, s.sessions]).toEqual([1, 1]);
    }
  });

  it('refuses options outside the scenario limits', () => {
    expect(() => scenarioArb({ clientsMax: 9 })).toThrow(RangeError);
    expect(() => scenarioArb({ chaosMsMin: 10, chaosMsMax: 5 })).toThrow(RangeError);
  });

  it('shrinks to one fault, one client, one session and the shortest phases', () => {
    const result = fc.check(
      fc.property(scenarioArb(), (s) => enabledKinds(s).length === 0),
      { seed: SEED },
    );
    expect(result.failed).toBe(true);
    const [s] = result.counterexample!;
    expect(enabledKinds(s)).toHaveLength(1);
    expect([s.clients, s.sessions, s.workload.promptsPerClient]).toEqual([1, 1, 1]);
    expect([s.phases.chaosMs, s.phases.healMs]).toEqual([5_000, 75_000]);
  });

  it('shrinks away faults that do not matter to a failure', () => {
    // Fails only with a server crash and at least two clients: the minimum keeps exactly that.
    const result = fc.check(
      fc.property(scenarioArb(), (s) => !(s.faults.timed['server-crash'] !== undefined && s.clients >= 2)),
      { seed: SEED },
    );
    const [s] = result.counterexample!;
    expect(enabledKinds(s)).toEqual(['server-crash']);
    expect(s.faults.timed['server-crash']).toBe(0.5);
    expect([s.clients, s.sessions]).toEqual([2, 1]);
  });
});

describe('seedArb and runArb', () => {
  it('draws 31-bit non-negative seeds and valid scenarios', () => {
    fc.assert(
      fc.property(runArb, ({ scenario, seed }) => {
        expect(Number.isSafeInteger(seed) && seed >= 0 && seed <= 2 ** 31 - 1).toBe(true);
        validateScenario(scenario);
      }),
      { numRuns: 100, seed: SEED },
    );
    expect(fc.sample(seedArb, { numRuns: 50, seed: SEED }).every((n) => n >= 0 && n < 2 ** 31)).toBe(true);
  });
});
