import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../scenarios/scenario.ts';
import { RunFixture } from '../../reports/testing/run-fixture.ts';
import { violation } from '../../model/violation.ts';
import { resolveVersion } from '../../transport/defects.ts';
import { NotFailingError, shrinkRun } from './shrink.ts';
import { runSignatures } from '../failure-signature.ts';
import { runVersionOf } from '../run-version.ts';
import { TINY_FAULTY } from '../testing/tiny-scenarios.ts';
import type { RunResult } from '../run-result.ts';

const BASE = runVersionOf(resolveVersion('base'));

/** A stand-in for the simulator: the run fails exactly when http-503 is on and there are 2+ clients. */
function fakeRun(runs: Scenario[]) {
  return async (scenario: Scenario): Promise<RunResult> => {
    runs.push(scenario);
    const fixture = new RunFixture(3);
    if (scenario.faults.request['http-503'] && scenario.clients >= 2) {
      fixture.violation(violation('no-silent-loss', 'lost', { client: 'c1', prompt: 'p1' }, []));
    }
    return { ...fixture.build(), scenario };
  };
}

describe('shrinkRun', () => {
  it('drops everything the failure does not need and stops at a fixpoint', async () => {
    const runs: Scenario[] = [];
    const shrunk = await shrinkRun({ scenario: TINY_FAULTY, seed: 3, version: BASE, run: fakeRun(runs) });
    expect(shrunk.fixpoint).toBe(true);
    expect(shrunk.scenario.faults).toEqual({ request: { 'http-503': [1, 10] }, timed: {} });
    expect(shrunk.scenario.clients).toBe(2);
    expect(shrunk.scenario.workload.promptsPerClient).toBe(1);
    expect(shrunk.scenario.phases.chaosMs).toBeLessThan(TINY_FAULTY.phases.chaosMs);
    expect(runSignatures(shrunk.result)).toContain(shrunk.signature);
    expect(shrunk.runs).toBe(runs.length);
  });

  it('stops at the run budget', async () => {
    const runs: Scenario[] = [];
    const shrunk = await shrinkRun({ scenario: TINY_FAULTY, seed: 3, version: BASE, run: fakeRun(runs), maxRuns: 4 });
    expect(runs).toHaveLength(4);
    expect(shrunk.fixpoint).toBe(false);
  });

  it('refuses a run that does not fail', async () => {
    const calm = { ...TINY_FAULTY, clients: 1 };
    await expect(shrinkRun({ scenario: calm, seed: 3, version: BASE, run: fakeRun([]) })).rejects.toBeInstanceOf(
      NotFailingError,
    );
  });

  it('shrinks a real failing run of the base version and keeps it failing the same way', async () => {
    const shrunk = await shrinkRun({ scenario: TINY_FAULTY, seed: 1, version: BASE, maxRuns: 40 });
    expect(shrunk.changes.length).toBeGreaterThan(0);
    expect(runSignatures(shrunk.result)).toContain(shrunk.signature);
    expect(shrunk.after.faultsFired + shrunk.after.steps).toBeLessThan(shrunk.before.faultsFired + shrunk.before.steps);
  });
});
