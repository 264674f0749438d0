/**
 * `ssesim score`: the harness's power as a table (sim/score.ts). Exit 0 when every defect scored
 * was found, 1 when one was missed: a miss is the harness failing, as a violation is the code failing.
 */
import type { DefectId } from '../transport/index.ts';
import {
  DEFAULT_SCORE_SEED,
  DEFAULT_SCORE_SHRINK_RUNS,
  runScore,
  type DefectScore,
  type ScoreResult,
} from '../sim/campaign/index.ts';
import { loadTransportModule, writeRegression } from '../sim/files/index.ts';
import { UsageError } from './usage-error.ts';
import { printErr, printJson, printOut } from './output.ts';

export interface ScoreCommandOptions {
  json?: boolean;
  /** Runs per defect and per version campaign. */
  runs?: number;
  /** Wall seconds per defect and per version campaign, on top of the run budget. */
  budgetS?: number;
  seed?: number;
  defect?: DefectId[];
  shrinkRuns?: number;
  /** commander's --no-versions sets this false. */
  versions?: boolean;
  /** Write each shrunk finding to scenarios/regressions/<defect>.json unless that file exists. */
  promote?: boolean;
  /** A transport module whose defect switches to score; the bundled transport without it. */
  transport?: string;
  /** Steer generation toward rarely hit coverage probes. */
  steer?: boolean;
}

/** What a shrunk counterexample should come to: a median of at most 5 steps, none over 20. */
const MEDIAN_STEPS_TARGET = 5;
const STEPS_TARGET_MAX = 20;

const SCORE_METHOD = [
  'Each defect alone on top of fixed, fuzzed with generated scenarios ' +
    '(run i: seed base + i, scenario drawn from scenarioArb with that seed).',
  'Budget: a number of runs, so what is found depends on the seed alone; --budget-s adds a wall-time limit.',
  'Found: the first run that violates a property the catalogue names for the defect ' +
    'while the control (same send path, no defect) passes the same scenario and seed.',
  'Steps: faults fired + user actions (prompts, control messages, permission answers) in the shrunk counterexample.',
  'Versions: a campaign on the whole version finds a defect only when it is the culprit of some failure: ' +
    'rerun on its shrunk scenario and seed, the defect alone on fixed (or, when no single defect does, ' +
    'a smallest combination with it) reproduces the same failure signature while fixed passes.',
];

export async function scoreCommand(options: ScoreCommandOptions): Promise<number> {
  // Regressions are the bundled transport's own tests: another transport's finding is no regression of it.
  if (options.promote && options.transport !== undefined)
    throw new UsageError(`--promote saves regressions of the bundled transport, not of ${options.transport}`);
  const transport = options.transport === undefined ? null : await loadTransportModule(options.transport);
  const result = await runScore({
    factory: transport?.factory,
    ...(options.runs === undefined ? {} : { maxRuns: options.runs }),
    ...(options.budgetS === undefined ? {} : { budgetS: options.budgetS }),
    baseSeed: options.seed ?? DEFAULT_SCORE_SEED,
    shrinkRuns: options.shrinkRuns ?? DEFAULT_SCORE_SHRINK_RUNS,
    ...(options.steer ? { steer: true } : {}),
    ...(options.defect && options.defect.length > 0 ? { defects: options.defect } : {}),
    // Scoring chosen defects is a quick check; whole versions only when asked for all of them.
    ...(options.versions === false || (options.defect?.length ?? 0) > 0 ? { versions: [] } : {}),
    onDefect: options.json
      ? undefined
      : (d) => printErr(`  ${d.found ? 'found' : 'MISSED'} ${d.defect} after ${d.runs} runs, ${d.wallS} s`),
  });
  if (options.promote) promoteFindings(result);
  if (options.json) printJson({ method: SCORE_METHOD, ...result, target: stepsTarget(result) });
  else scoreText(result).forEach((line) => printOut(line));
  return result.foundCount === result.defects.length ? 0 : 1;
}

function promoteFindings(result: ScoreResult): void {
  for (const d of result.defects) {
    if (!d.found || !d.shrunk || d.property === undefined || d.seed === undefined) continue;
    const regression = {
      format: 'ssesim-regression' as const,
      formatVersion: 1 as const,
      defect: d.defect,
      property: d.property,
      seed: d.seed,
      scenario: d.shrunk.scenario,
      message: d.shrunk.message,
    };
    const path = writeRegression(regression);
    printErr(path ? `  promoted ${d.defect} to ${path}` : `  kept the existing regression of ${d.defect}`);
  }
}

function defectRow(d: DefectScore): string {
  const shrunk = d.shrunk ? `${d.shrunk.steps} (${d.shrunk.faultsFired}+${d.shrunk.userActions})` : '-';
  const cells = [
    d.defect.padEnd(28),
    (d.found ? 'yes' : 'NO').padEnd(6),
    (d.property ?? '-').padEnd(17),
    String(d.runs).padStart(5),
    d.wallS.toFixed(2).padStart(7),
    '  ',
    shrunk,
  ];
  return cells.join(' ');
}

function maxText(result: ScoreResult): string {
  return result.maxShrunkSteps ? `${result.maxShrunkSteps.steps} (${result.maxShrunkSteps.defect})` : '-';
}

interface StepsTarget {
  medianStepsMax: number;
  stepsMax: number;
  medianMet: boolean | null;
  /** Shrunk counterexamples over stepsMax: acceptable only where the defect's threshold needs volume. */
  over: { defect: DefectId; steps: number; property?: string }[];
}

function stepsTarget(result: ScoreResult): StepsTarget {
  const over = result.defects.flatMap((d) =>
    d.shrunk && d.shrunk.steps > STEPS_TARGET_MAX
      ? [{ defect: d.defect, steps: d.shrunk.steps, ...(d.property ? { property: d.property } : {}) }]
      : [],
  );
  const median = result.medianShrunkSteps;
  return {
    medianStepsMax: MEDIAN_STEPS_TARGET,
    stepsMax: STEPS_TARGET_MAX,
    medianMet: median === null ? null : median <= MEDIAN_STEPS_TARGET,
    over,
  };
}

function targetText(target: StepsTarget): string {
  const median = target.medianMet === null ? 'no shrunk counterexample' : target.medianMet ? 'met' : 'MISSED';
  const over =
    target.over.length === 0
      ? 'none'
      : target.over.map((o) => `${o.defect} ${o.steps}${o.property ? ` (${o.property})` : ''}`).join(', ');
  return (
    `target: median shrunk steps <= ${target.medianStepsMax}: ${median}; ` +
    `over ${target.stepsMax} steps (only a threshold that needs volume may be): ${over}`
  );
}

function scoreText(result: ScoreResult): string[] {
  const lines = [
    `score: seed base ${result.baseSeed}, budget ${result.maxRuns} runs` +
      (result.budgetS === null ? '' : ` or ${result.budgetS} s, whichever comes first,`) +
      ' per defect and per version' +
      (result.steered ? ', steered toward rare coverage probes' : ''),
    ...SCORE_METHOD.map((line) => `  ${line}`),
    '',
  ];
  lines.push(
    [
      'defect'.padEnd(28),
      'found ',
      'property'.padEnd(17),
      ' runs',
      ' wall s',
      '  ',
      'shrunk steps (faults+actions)',
    ].join(' '),
  );
  for (const d of result.defects) lines.push(defectRow(d));
  lines.push(
    '',
    `found ${result.foundCount} of ${result.defects.length}; median shrunk steps ${result.medianShrunkSteps ?? '-'}, ` +
      `max ${maxText(result)}; ${result.wallS} s in all`,
    targetText(stepsTarget(result)),
  );
  for (const v of result.versions) {
    const missed = v.missed.length === 0 ? '' : `; missed ${v.missed.join(', ')}`;
    const signatures = `${v.attributions.length} failure signature${v.attributions.length === 1 ? '' : 's'} attributed`;
    const found = `found ${v.found.length} of ${v.found.length + v.missed.length}`;
    lines.push(`  ${v.version.padEnd(9)} ${v.runs} runs, ${v.wallS} s, ${signatures}: ${found}${missed}`);
  }
  return lines;
}
