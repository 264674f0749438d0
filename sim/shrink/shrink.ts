/**
 * Shrinking a failing run while keeping its seed: try the smaller neighbours of the scenario
 * (shrink-candidates.ts) and keep one only when its run
 *   - still fails with the same signature (failure-signature.ts),
 *   - is strictly smaller by the size order of counterexample-size.ts, and
 *   - passes the caller's `sameFailure` check, if any (the place for a finer notion of "the
 *     same bug", such as the culprit that caused it),
 * until no neighbour is kept (a fixpoint; shrink-search.ts says how neighbours are walked) or
 * the run budget is spent. A smaller scenario shifts the random draws, so its run can be larger
 * than the one it came from; every candidate is therefore run and measured rather than assumed
 * smaller, and a shrink never returns a larger counterexample than it was given. The seed stays
 * fixed so the shrunk scenario replays with the same command.
 */
import type { Scenario } from '../../scenarios/index.ts';
import { runSignatures, signatureProperty } from '../index.ts';
import type { RunResult, RunVersion } from '../index.ts';
import { counterexampleSize, type CounterexampleSize } from './counterexample-size.ts';
import type { ShrinkCache } from './shrink-cache.ts';
import { ShrinkSearch } from './shrink-search.ts';
import { omittableEvents } from './omittable-events.ts';
import type { TransportFactory } from '../world/index.ts';

export { DEFAULT_SHRINK_RUNS } from './shrink-search.ts';

export interface ShrinkOptions {
  scenario: Scenario;
  seed: number;
  version: RunVersion;
  /** The transport under test; the bundled one by default. */
  factory?: TransportFactory;
  /** The failure to keep (failure-signature.ts); defaults to the first signature of the initial run. */
  signature?: string;
  /** Without `signature`: keep the initial run's first signature about this property (or verdict). */
  property?: string;
  /**
   * A further test a run must pass to be kept, after the signature and the size order: where a
   * finer notion of the same bug plugs in (that the same culprit caused it, say). It may run
   * experiments of its own, hence a promise; shrink knows nothing of what it checks.
   */
  sameFailure?: (result: RunResult) => boolean | Promise<boolean>;
  maxRuns?: number;
  /** The already-known failing result of `scenario`, which saves one run. */
  initial?: RunResult;
  /** Runs one candidate; tests inject a fake, everyone else gets the simulator. */
  run?: (scenario: Scenario) => Promise<RunResult>;
  /** Shared by the shrinks of one process (shrink-cache.ts); only with the default `run`. */
  cache?: ShrinkCache;
  onAccept?: (change: string, result: RunResult) => void;
  /** After each candidate, for a progress line. */
  onProgress?: (progress: ShrinkProgress) => void;
  /** Polled before each candidate run (Ctrl-C): true ends the shrink with what it has. */
  shouldStop?: () => boolean;
}

export interface ShrinkProgress {
  /** Candidates tried, cached or run. */
  tried: number;
  /** Simulator runs made, the figure the budget bounds. */
  runs: number;
  /** Runs kept so far, each strictly smaller than the one before. */
  accepted: number;
  /** The size of the counterexample kept so far. */
  size: CounterexampleSize;
}

/** A run's size as reports print it; `steps` are simulator steps, the order's last key. */
export interface RunSize {
  faultsFired: number;
  userActions: number;
  steps: number;
}

export interface ShrinkResult {
  signature: string;
  scenario: Scenario;
  /** The failing run of the shrunk scenario. */
  result: RunResult;
  /** From the initial scenario to the shrunk one: per kept run, the changes that led to it, joined by ` + `. */
  changes: string[];
  /** Simulator runs made (cache hits excluded). */
  runs: number;
  /** Candidates tried, including those the cache answered. */
  tried: number;
  /** False when the run budget ran out before a fixpoint was reached. */
  fixpoint: boolean;
  before: RunSize;
  after: RunSize;
}

function runSize(size: CounterexampleSize): RunSize {
  return { faultsFired: size.faultsFired, userActions: size.userActions, steps: size.simSteps };
}

/** Thrown when the run to shrink does not fail (or not with the requested signature or property). */
export class NotFailingError extends Error {
  constructor(readonly wanted: string | undefined) {
    super(wanted ? `the run does not fail with ${wanted}` : 'the run passes; there is nothing to shrink');
    this.name = 'NotFailingError';
  }
}

/** The signature to keep: the one asked for, else the first about the property asked for, else the first. */
function chooseSignature(initial: RunResult, options: ShrinkOptions): string {
  const signatures = runSignatures(initial);
  const wanted = options.signature ?? options.property;
  const chosen =
    options.signature ??
    (options.property === undefined
      ? signatures[0]
      : signatures.find((s) => signatureProperty(s) === options.property));
  if (chosen === undefined || !signatures.includes(chosen)) throw new NotFailingError(wanted);
  return chosen;
}

export async function shrinkRun(options: ShrinkOptions): Promise<ShrinkResult> {
  const search = new ShrinkSearch(options);
  const initial = options.initial ?? (await search.runOnce(options.scenario)).result;
  const signature = chooseSignature(initial, options);
  const before = counterexampleSize(initial);
  const events = omittableEvents(options.scenario, initial.trace);
  const start = { scenario: options.scenario, result: initial, size: before, faultCounts: initial.faultCounts, events };
  const { kept, runs, tried, fixpoint } = await search.shrink({ ...start, path: [], steps: [] }, signature);
  const { scenario, result, steps: changes } = kept;
  return {
    signature,
    scenario,
    result,
    changes,
    runs,
    tried,
    fixpoint,
    before: runSize(before),
    after: runSize(kept.size),
  };
}
