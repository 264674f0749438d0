/**
 * Validation of a parsed repro file. A repro is often edited by hand or copied between machines,
 * so every field is checked and the first bad one is named (as a ReproError) rather than letting
 * a replay fail somewhere deep inside the simulator.
 */
import { validateScenario } from '../../scenarios/validate-scenario.ts';
import { ScenarioError, showValue } from '../../scenarios/scenario-error.ts';
import type { PropertyId } from '../../model/property-id.ts';
import { isDefectId, type DefectId, type SendPath } from '../../transport/defects.ts';
import type { VerdictKind } from '../../model/verdict.ts';
import { PROPERTY_IDS } from '../../model/properties/index.ts';
import type { Repro, ReproFault } from './repro.ts';
import type { RunVersion } from '../run-result.ts';
import { ReproError } from './repro-error.ts';

const VERDICTS: readonly VerdictKind[] = ['passed', 'violation', 'liveness', 'crash', 'step-limit'];
const SEND_PATHS: readonly SendPath[] = ['outbox', 'legacy-queue'];
const KEYS = [
  'format',
  'formatVersion',
  'scenario',
  'seed',
  'version',
  'traceHash',
  'verdict',
  'violations',
  'faults',
  'command',
];

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export function validateRepro(value: unknown, source?: string): Repro {
  const bad = (field: string, detail: string): never => {
    throw new ReproError(field, detail, source);
  };
  if (!isObject(value)) return bad('(root)', `expected an object, got ${showValue(value)}`);
  for (const key of KEYS) if (!(key in value)) bad(key, 'missing');
  if (value.format !== 'ssesim-repro') bad('format', `expected "ssesim-repro", got ${showValue(value.format)}`);
  if (value.formatVersion !== 1) bad('formatVersion', `expected 1, got ${showValue(value.formatVersion)}`);
  const seed = value.seed;
  if (typeof seed !== 'number' || !Number.isSafeInteger(seed) || seed < 0)
    bad('seed', `expected a non-negative integer, got ${showValue(seed)}`);
  if (typeof value.traceHash !== 'string' || !/^[0-9a-f]{64}$/.test(value.traceHash))
    bad('traceHash', `expected 64 hex digits, got ${showValue(value.traceHash)}`);
  if (!VERDICTS.includes(value.verdict as VerdictKind))
    bad('verdict', `expected one of ${VERDICTS.join(', ')}, got ${showValue(value.verdict)}`);
  if (typeof value.command !== 'string') bad('command', `expected a string, got ${showValue(value.command)}`);
  return {
    format: 'ssesim-repro',
    formatVersion: 1,
    scenario: checkScenario(value.scenario, bad),
    seed: seed as number,
    version: checkVersion(value.version, bad),
    traceHash: value.traceHash as string,
    verdict: value.verdict as VerdictKind,
    violations: checkViolations(value.violations, bad),
    faults: checkFaults(value.faults, bad),
    command: value.command as string,
  };
}

type Bad = (field: string, detail: string) => never;

function checkScenario(value: unknown, bad: Bad) {
  try {
    return validateScenario(value);
  } catch (err) {
    if (!(err instanceof ScenarioError)) throw err;
    const field = err.field === '(root)' ? 'scenario' : `scenario.${err.field}`;
    return bad(field, err.detail);
  }
}

function checkVersion(value: unknown, bad: Bad): RunVersion {
  if (!isObject(value)) return bad('version', `expected an object, got ${showValue(value)}`);
  if (typeof value.name !== 'string' || value.name === '')
    bad('version.name', `expected a name, got ${showValue(value.name)}`);
  if (!Array.isArray(value.defects))
    return bad('version.defects', `expected an array, got ${showValue(value.defects)}`);
  value.defects.forEach((id, i) => {
    if (typeof id !== 'string' || !isDefectId(id)) bad(`version.defects[${i}]`, `unknown defect ${showValue(id)}`);
  });
  if (!SEND_PATHS.includes(value.sendPath as SendPath))
    bad('version.sendPath', `expected one of ${SEND_PATHS.join(', ')}, got ${showValue(value.sendPath)}`);
  return { name: value.name as string, defects: value.defects as DefectId[], sendPath: value.sendPath as SendPath };
}

function checkViolations(value: unknown, bad: Bad): Repro['violations'] {
  if (!Array.isArray(value)) return bad('violations', `expected an array, got ${showValue(value)}`);
  return value.map((v, i) => {
    if (!isObject(v)) return bad(`violations[${i}]`, `expected an object, got ${showValue(v)}`);
    if (!PROPERTY_IDS.includes(v.property as PropertyId))
      bad(`violations[${i}].property`, `unknown property ${showValue(v.property)}`);
    if (typeof v.message !== 'string')
      bad(`violations[${i}].message`, `expected a string, got ${showValue(v.message)}`);
    return { property: v.property as PropertyId, message: v.message as string };
  });
}

function checkFaults(value: unknown, bad: Bad): ReproFault[] {
  if (!Array.isArray(value)) return bad('faults', `expected an array, got ${showValue(value)}`);
  return value.map((f, i) => {
    if (!isObject(f)) return bad(`faults[${i}]`, `expected an object, got ${showValue(f)}`);
    for (const key of ['index', 't'] as const) {
      if (typeof f[key] !== 'number' || !Number.isSafeInteger(f[key]))
        bad(`faults[${i}].${key}`, `expected an integer, got ${showValue(f[key])}`);
    }
    if (typeof f.kind !== 'string') bad(`faults[${i}].kind`, `expected a string, got ${showValue(f.kind)}`);
    if (!isObject(f.details)) bad(`faults[${i}].details`, `expected an object, got ${showValue(f.details)}`);
    return { index: f.index as number, t: f.t as number, kind: f.kind as string, details: f.details as Obj };
  });
}
