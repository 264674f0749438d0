/**
 * Promoting a shrunk repro to a regression: only a run of exactly one defect on top of `fixed`
 * qualifies, its violation must be of a property the catalogue names for that defect, and the
 * same scenario and seed must pass with the defect off, or the file would not test that defect.
 */
import { cataloguedProperties } from '../scenarios/index.ts';
import type { RunResult } from '../sim/index.ts';
import { runScenario } from '../sim/index.ts';
import { regressionControl, writeRegression } from '../sim/files/index.ts';
import { violationSignature } from '../sim/index.ts';
import { UsageError } from './usage-error.ts';

export async function promoteShrunk(result: RunResult, signature: string): Promise<string> {
  const [defect, ...others] = result.version.defects;
  if (defect === undefined || others.length > 0 || !result.version.name.startsWith('fixed')) {
    throw new UsageError(
      `--promote needs a repro of one defect on fixed (--version fixed --defect D), not ${result.version.name}`,
    );
  }
  const catalogued = cataloguedProperties(defect);
  const violation = result.violations.find(
    (v) => violationSignature(v) === signature && catalogued.includes(v.property),
  );
  if (!violation)
    throw new UsageError(
      `--promote: the shrunk run violates no property catalogued for ${defect} (${catalogued.join(', ')})`,
    );
  const control = await runScenario({
    scenario: result.scenario,
    seed: result.seed,
    version: regressionControl({ defect }),
  });
  if (control.verdict !== 'passed')
    throw new UsageError(
      `--promote: the run fails with ${defect} off too (${control.verdict}), so it is no regression for ${defect}`,
    );
  const regression = {
    format: 'ssesim-regression' as const,
    formatVersion: 1 as const,
    defect,
    property: violation.property,
    seed: result.seed,
    scenario: result.scenario,
    message: violation.message,
  };
  const path = writeRegression(regression);
  if (path === null) throw new UsageError(`scenarios/regressions/${defect}.json already exists; not overwriting it`);
  return path;
}
