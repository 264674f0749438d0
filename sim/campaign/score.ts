/**
 * The harness's power, measured: for each catalogued defect alone on top of `fixed`, how many
 * generated runs (scenarioArb, run i = seed base + i) it takes until one violates a property the
 * catalogue names for that defect, and how small that counterexample shrinks; then, for each
 * historical version, which of its defects a campaign on the whole version finds to be the
 * culprit of some failure (score-version.ts).
 *
 * A finding counts only when the control passes the same scenario and seed: `fixed` on the
 * defect's send path (a legacy-path defect needs the legacy path, which is correct without
 * defects). A violation the control also shows is the harness's noise, not the defect's signal.
 */
import type { PropertyId } from '../../model/index.ts';
import { cataloguedProperties } from '../../scenarios/index.ts';
import { DEFECTS, type DefectId, type VersionName } from '../../transport/index.ts';
import type { Scenario } from '../../scenarios/index.ts';
import { wallClockMs } from '../core/index.ts';
import { assert } from '../core/index.ts';
import { campaignScenario, campaignSeed } from './campaign-run.ts';
import { runScenario } from '../index.ts';
import type { RunResult } from '../index.ts';
import { runVersionOf } from '../index.ts';
import { violationSignature } from '../index.ts';
import { shrinkRun } from '../shrink/index.ts';
import { counterexampleSize, type CounterexampleSize } from '../shrink/index.ts';
import { regressionControl, regressionVersion } from '../files/index.ts';
import type { TransportFactory } from '../world/index.ts';
import { scoreVersion, type VersionScore } from './score-version.ts';
import { culpritKeeper } from './culprit-keeper.ts';
import { ScenarioSteering } from './steering.ts';

const SCORE_VERSIONS = ['base', 'pr396-r1', 'pr396'] as const satisfies readonly VersionName[];
/**
 * Runs per defect and per version campaign: a count, not a time, so whether a defect is found
 * depends on the seed alone, never on the machine. The slowest defect to find takes a few hundred.
 */
export const DEFAULT_SCORE_RUNS = 1000;
export const DEFAULT_SCORE_SEED = 1;
/** Shrink runs per finding: enough to reach a fixpoint on generated scenarios most of the time. */
export const DEFAULT_SCORE_SHRINK_RUNS = 400;

export interface ScoreOptions {
  defects?: readonly DefectId[];
  /** Wall seconds per defect (and per version campaign) before giving up; none by default. */
  budgetS?: number;
  baseSeed?: number;
  /** Runs per defect (and per version campaign) before giving up: DEFAULT_SCORE_RUNS by default. */
  maxRuns?: number;
  shrinkRuns?: number;
  /** The transport whose defect switches are scored; the bundled one by default. */
  factory?: TransportFactory;
  /** Steer each hunt's generated scenarios toward rarely hit coverage probes (steering.ts). */
  steer?: boolean;
  /** Versions whose campaigns to run; none skips that part. */
  versions?: readonly VersionName[];
  onDefect?: (score: DefectScore) => void;
}

export interface DefectScore {
  defect: DefectId;
  /** The properties the catalogue names for the defect. */
  catalogued: PropertyId[];
  found: boolean;
  /** The catalogued property the finding violated. */
  property?: PropertyId;
  message?: string;
  seed?: number;
  /** Runs made, including the finding's own. */
  runs: number;
  wallS: number;
  /** Runs that violated a catalogued property but that `fixed` failed as well. */
  fixedAlsoFailed: number;
  /** The shrunk counterexample (same seed): its size, scenario and violation message. */
  shrunk?: CounterexampleSize & { scenario: Scenario; message: string; changes: number; fixpoint: boolean };
}

export interface ScoreResult {
  baseSeed: number;
  /** Runs per defect and per version campaign. */
  maxRuns: number;
  /** Wall seconds per defect and per version campaign, or null: no wall budget. */
  budgetS: number | null;
  defects: DefectScore[];
  versions: VersionScore[];
  foundCount: number;
  /** Whether the hunts were steered toward rare coverage probes. */
  steered: boolean;
  medianShrunkSteps: number | null;
  /** The largest shrunk counterexample's steps, and whose it is. */
  maxShrunkSteps: { steps: number; defect: DefectId } | null;
  wallS: number;
}

export async function runScore(options: ScoreOptions = {}): Promise<ScoreResult> {
  const startMs = wallClockMs();
  const budgetS = options.budgetS ?? Infinity;
  const maxRuns = options.maxRuns ?? DEFAULT_SCORE_RUNS;
  const baseSeed = options.baseSeed ?? DEFAULT_SCORE_SEED;
  const defects: DefectScore[] = [];
  for (const defect of options.defects ?? DEFECTS.map((d) => d.id)) {
    const score = await scoreDefect(defect, { ...options, budgetS, maxRuns, baseSeed });
    defects.push(score);
    options.onDefect?.(score);
  }
  const versions: VersionScore[] = [];
  for (const version of options.versions ?? SCORE_VERSIONS)
    versions.push(
      await scoreVersion(version, {
        budgetS,
        baseSeed,
        shrinkRuns: options.shrinkRuns ?? DEFAULT_SCORE_SHRINK_RUNS,
        maxRuns,
        factory: options.factory,
        ...(options.steer ? { steer: true } : {}),
      }),
    );
  const steps = defects.flatMap((d) => (d.shrunk ? [d.shrunk.steps] : [])).sort((a, b) => a - b);
  return {
    baseSeed,
    maxRuns,
    budgetS: Number.isFinite(budgetS) ? budgetS : null,
    defects,
    versions,
    foundCount: defects.filter((d) => d.found).length,
    steered: options.steer ?? false,
    medianShrunkSteps: medianOf(steps),
    maxShrunkSteps: largestShrunk(defects),
    wallS: seconds(wallClockMs() - startMs),
  };
}

type Resolved = ScoreOptions & { budgetS: number; maxRuns: number; baseSeed: number };

function seconds(ms: number): number {
  return Math.round(ms / 10) / 100;
}

function cataloguedViolation(result: RunResult, catalogued: readonly PropertyId[]) {
  return result.violations.find((v) => catalogued.includes(v.property));
}

async function scoreDefect(defect: DefectId, options: Resolved): Promise<DefectScore> {
  const catalogued = [...cataloguedProperties(defect)];
  const version = regressionVersion({ defect });
  const fixed = regressionControl({ defect });
  const spec = { version: runVersionOf(version), baseSeed: options.baseSeed };
  const startMs = wallClockMs();
  const deadlineMs = startMs + options.budgetS * 1000;
  let fixedAlsoFailed = 0;
  let runs = 0;
  const steering = options.steer ? new ScenarioSteering(spec) : undefined;
  while (wallClockMs() < deadlineMs && runs < options.maxRuns) {
    const scenario = steering?.scenarioFor(runs) ?? campaignScenario(spec, runs);
    const seed = campaignSeed(spec, runs);
    const result = await runScenario({ scenario, seed, version, factory: options.factory });
    steering?.learn(runs, result.probes);
    runs += 1;
    const violation = cataloguedViolation(result, catalogued);
    if (!violation) continue;
    if ((await runScenario({ scenario, seed, version: fixed, factory: options.factory })).verdict !== 'passed') {
      fixedAlsoFailed += 1;
      continue;
    }
    const wallS = seconds(wallClockMs() - startMs);
    const found = {
      defect,
      catalogued,
      found: true,
      property: violation.property,
      message: violation.message,
      seed,
      runs,
      wallS,
      fixedAlsoFailed,
    };
    const shrunk = await shrinkFinding(
      defect,
      result,
      violationSignature(violation),
      options.shrinkRuns ?? DEFAULT_SCORE_SHRINK_RUNS,
      options.factory,
    );
    return { ...found, ...(shrunk ? { shrunk } : {}) };
  }
  return { defect, catalogued, found: false, runs, wallS: seconds(wallClockMs() - startMs), fixedAlsoFailed };
}

/**
 * Shrinks under the finding's seed, keeping only candidates that still violate the same way with
 * the defect and pass on `fixed`, so the shrunk scenario is a regression for exactly this defect.
 */
async function shrinkFinding(
  defect: DefectId,
  initial: RunResult,
  signature: string,
  maxRuns: number,
  factory?: TransportFactory,
): Promise<DefectScore['shrunk']> {
  const version = { ...initial.version };
  // The culprit is known: the defect, alone on fixed, while fixed itself passes.
  const sameFailure = culpritKeeper({ seed: initial.seed, version, signature, sets: [[defect]] }, { factory });
  const message = (result: RunResult) =>
    result.violations.find((v) => violationSignature(v) === signature)?.message ?? '';
  if (maxRuns <= 0)
    return {
      ...counterexampleSize(initial),
      scenario: initial.scenario,
      message: message(initial),
      changes: 0,
      fixpoint: false,
    };
  const shrunk = await shrinkRun({
    scenario: initial.scenario,
    seed: initial.seed,
    version,
    signature,
    initial,
    maxRuns,
    factory,
    sameFailure,
  });
  return {
    ...counterexampleSize(shrunk.result),
    scenario: shrunk.scenario,
    message: message(shrunk.result),
    changes: shrunk.changes.length,
    fixpoint: shrunk.fixpoint,
  };
}

function largestShrunk(defects: readonly DefectScore[]): ScoreResult['maxShrunkSteps'] {
  let largest: ScoreResult['maxShrunkSteps'] = null;
  for (const d of defects)
    if (d.shrunk && d.shrunk.steps > (largest?.steps ?? -1)) largest = { steps: d.shrunk.steps, defect: d.defect };
  return largest;
}

/** The middle value of a sorted list (the lower one of an even count), or null for none. */
function medianOf(sorted: readonly number[]): number | null {
  if (sorted.length === 0) return null;
  const median = sorted[Math.floor((sorted.length - 1) / 2)];
  assert(median !== undefined, 'the middle index of a non-empty list is inside it');
  return median;
}
