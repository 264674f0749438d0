/**
 * How one run is shown: a compact JSON object for scripts (never the trace or the history, which
 * can be megabytes) and a few readable lines for people.
 */
import type { RunResult } from '../sim/index.ts';
import { visibleText } from './terminal-text.ts';
import { MAX_RUN_TRACE_ENTRIES } from '../scenarios/index.ts';
import { notCheckedRows } from '../reports/index.ts';

/** Properties shown in text mode; each with its count and first message, all are in the repro and report. */
const SHOWN_PROPERTIES = 12;

export function runJson(result: RunResult): Record<string, unknown> {
  return {
    verdict: result.verdict,
    violations: result.violations.map(({ property, message, subject }) => ({ property, message, subject })),
    properties: result.properties,
    traceHash: result.traceHash,
    seed: result.seed,
    version: result.version,
    scenario: result.scenario.name,
    scenarioHash: result.scenarioHash,
    virtualMs: result.virtualMs,
    wallMs: result.wallMs,
    steps: result.steps,
    faultCounts: result.faultCounts,
    ...(result.faultsNotApplicable === undefined ? {} : { faultsNotApplicable: result.faultsNotApplicable }),
    probes: result.probes,
    ...(result.harnessError === undefined ? {} : { harnessError: result.harnessError }),
  };
}

export function runText(result: RunResult): string[] {
  const fired = Object.entries(result.faultCounts).filter(([, n]) => n > 0);
  const lines = [
    `${result.verdict}: scenario ${result.scenario.name}, seed ${result.seed}, ` +
      `version ${visibleText(result.version.name)}`,
    `  trace ${result.traceHash}  ` +
      `(${result.steps} steps, ${(result.virtualMs / 1000).toFixed(1)}s virtual, ${result.wallMs}ms wall)`,
    `  faults fired: ${fired.length === 0 ? 'none' : fired.map(([kind, n]) => `${kind} x${n}`).join(', ')}`,
  ];
  const notApplicable = Object.entries(result.faultsNotApplicable ?? {});
  if (notApplicable.length > 0)
    lines.push(
      `  not applicable (the server lacks what they need): ` +
        notApplicable.map(([kind, needs]) => `${kind} (needs ${needs.join(', ')})`).join(', '),
    );
  if (result.verdict === 'step-limit') lines.push(`  ${stepLimitText(result)}`);
  if (result.harnessError) lines.push(`  harness error: ${visibleText(result.harnessError)}`);
  lines.push(...violationLines(result));
  // A property the run could not check is said as such: a passed verdict does not cover it.
  lines.push(...notCheckedRows(result.properties).map(({ id, text }) => `  ${id}: ${text}`));
  return lines;
}

/** Which bound ended a step-limit run: the scenario's step limit or the budget of every run. */
function stepLimitText(result: Pick<RunResult, 'steps' | 'traceLength' | 'scenario'>): string {
  if (result.traceLength >= MAX_RUN_TRACE_ENTRIES)
    return (
      `stopped at the work budget: ${result.traceLength} trace entries, ` +
      `limit ${MAX_RUN_TRACE_ENTRIES} (MAX_RUN_TRACE_ENTRIES)`
    );
  return `stopped at the step limit: ${result.steps} steps, limit ${result.scenario.stepLimit} (scenario stepLimit)`;
}

/** 0 when the run passed, 1 for any failure (a violation, liveness, crash or step limit). */
export function exitCodeOf(verdict: RunResult['verdict']): number {
  return verdict === 'passed' ? 0 : 1;
}

/** One line per violated property (count and first message): a buggy run can have thousands. */
function violationLines(result: RunResult): string[] {
  const byProperty = new Map<string, { count: number; first: string }>();
  for (const v of result.violations) {
    const known = byProperty.get(v.property);
    if (known) known.count += 1;
    else byProperty.set(v.property, { count: 1, first: v.message });
  }
  return [...byProperty]
    .slice(0, SHOWN_PROPERTIES)
    .map(([property, { count, first }]) => `  ${property}${count > 1 ? ` x${count}` : ''}: ${visibleText(first)}`);
}
