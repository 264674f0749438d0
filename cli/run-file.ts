/**
 * What `ssesim report` accepts: a repro (rerun to get the full result) or a run result written
 * by `ssesim run --out` (result.json, rendered as it is). Anything else is a one-line error.
 */
import { validateScenario } from '../scenarios/validate-scenario.ts';
import { ScenarioError } from '../scenarios/scenario-error.ts';
import type { RunResult } from '../sim/run-result.ts';
import { ReproError } from '../sim/files/repro-error.ts';
import { validateRepro } from '../sim/files/repro-check.ts';
import { readJsonFile } from '../sim/files/read-json-file.ts';
import { replayRepro } from './replay-command.ts';
import { printErr } from './output.ts';

type Obj = Record<string, unknown>;

function isObject(value: unknown): value is Obj {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

export async function loadRunFile(path: string): Promise<RunResult> {
  const value = readJsonFile(path);
  if (isObject(value) && 'format' in value) {
    const repro = validateRepro(value, path);
    const result = await replayRepro(repro);
    if (result.traceHash !== repro.traceHash)
      printErr(
        `warning: ${path} no longer replays identically (trace ${result.traceHash}); reporting the run as it is now`,
      );
    return result;
  }
  return checkRunResult(value, path);
}

/** Enough checks that the renderers get what they read; the rest of a result is trusted as written. */
function checkRunResult(value: unknown, path: string): RunResult {
  const bad = (field: string, detail: string): never => {
    throw new ReproError(field, `${detail} (expected a repro file or a run result.json)`, path);
  };
  if (!isObject(value)) return bad('(root)', 'not an object');
  if (typeof value.seed !== 'number') bad('seed', 'missing or not a number');
  if (typeof value.verdict !== 'string') bad('verdict', 'missing or not a string');
  if (typeof value.traceHash !== 'string') bad('traceHash', 'missing or not a string');
  if (!isObject(value.version)) bad('version', 'missing or not an object');
  if (!isObject(value.faultCounts)) bad('faultCounts', 'missing or not an object');
  if (!Array.isArray(value.violations)) bad('violations', 'missing or not an array');
  if (!Array.isArray(value.trace)) bad('trace', 'missing or not an array');
  if (!isObject(value.history) || !Array.isArray(value.history.entries))
    bad('history.entries', 'missing or not an array');
  try {
    validateScenario(value.scenario);
  } catch (err) {
    if (err instanceof ScenarioError) bad(err.field === '(root)' ? 'scenario' : `scenario.${err.field}`, err.detail);
    throw err;
  }
  return value as unknown as RunResult;
}
