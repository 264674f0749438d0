/**
 * Every promoted regression (scenarios/regressions/<defect>.json) both ways: with its defect on top
 * of `fixed` the run is not passed and violates the named property; with the defect off it passes.
 */
import { describe, expect, it } from 'vitest';
import { readdirSync } from 'node:fs';
import { basename } from 'node:path';
import { DEFECT_IDS } from '../../transport/defects.ts';
import { runScenario } from '../run.ts';
import {
  listRegressionFiles,
  readRegression,
  regressionControl,
  regressionVersion,
  REGRESSIONS_DIR,
} from './regression.ts';

const files = listRegressionFiles();

describe('scenarios/regressions', () => {
  it('holds exactly one file per catalogued defect, each named after the defect it holds', () => {
    // A stray file of another kind would be skipped by every reader rather than fail.
    expect(readdirSync(REGRESSIONS_DIR).filter((name) => !name.endsWith('.json'))).toEqual([]);
    const names = files.map((path) => basename(path, '.json'));
    expect(names).toEqual(files.map((path) => readRegression(path).defect));
    const withoutFile = DEFECT_IDS.filter((id) => !names.includes(id));
    const withoutDefect = names.filter((name) => !(DEFECT_IDS as readonly string[]).includes(name));
    expect({ withoutFile, withoutDefect }).toEqual({ withoutFile: [], withoutDefect: [] });
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
