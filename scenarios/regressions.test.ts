/**
 * Every promoted regression (scenarios/regressions/<defect>.json) both ways: with its defect on top
 * of `fixed` the run is not passed and violates the named property; with the defect off it passes.
 */
import { describe, expect, it } from 'vitest';
import { basename } from 'node:path';
import { DEFECT_IDS } from '../transport/defects.ts';
import { runScenario } from '../sim/run.ts';
import { listRegressionFiles, readRegression, regressionControl, regressionVersion } from '../sim/files/regression.ts';

const files = listRegressionFiles();

describe('scenarios/regressions', () => {
  it('holds one file per catalogued defect, named after it', () => {
    const defects = files.map((path) => readRegression(path).defect);
    expect(files.map((path) => basename(path, '.json'))).toEqual(defects);
    expect([...defects].sort()).toEqual(DEFECT_IDS.filter((id) => defects.includes(id)).sort());
    expect(defects.length).toBeGreaterThan(0);
  });

  for (const path of files) {
    const regression = readRegression(path);
    it(`${regression.defect}: violates ${regression.property} with the defect, passes without it`, async () => {
      const broken = await runScenario({
        scenario: regression.scenario,
        seed: regression.seed,
        version: regressionVersion(regression),
      });
      expect(broken.verdict).not.toBe('passed');
      expect(broken.violations.map((v) => v.property)).toContain(regression.property);
      const control = await runScenario({
        scenario: regression.scenario,
        seed: regression.seed,
        version: regressionControl(regression),
      });
      expect(control.violations.map((v) => `${v.property}: ${v.message}`)).toEqual([]);
      expect(control.verdict).toBe('passed');
    });
  }
});
