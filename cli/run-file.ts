/**
 * What `ssesim report` accepts: a repro (rerun to get the full result) or a run result written
 * by `ssesim run --out` (result.json, rendered as it is). Anything else is a one-line error.
 */
import { problemsOf } from '../scenarios/index.ts';
import { readJsonFile } from '../scenarios/index.ts';
import type { RunResult } from '../sim/index.ts';
import { ReproError } from '../sim/files/index.ts';
import { replayRepro, validateRepro } from '../sim/files/index.ts';
import { printErr } from './output.ts';
import { RunResultSchema } from './run-result-schema.ts';

function isObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** A repro reruns on the transport it recorded, or on `transport` (a module path) when given. */
export async function loadRunFile(path: string, transport?: string): Promise<RunResult> {
  const value = readJsonFile(path, ReproError);
  if (isObject(value) && 'format' in value) {
    const repro = validateRepro(value, path);
    const result = await replayRepro(repro, { source: path, onWarning: printErr, transport });
    if (result.traceHash !== repro.traceHash)
      printErr(
        `warning: ${path} no longer replays identically (trace ${result.traceHash}); reporting the run as it is now`,
      );
    return result;
  }
  return checkRunResult(value, path);
}

/** The result as written, once it is known to hold what the renderers read, each field within its bound. */
function checkRunResult(value: unknown, path: string): RunResult {
  const problems = RunResultSchema.safeParse(value);
  if (problems.success) return value as RunResult;
  // Said once, after the problems: a file that is neither a repro nor a result is the likelier mistake.
  const note = 'expected a repro file or a run result.json';
  throw new ReproError(problemsOf(problems.error.issues, RunResultSchema, value), path, note);
}
