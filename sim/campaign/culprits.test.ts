import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../scenarios/index.ts';
import { resolveVersion, type DefectId, type TransportVersion } from '../../transport/index.ts';
import { readRegression, regressionVersion } from '../files/index.ts';
import { REGRESSIONS_DIR } from '../files/regression.ts';
import { runScenario, runSignatures, runVersionOf, violationSignature, type RunResult } from '../index.ts';
import { TINY_CALM } from '../testing/tiny-scenarios.ts';
import { combinations, culpritVersions, findCulprits, withoutFault, type CulpritQuestion } from './culprits.ts';

const LOSS = { property: 'no-silent-loss' as const, subject: { client: 'c1' }, message: 'lost' };
const SIGNATURE = violationSignature(LOSS);

/** A stand-in for the simulator: the run fails with SIGNATURE exactly when `fails` says so. */
function fakeRun(fails: (version: TransportVersion, scenario: Scenario) => boolean) {
  const calls: TransportVersion[] = [];
  const run = async (scenario: Scenario, version: TransportVersion): Promise<RunResult> => {
    calls.push(version);
    const failed = fails(version, scenario);
    const enabled = [...Object.keys(scenario.faults.request), ...Object.keys(scenario.faults.timed)];
    return {
      scenario,
      seed: 1,
      version: runVersionOf(version),
      verdict: failed ? 'violation' : 'passed',
      violations: failed ? [LOSS] : [],
      faultCounts: Object.fromEntries(enabled.map((kind) => [kind, 1])),
    } as unknown as RunResult;
  };
  return { run, calls };
}

function question(defects: DefectId[], scenario: Scenario = TINY_CALM): CulpritQuestion {
  return { scenario, seed: 1, version: runVersionOf(resolveVersion('fixed', defects)), signature: SIGNATURE };
}

const VERSION: DefectId[] = ['client-cursor-regress', 'cursor-on-receipt', 'no-gap-detection'];

describe('findCulprits', () => {
  it('names every defect that alone on fixed reproduces the failure, and only those', async () => {
    const fake = fakeRun((v) => v.defects.has('cursor-on-receipt') || v.defects.has('no-gap-detection'));
    const { culprits } = await findCulprits(question(VERSION), { run: fake.run });
    expect(culprits.defects).toEqual({ status: 'defects', sets: [['cursor-on-receipt'], ['no-gap-detection']] });
    // The reference run, the control, then each defect alone.
    expect(fake.calls.map((v) => v.defects.list())).toEqual([VERSION, [], ...VERSION.map((d) => [d])]);
    expect(culprits.runs).toBe(fake.calls.length);
  });

  it('takes the smallest combination when no defect alone reproduces it', async () => {
    const fake = fakeRun((v) => v.defects.has('client-cursor-regress') && v.defects.has('no-gap-detection'));
    const { culprits } = await findCulprits(question(VERSION), { run: fake.run });
    expect(culprits.defects).toEqual({ status: 'defects', sets: [['client-cursor-regress', 'no-gap-detection']] });
  });

  it('blames no defect when fixed on the same send path fails the same way', async () => {
    const { culprits } = await findCulprits(question(VERSION), { run: fakeRun(() => true).run });
    expect(culprits.defects).toEqual({ status: 'no-defect' });
  });

  it("does not count a defect set whose send path fails without it (the control's noise)", async () => {
    // stranded-requeue lives on the legacy send path; the outbox path fails on its own here.
    const fake = fakeRun((v) => v.sendPath === 'outbox' || v.defects.has('stranded-requeue'));
    const { culprits } = await findCulprits(question([...VERSION, 'stranded-requeue']), { run: fake.run });
    expect(culprits.defects).toEqual({ status: 'defects', sets: [['stranded-requeue']] });
  });

  it("also tries a set on the version's legacy send path, which shapes the requests made", async () => {
    // interrupt-unhandled lives in the server; alone, resolveVersion puts it on the outbox path.
    const fake = fakeRun((v) => v.sendPath === 'legacy-queue' && v.defects.has('interrupt-unhandled'));
    const { culprits } = await findCulprits(question(['stranded-requeue', 'interrupt-unhandled']), { run: fake.run });
    expect(culprits.defects).toEqual({ status: 'defects', sets: [['interrupt-unhandled']] });
    expect(culpritVersions({ sendPath: 'legacy-queue' }, ['interrupt-unhandled']).map((v) => v.sendPath)).toEqual([
      'outbox',
      'legacy-queue',
    ]);
    expect(culpritVersions({ sendPath: 'outbox' }, ['interrupt-unhandled'])).toHaveLength(1);
  });

  it('says budget rather than guess when the search would pass the run cap, and stays within it', async () => {
    const fake = fakeRun((v) => v.defects.size === VERSION.length);
    const { culprits } = await findCulprits(question(VERSION), { run: fake.run, maxRuns: 6 });
    expect(culprits.defects).toEqual({ status: 'not-determined', reason: 'budget' });
    expect(fake.calls.length).toBeLessThanOrEqual(6);
  });

  it('names the fault kinds without which the failure disappears', async () => {
    const scenario: Scenario = {
      ...TINY_CALM,
      faults: { request: { 'http-503': [1, 10] }, timed: { 'stream-drop': 6 } },
    };
    const fake = fakeRun((v, s) => v.defects.has('cursor-on-receipt') && 'http-503' in s.faults.request);
    const { culprits } = await findCulprits(question(VERSION, scenario), { run: fake.run });
    expect(culprits.faults).toEqual({ status: 'faults', fired: ['http-503', 'stream-drop'], needed: ['http-503'] });
  });

  it('says when the repro no longer fails, and makes no experiment when asked for none', async () => {
    const never = await findCulprits(question(VERSION), { run: fakeRun(() => false).run });
    expect(never.culprits.defects).toEqual({ status: 'not-determined', reason: 'not-reproduced' });
    const none = await findCulprits(question(VERSION), { maxRuns: 0 });
    expect(none.culprits).toMatchObject({ runs: 0, defects: { status: 'not-determined', reason: 'skipped' } });
  });

  it('finds the one defect that causes a regression among bystanders, on the real simulator', async () => {
    const regression = readRegression(`${REGRESSIONS_DIR}/ambiguous-ack-duplicate.json`);
    const result = await runScenario({ ...regression, version: regressionVersion(regression) });
    const signature = runSignatures(result).find((s) => s.startsWith(regression.property))!;
    const bystanders: DefectId[] = ['client-cursor-regress', 'silent-gap-skip', 'drop-oldest-at-cap'];
    const version = runVersionOf(resolveVersion('fixed', ['ambiguous-ack-duplicate', ...bystanders]));
    const { culprits } = await findCulprits({
      scenario: regression.scenario,
      seed: regression.seed,
      version,
      signature,
    });
    expect(culprits.defects).toEqual({ status: 'defects', sets: [['ambiguous-ack-duplicate']] });
    expect(culprits.faults.status === 'faults' && culprits.faults.needed.length).toBeGreaterThan(0);
  });
});

describe('combinations', () => {
  it('lists the subsets of a size in order', () => {
    expect(combinations(['a', 'b', 'c'], 2)).toEqual([
      ['a', 'b'],
      ['a', 'c'],
      ['b', 'c'],
    ]);
    expect(combinations(['a', 'b'], 0)).toEqual([[]]);
    expect(combinations(['a'], 2)).toEqual([]);
  });
});

describe('withoutFault', () => {
  it('switches one kind off and leaves the rest of the scenario alone', () => {
    const scenario: Scenario = {
      ...TINY_CALM,
      faults: { request: { 'http-503': [1, 10] }, timed: { 'stream-drop': 6 } },
    };
    expect(withoutFault(scenario, 'stream-drop').faults).toEqual({ request: { 'http-503': [1, 10] }, timed: {} });
    expect(withoutFault(scenario, 'http-503')).toEqual({
      ...scenario,
      faults: { request: {}, timed: { 'stream-drop': 6 } },
    });
  });
});
