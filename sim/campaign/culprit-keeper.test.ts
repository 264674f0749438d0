import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { readRegression, regressionVersion } from '../files/index.ts';
import { REGRESSIONS_DIR } from '../files/regression.ts';
import { runScenario, runSignatures, runVersionOf } from '../index.ts';
import { culpritKeeper, shrinkKeepingCulprit } from './culprit-keeper.ts';

/** A shrunk counterexample of one defect: what it fails with, and the run itself. */
async function regressionRun(defect: string) {
  const regression = readRegression(join(REGRESSIONS_DIR, `${defect}.json`));
  const version = regressionVersion(regression);
  const result = await runScenario({ scenario: regression.scenario, seed: regression.seed, version });
  const signature = runSignatures(result).find((s) => s.startsWith(regression.property))!;
  return { regression, version, result, signature };
}

describe('culpritKeeper', () => {
  it('keeps a run its culprit still causes and refuses one another defect causes', async () => {
    const { regression, version, result, signature } = await regressionRun('no-gap-detection');
    expect(signature).toBeDefined();
    const question = { seed: regression.seed, version, signature };
    expect(await culpritKeeper({ ...question, sets: [['no-gap-detection']] })(result)).toBe(true);
    expect(await culpritKeeper({ ...question, sets: [['drop-oldest-at-cap']] })(result)).toBe(false);
  }, 60_000);
});

describe('shrinkKeepingCulprit', () => {
  it('returns a run no larger than it was given that the same defect still causes', async () => {
    const { regression, version, result, signature } = await regressionRun('cursor-on-receipt');
    const shrunk = await shrinkKeepingCulprit({
      scenario: regression.scenario,
      seed: regression.seed,
      version: runVersionOf(version),
      signature,
      initial: result,
      shrinkRuns: 10,
    });
    expect(runSignatures(shrunk.result)).toContain(signature);
    expect(shrunk.after.faultsFired + shrunk.after.userActions).toBeLessThanOrEqual(
      shrunk.before.faultsFired + shrunk.before.userActions,
    );
    const keeps = culpritKeeper({ seed: regression.seed, version, signature, sets: [['cursor-on-receipt']] });
    expect(await keeps(shrunk.result)).toBe(true);
  }, 120_000);
});
