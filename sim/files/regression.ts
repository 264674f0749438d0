/**
 * Regression files (scenarios/regressions/<defect>.json): a shrunk counterexample that shows one
 * catalogued defect deterministically. With the defect on top of `fixed` the run must violate the
 * named property; with it off (same send path) the run must pass. The test suite runs every file
 * both ways. Files are checked field by field on load, like repros, with errors naming the field.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../../scenarios/scenario.ts';
import { SCENARIOS_DIR } from '../../scenarios/load-scenario.ts';
import { validateScenario } from '../../scenarios/validate-scenario.ts';
import { ScenarioError, showValue } from '../../scenarios/scenario-error.ts';
import type { PropertyId } from '../../model/property-id.ts';
import { cataloguedProperties } from '../../scenarios/defect-properties.ts';
import { Defects, isDefectId, resolveVersion, type DefectId, type TransportVersion } from '../../transport/defects.ts';
import { readJsonFile } from './read-json-file.ts';
import { ReproError } from './repro-error.ts';
import { writeFileExclusive } from './exclusive-write.ts';

export const REGRESSION_FORMAT = 'ssesim-regression';
export const REGRESSIONS_DIR = join(SCENARIOS_DIR, 'regressions');

export interface Regression {
  format: typeof REGRESSION_FORMAT;
  formatVersion: 1;
  defect: DefectId;
  /** The catalogued property the run violates with the defect on. */
  property: PropertyId;
  seed: number;
  scenario: Scenario;
  /** The violation's message when the file was written, for people reading the file. */
  message: string;
}

const KEYS = ['format', 'formatVersion', 'defect', 'property', 'seed', 'scenario', 'message'];

export function validateRegression(value: unknown, source?: string): Regression {
  const bad = (field: string, detail: string): never => {
    throw new ReproError(field, detail, source);
  };
  if (typeof value !== 'object' || value === null || Array.isArray(value))
    return bad('(root)', `expected an object, got ${showValue(value)}`);
  const v = value as Record<string, unknown>;
  for (const key of KEYS) if (!(key in v)) bad(key, 'missing');
  for (const key of Object.keys(v)) if (!KEYS.includes(key)) bad(key, `unknown field (known: ${KEYS.join(', ')})`);
  if (v.format !== REGRESSION_FORMAT) bad('format', `expected "${REGRESSION_FORMAT}", got ${showValue(v.format)}`);
  if (v.formatVersion !== 1) bad('formatVersion', `expected 1, got ${showValue(v.formatVersion)}`);
  if (typeof v.defect !== 'string' || !isDefectId(v.defect))
    return bad('defect', `unknown defect ${showValue(v.defect)}`);
  const catalogued = cataloguedProperties(v.defect);
  if (!catalogued.includes(v.property as PropertyId))
    bad(
      'property',
      `expected one of ${catalogued.join(', ')} (the properties catalogued for ${v.defect}), got ${showValue(v.property)}`,
    );
  if (typeof v.seed !== 'number' || !Number.isSafeInteger(v.seed) || v.seed < 0)
    bad('seed', `expected a non-negative integer, got ${showValue(v.seed)}`);
  if (typeof v.message !== 'string') bad('message', `expected a string, got ${showValue(v.message)}`);
  let scenario: Scenario;
  try {
    scenario = validateScenario(v.scenario);
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    return bad(err.field === '(root)' ? 'scenario' : `scenario.${err.field}`, err.detail);
  }
  return {
    format: REGRESSION_FORMAT,
    formatVersion: 1,
    defect: v.defect,
    property: v.property as PropertyId,
    seed: v.seed as number,
    scenario,
    message: v.message as string,
  };
}

export function readRegression(path: string): Regression {
  return validateRegression(readJsonFile(path), path);
}

/** The regression files of `dir`, sorted by name; none when the folder does not exist. */
export function listRegressionFiles(dir: string = REGRESSIONS_DIR): string[] {
  let names: string[];
  try {
    names = readdirSync(dir);
  } catch {
    return [];
  }
  return names
    .filter((name) => name.endsWith('.json'))
    .sort()
    .map((name) => join(dir, name));
}

/** The version a regression runs with its defect on: `fixed` plus the defect (and its send path). */
export function regressionVersion(regression: Pick<Regression, 'defect'>): TransportVersion {
  return resolveVersion('fixed', [regression.defect]);
}

/** The same version with the defect off: the send path stays, since a legacy-path defect needs it. */
export function regressionControl(regression: Pick<Regression, 'defect'>): TransportVersion {
  const { sendPath } = regressionVersion(regression);
  return { name: sendPath === 'outbox' ? 'fixed' : `fixed(${sendPath})`, defects: Defects.none(), sendPath };
}

/** Writes `<dir>/<defect>.json`; null (and nothing written) when a file of that name exists. */
export function writeRegression(regression: Regression, dir: string = REGRESSIONS_DIR): string | null {
  mkdirSync(dir, { recursive: true });
  const path = join(dir, `${regression.defect}.json`);
  return writeFileExclusive(path, `${JSON.stringify(regression, null, 2)}\n`) ? path : null;
}
