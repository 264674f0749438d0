import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../scenarios/scenario.ts';
import { RunFixture } from '../../reports/testing/run-fixture.ts';
import { violation } from '../../model/violation.ts';
import { resolveVersion } from '../../transport/defects.ts';
import type { FaultKind } from '../../scenarios/fault-kinds.ts';
import { NotFailingError, shrinkRun, type ShrinkOptions } from './shrink.ts';
import { ShrinkCache } from './shrink-cache.ts';
import { runSignatures } from '../failure-signature.ts';
import { runVersionOf } from '../run-version.ts';
import { TINY_FAULTY } from '../testing/tiny-scenarios.ts';
import type { RunResult } from '../run-result.ts';
import { compareCounterexampleSize } from './counterexample-size.ts';
import { MAX_TIMED_FAULT_RATE_PER_MINUTE } from '../../scenarios/scenario-limits.ts';

const BASE = runVersionOf(resolveVersion('base'));

interface FakeWorld {
  /** Whether the scenario fails (with no-silent-loss, and with at-most-once when it has 3+ clients). */
  fails: (s: Scenario) => boolean;
  /** Faults the run fires: by default one per enabled kind. */
  faultsFired?: (s: Scenario) => number;
}

/**
 * A stand-in for the simulator whose sizes follow the scenario: each enabled fault kind fires
 * once, each client sends its prompts, and a virtual second of chaos is one more step.
 */
function fakeRun(runs: Scenario[], world: FakeWorld) {
  return async (scenario: Scenario): Promise<RunResult> => {
    runs.push(scenario);
    const fixture = new RunFixture(3);
    const kinds = [...Object.keys(scenario.faults.request), ...Object.keys(scenario.faults.timed)] as FaultKind[];
    const faults = world.faultsFired?.(scenario) ?? kinds.length;
    // Omitted events are drawn and not taken, as in the world: they count toward the ordinals only.
    const drawn = new Map<string, number>();
    const taken = (owner: string, omitted: readonly number[] | undefined) => {
      const ordinal = (drawn.get(owner) ?? 0) + 1;
      drawn.set(owner, ordinal);
      return !(omitted ?? []).includes(ordinal);
    };
    for (let i = 0; i < faults; i++) {
      const kind = kinds[i % kinds.length] ?? 'http-503';
      if (taken(kind, scenario.omit?.faults?.[kind])) fixture.fault(i, kind);
    }
    for (let i = 0; i < scenario.clients * scenario.workload.promptsPerClient; i++)
      if (taken('c1', scenario.omit?.actions?.['c1'])) fixture.record(100, 'c1', 'user.prompt');
    for (let i = 0; i < scenario.phases.chaosMs / 1000; i++) fixture.record(200, 'loop', 'timer');
    if (world.fails(scenario)) {
      fixture.violation(violation('no-silent-loss', 'lost', { client: 'c1', prompt: 'p1' }, []));
      if (scenario.clients >= 3) fixture.violation(violation('at-most-once', 'twice', { prompt: 'p1' }, []));
    }
    return { ...fixture.build(), scenario };
  };
}

/** Fails exactly when http-503 is on and there are 2+ clients. */
const NEEDS_503_AND_TWO_CLIENTS: FakeWorld = {
  fails: (s) => s.faults.request['http-503'] !== undefined && s.clients >= 2,
};

function shrink(runs: Scenario[], world: FakeWorld, options: Partial<ShrinkOptions> = {}) {
  return shrinkRun({ scenario: TINY_FAULTY, seed: 3, version: BASE, run: fakeRun(runs, world), ...options });
}

describe('shrinkRun', () => {
  it('drops everything the failure does not need and stops at a fixpoint', async () => {
    const runs: Scenario[] = [];
    const shrunk = await shrink(runs, NEEDS_503_AND_TWO_CLIENTS);
    expect(shrunk.fixpoint).toBe(true);
    // Its rate may be any: a stepping stone may have moved its one firing to the start.
    expect(Object.keys(shrunk.scenario.faults.request)).toEqual(['http-503']);
    expect(shrunk.scenario.faults.timed).toEqual({});
    expect(shrunk.scenario.clients).toBe(2);
    expect(shrunk.scenario.workload.promptsPerClient).toBe(0);
    expect(shrunk.scenario.phases.chaosMs).toBe(0);
    expect(runSignatures(shrunk.result)).toContain(shrunk.signature);
    expect(shrunk.after).toEqual({ faultsFired: 1, userActions: 0, steps: 1 });
    expect(shrunk.runs).toBe(runs.length);
  });

  it('keeps no candidate that fails the same way but is larger by the size order', async () => {
    const runs: Scenario[] = [];
    // Dropping a fault kind makes the others fire far more: a smaller scenario, a larger run.
    const faultsFired = (s: Scenario) =>
      Object.keys(s.faults.request).length + Object.keys(s.faults.timed).length < 4 ? 50 : 4;
    const shrunk = await shrink(runs, { fails: () => true, faultsFired });
    expect(shrunk.changes.some((c) => c.startsWith('drop fault'))).toBe(false);
    // Leaving single firings out keeps the kinds, and so the run's other draws: one firing is enough.
    expect(shrunk.after.faultsFired).toBe(1);
    expect(shrunk.changes.some((c) => c.includes('keep the first') || c.includes('omit '))).toBe(true);
    expect(shrunk.after.userActions).toBeLessThan(shrunk.before.userActions);
  });

  it('pins a timed fault that had to land where the draws put it, so the workload can go', async () => {
    // As drawn, the stream drop lands in the right place only while every prompt is sent, every
    // fault fires and the rates and phases are as they were; pinned to its k-th firing at the highest rate (one every
    // 100 ms or so) after the 503s fired first, it lands there whatever the workload.
    const asDrawn = (s: Scenario) =>
      s.workload.promptsPerClient >= 3 &&
      s.omit?.actions === undefined &&
      s.omit?.faults === undefined &&
      s.phases.chaosMs === TINY_FAULTY.phases.chaosMs &&
      s.faults.timed['stream-drop'] === 6 &&
      s.faults.request['http-503']?.join('/') === '1/10';
    const pinned = (s: Scenario) => {
      const pin = s.omit?.faultsAfter?.['stream-drop'] ?? 0;
      const frontLoaded = s.faults.request['http-503']?.join('/') === '1/1';
      const landsInChaos = pin * 100 <= s.phases.chaosMs;
      return (
        s.faults.timed['stream-drop'] === MAX_TIMED_FAULT_RATE_PER_MINUTE && frontLoaded && pin >= 8 && landsInChaos
      );
    };
    const shrunk = await shrink([], { fails: (s) => asDrawn(s) || pinned(s) });
    expect(shrunk.after.userActions).toBe(0);
    expect(shrunk.changes.some((c) => c.includes('pin stream-drop to its firing #'))).toBe(true);
  });

  it('keeps only candidates the sameFailure check accepts', async () => {
    const shrunk = await shrink([], NEEDS_503_AND_TWO_CLIENTS, { sameFailure: (r) => r.scenario.clients === 2 });
    expect(shrunk.changes.length).toBeGreaterThan(0);
    expect(shrunk.scenario.faults.timed).toEqual({});
    const stubborn = await shrink([], NEEDS_503_AND_TWO_CLIENTS, { sameFailure: () => false });
    expect(stubborn.changes).toEqual([]);
    expect(stubborn.fixpoint).toBe(true);
  });

  it('shrinks for the property asked for, not the first one the run violates', async () => {
    const threeClients = { ...TINY_FAULTY, clients: 3 };
    const world = { fails: () => true };
    const first = await shrink([], world, { scenario: threeClients });
    expect(first.signature).toMatch(/^no-silent-loss /);
    expect(first.scenario.clients).toBe(1);
    const chosen = await shrink([], world, { scenario: threeClients, property: 'at-most-once' });
    expect(chosen.signature).toMatch(/^at-most-once /);
    expect(chosen.scenario.clients).toBe(3);
    await expect(shrink([], world, { property: 'at-most-once' })).rejects.toThrow(/does not fail with at-most-once/);
  });

  it('runs a scenario once across shrinks that share a cache', async () => {
    const cache = new ShrinkCache();
    const firstRuns: Scenario[] = [];
    const first = await shrink(firstRuns, NEEDS_503_AND_TWO_CLIENTS, { cache });
    const againRuns: Scenario[] = [];
    const again = await shrink(againRuns, NEEDS_503_AND_TWO_CLIENTS, { cache });
    expect(again.scenario).toEqual(first.scenario);
    // The initial run, then only reruns of kept candidates whose full result was evicted.
    expect(againRuns.length).toBeLessThanOrEqual(1 + again.changes.length);
    expect(again.tried).toBe(first.tried);
    expect(cache.stats.hits).toBeGreaterThanOrEqual(first.tried);
  });

  it('reports progress after each candidate', async () => {
    const seen: number[] = [];
    const shrunk = await shrink([], NEEDS_503_AND_TWO_CLIENTS, { onProgress: (p) => seen.push(p.tried) });
    expect(seen).toEqual(Array.from({ length: shrunk.tried }, (_, i) => i + 1));
  });

  it('stops at the run budget', async () => {
    const runs: Scenario[] = [];
    const shrunk = await shrink(runs, NEEDS_503_AND_TWO_CLIENTS, { maxRuns: 4 });
    expect(runs).toHaveLength(4);
    expect(shrunk.fixpoint).toBe(false);
  });

  it('refuses a run that does not fail', async () => {
    const calm = { ...TINY_FAULTY, clients: 1 };
    await expect(shrink([], NEEDS_503_AND_TWO_CLIENTS, { scenario: calm })).rejects.toBeInstanceOf(NotFailingError);
  });

  it('shrinks a real failing run of the base version and keeps it failing the same way', async () => {
    const shrunk = await shrinkRun({ scenario: TINY_FAULTY, seed: 1, version: BASE, maxRuns: 40 });
    expect(shrunk.changes.length).toBeGreaterThan(0);
    expect(runSignatures(shrunk.result)).toContain(shrunk.signature);
    const [before, after] = [shrunk.before, shrunk.after].map((s) => ({ ...s, simSteps: s.steps }));
    expect(compareCounterexampleSize(after!, before!)).toBeLessThan(0);
  });
});
