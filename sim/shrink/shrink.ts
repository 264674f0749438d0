/**
 * Shrinking a failing run while keeping its seed: try the smaller neighbours of the scenario
 * (shrink-candidates.ts) and keep one only when its run
 *   - still fails with the same signature (failure-signature.ts),
 *   - is strictly smaller by the size order of counterexample-size.ts, and
 *   - passes the caller's `sameFailure` check, if any (the place for a finer notion of "the
 *     same bug", such as the culprit that caused it),
 * until no neighbour is kept (a fixpoint) or the run budget is spent. A smaller scenario shifts
 * the random draws, so its run can be larger than the one it came from; every candidate is
 * therefore run and measured rather than assumed smaller, and a shrink never returns a larger
 * counterexample than it was given. The seed stays fixed so the shrunk scenario replays with
 * the same command.
 */
import type { Scenario } from '../../scenarios/index.ts';
import { runScenario, runSignatures, signatureProperty, transportVersionOf } from '../index.ts';
import type { RunResult, RunVersion } from '../index.ts';
import { shrinkCandidates, type ShrinkCandidate } from './shrink-candidates.ts';
import { counterexampleSize, isStrictlySmaller, type CounterexampleSize } from './counterexample-size.ts';
import { ShrinkCache, type RunSummary } from './shrink-cache.ts';

export const DEFAULT_SHRINK_RUNS = 200;

export interface ShrinkOptions {
  scenario: Scenario;
  seed: number;
  version: RunVersion;
  /** The failure to keep (failure-signature.ts); defaults to the first signature of the initial run. */
  signature?: string;
  /** Without `signature`: keep the initial run's first signature about this property (or verdict). */
  property?: string;
  /** A further test a kept candidate's run must pass, e.g. that the same culprit caused it. */
  sameFailure?: (result: RunResult) => boolean;
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
  accepted: number;
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

export function runSize(size: CounterexampleSize): RunSize {
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
  const shrinker = new Shrinker(options);
  const initial = options.initial ?? (await shrinker.runOnce(options.scenario)).result;
  return shrinker.shrinkFrom(initial, chooseSignature(initial, options));
}

interface Evaluated {
  summary: RunSummary;
  /** Absent when the cache had only the summary. */
  result?: RunResult;
}

class Shrinker {
  private readonly cache: ShrinkCache;
  private readonly runScenario: (scenario: Scenario) => Promise<RunResult>;
  private readonly maxRuns: number;
  private runs = 0;
  private tried = 0;

  constructor(private readonly options: ShrinkOptions) {
    const version = transportVersionOf(options.version);
    this.runScenario = options.run ?? ((scenario) => runScenario({ scenario, seed: options.seed, version }));
    this.cache = options.cache ?? new ShrinkCache();
    this.maxRuns = options.maxRuns ?? DEFAULT_SHRINK_RUNS;
  }

  private key(scenario: Scenario): string {
    return ShrinkCache.key(scenario, this.options.seed, this.options.version);
  }

  async runOnce(scenario: Scenario): Promise<{ summary: RunSummary; result: RunResult }> {
    this.runs += 1;
    const result = await this.runScenario(scenario);
    return { summary: this.cache.remember(this.key(scenario), result), result };
  }

  private async evaluate(scenario: Scenario): Promise<Evaluated> {
    const key = this.key(scenario);
    const summary = this.cache.summary(key);
    if (summary === undefined) return this.runOnce(scenario);
    const result = this.cache.result(key);
    return result ? { summary, result } : { summary };
  }

  /** The candidate's failing run when it is kept, else null. */
  private async accepts(candidate: ShrinkCandidate, signature: string, current: CounterexampleSize) {
    const { summary, result } = await this.evaluate(candidate.scenario);
    if (!summary.signatures.includes(signature) || !isStrictlySmaller(summary.size, current)) return null;
    const full = result ?? (await this.runOnce(candidate.scenario)).result;
    return (this.options.sameFailure?.(full) ?? true) ? full : null;
  }

  async shrinkFrom(initial: RunResult, signature: string): Promise<ShrinkResult> {
    const { options } = this;
    const before = counterexampleSize(initial);
    let current = { scenario: options.scenario, result: initial, size: before };
    const changes: string[] = [];
    let fixpoint = false;
    // A change rejected in this pass is not retried until some other change has been kept.
    let rejected = new Set<string>();
    let keptThisPass = false;
    while (this.runs < this.maxRuns && !(options.shouldStop?.() ?? false)) {
      const candidate = shrinkCandidates(current.scenario).find((c) => !rejected.has(c.change));
      if (candidate === undefined) {
        if (!keptThisPass) {
          fixpoint = true;
          break;
        }
        [rejected, keptThisPass] = [new Set(), false];
        continue;
      }
      this.tried += 1;
      const kept = await this.accepts(candidate, signature, current.size);
      if (kept) {
        current = { scenario: candidate.scenario, result: kept, size: counterexampleSize(kept) };
        changes.push(candidate.change);
        keptThisPass = true;
        options.onAccept?.(candidate.change, kept);
      } else {
        rejected.add(candidate.change);
      }
      options.onProgress?.({ tried: this.tried, runs: this.runs, accepted: changes.length, size: current.size });
    }
    const { scenario, result, size } = current;
    const [runs, tried, after] = [this.runs, this.tried, runSize(size)];
    return { signature, scenario, result, changes, runs, tried, fixpoint, before: runSize(before), after };
  }
}
