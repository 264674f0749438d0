/**
 * Regression files (scenarios/regressions/<defect>.json): a shrunk counterexample that shows one
 * catalogued defect deterministically. With the defect on top of `fixed` the run must violate the
 * named property; with it off (same send path) the run must pass. The test suite runs every file
 * both ways. Files are checked on load like repros: every bad field is named, unknown keys refused.
 */
import { mkdirSync, readdirSync } from 'node:fs';
import { join } from 'node:path';
import { z } from 'zod';
import { ScenarioSchema, type Scenario } from '../../scenarios/index.ts';
import { SCENARIOS_DIR } from '../../scenarios/index.ts';
import { showValue } from '../../scenarios/index.ts';
import { anyString, catalogueName, expected, seedInt, section } from '../../scenarios/index.ts';
import { parseWith } from '../../scenarios/index.ts';
import { readJsonFile } from '../../scenarios/index.ts';
import { PROPERTY_IDS, type PropertyId } from '../../model/index.ts';
import { cataloguedProperties } from '../../scenarios/index.ts';
import {
  DEFECT_IDS,
  Defects,
  isDefectId,
  resolveVersion,
  type DefectId,
  type TransportVersion,
} from '../../transport/index.ts';
import { ReproError } from './repro-error.ts';
import { writeFileExclusive } from './exclusive-write.ts';

const REGRESSION_FORMAT = 'ssesim-regression';
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

const RegressionSchema = section({
  format: z.literal(REGRESSION_FORMAT, { error: expected(`"${REGRESSION_FORMAT}"`) }),
  formatVersion: z.literal(1, { error: expected('1') }),
  defect: catalogueName(DEFECT_IDS, 'defect'),
  property: catalogueName(PROPERTY_IDS, 'property'),
  seed: seedInt(),
  scenario: ScenarioSchema,
  message: anyString(),
}).superRefine(checkCataloguedProperty, { when: (payload) => isObject(payload.value) });

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** The property must be one the defect is catalogued to violate, or the file could never pass its own test. */
function checkCataloguedProperty(value: { defect: unknown; property: unknown }, ctx: z.RefinementCtx): void {
  if (typeof value.defect !== 'string' || !isDefectId(value.defect)) return;
  const catalogued = cataloguedProperties(value.defect);
  if (catalogued.includes(value.property as PropertyId)) return;
  const message =
    `expected one of ${catalogued.join(', ')} (the properties catalogued for ${value.defect}), ` +
    `got ${showValue(value.property)}`;
  ctx.addIssue({ code: 'custom', path: ['property'], input: value.property, message });
}

export function validateRegression(value: unknown, source?: string): Regression {
  return parseWith(RegressionSchema, value, ReproError, source);
}

export function readRegression(path: string): Regression {
  return validateRegression(readJsonFile(path, ReproError), path);
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
