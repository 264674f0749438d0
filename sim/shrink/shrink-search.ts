/**
 * The search behind shrinkRun: walks over the scenario's neighbours (shrink-candidates.ts). A
 * smaller scenario shifts the random draws, so the way to a smaller run often leads through
 * neighbours that fail the same way without being smaller. A walk therefore moves to the first
 * neighbour that still fails with the signature, whatever its size (a stepping stone), but keeps
 * a run as the counterexample only when it is strictly smaller than the best kept so far (and
 * passes `sameFailure`); the changes since the walk's last kept run are reported together, as
 * one change. A change rejected in a pass is not retried until the next pass, which starts again
 * from the kept run; a pass that keeps nothing ends the walk (a fixpoint). Every move reduces
 * some part of the scenario, so a pass cannot go round in circles.
 */
import type { Scenario } from '../../scenarios/index.ts';
import { runScenario, transportVersionOf } from '../index.ts';
import type { RunResult } from '../index.ts';
import { shrinkCandidates, type CandidateOrder, type ShrinkCandidate } from './shrink-candidates.ts';
import { isStrictlySmaller, type CounterexampleSize } from './counterexample-size.ts';
import { ShrinkCache, type RunSummary } from './shrink-cache.ts';
import type { OmittableEvent } from './omittable-events.ts';
import type { ShrinkOptions } from './shrink.ts';

export const DEFAULT_SHRINK_RUNS = 200;
/**
 * The walks a shrink takes, one after the other from the initial run, each with the budget the
 * ones before left; the second keeps only runs smaller than the best of the first. Which way
 * leads lower differs from run to run: cutting counts and phases first keeps the fault mix that
 * made the failure, dropping fault kinds one by one first finds the few the failure needs.
 */
const WALK_ORDERS: readonly CandidateOrder[] = ['fields-first', 'drops-first'];

export interface SearchState {
  scenario: Scenario;
  size: CounterexampleSize;
  faultCounts: RunResult['faultCounts'];
  events: readonly OmittableEvent[];
  /** The changes since the run this walk kept last. */
  path: string[];
}

export interface KeptState extends SearchState {
  result: RunResult;
  /** The changes from the initial scenario, one entry per kept run of the walk that found it. */
  steps: string[];
}

type Outcome =
  | { kind: 'kept'; state: SearchState & { result: RunResult } }
  | { kind: 'stone'; state: SearchState }
  | { kind: 'rejected' };

export interface SearchResult {
  kept: KeptState;
  runs: number;
  tried: number;
  fixpoint: boolean;
}

export class ShrinkSearch {
  private readonly cache: ShrinkCache;
  private readonly runScenario: (scenario: Scenario) => Promise<RunResult>;
  private readonly maxRuns: number;
  private runs = 0;
  private tried = 0;
  private keptCount = 0;
  private best!: KeptState;
  private signature = '';

  constructor(private readonly options: ShrinkOptions) {
    const version = transportVersionOf(options.version);
    const { seed, factory } = options;
    this.runScenario = options.run ?? ((scenario) => runScenario({ scenario, seed, version, factory }));
    this.cache = options.cache ?? new ShrinkCache();
    this.maxRuns = options.maxRuns ?? DEFAULT_SHRINK_RUNS;
  }

  async runOnce(scenario: Scenario): Promise<{ summary: RunSummary; result: RunResult }> {
    this.runs += 1;
    const result = await this.runScenario(scenario);
    return { summary: this.cache.remember(this.key(scenario), scenario, result), result };
  }

  /** Shrinks `initial`, a failing run, keeping `signature`. */
  async shrink(initial: KeptState, signature: string): Promise<SearchResult> {
    [this.best, this.signature] = [initial, signature];
    let fixpoint = false;
    for (const order of WALK_ORDERS) {
      fixpoint = await this.walk(initial, order);
      if (!fixpoint) break;
    }
    return { kept: this.best, runs: this.runs, tried: this.tried, fixpoint };
  }

  /** One walk from `start`: true when it ended at a fixpoint, false when the budget or a stop ended it. */
  private async walk(start: KeptState, order: CandidateOrder): Promise<boolean> {
    let base = start;
    let position: SearchState = start;
    // A change rejected in a pass is not retried until a pass starts again from a kept run.
    let rejected = new Set<string>();
    // Two changes can undo each other (dropping a kind also drops its omissions), so a walk never
    // steps onto a scenario it has stood on: without this, cached stones could go round forever.
    const visited = new Set([this.key(start.scenario)]);
    let keptThisPass = false;
    while (this.canRun()) {
      const candidate = shrinkCandidates(position.scenario, position.faultCounts, order, position.events).find(
        (c) => !rejected.has(c.change) && !visited.has(this.key(c.scenario)),
      );
      if (candidate === undefined) {
        if (!keptThisPass) return true;
        [position, rejected, keptThisPass] = [base, new Set(), false];
        continue;
      }
      this.tried += 1;
      const outcome = await this.judge(position, candidate);
      if (outcome.kind !== 'rejected') visited.add(this.key(candidate.scenario));
      if (outcome.kind === 'kept') {
        base = this.keep(outcome.state, base);
        [position, keptThisPass] = [base, true];
      } else if (outcome.kind === 'stone') {
        position = outcome.state;
      } else {
        rejected.add(candidate.change);
      }
      const progress = { tried: this.tried, runs: this.runs, accepted: this.keptCount, size: this.best.size };
      this.options.onProgress?.(progress);
    }
    return false;
  }

  private canRun(): boolean {
    return this.runs < this.maxRuns && !(this.options.shouldStop?.() ?? false);
  }

  private key(scenario: Scenario): string {
    return ShrinkCache.key(scenario, this.options.seed, this.options.version);
  }

  /** Makes `state`, found on a walk from `base`, the counterexample. */
  private keep(state: SearchState & { result: RunResult }, base: KeptState): KeptState {
    const change = state.path.join(' + ');
    this.best = { ...state, path: [], steps: [...base.steps, change] };
    this.keptCount += 1;
    this.options.onAccept?.(change, state.result);
    return this.best;
  }

  private async evaluate(scenario: Scenario): Promise<{ summary: RunSummary; result?: RunResult }> {
    const key = this.key(scenario);
    const summary = this.cache.summary(key);
    if (summary === undefined) return this.runOnce(scenario);
    const result = this.cache.result(key);
    return result ? { summary, result } : { summary };
  }

  /** Runs (or looks up) `candidate`, a neighbour of `from`, and judges it against the best kept so far. */
  private async judge(from: SearchState, candidate: ShrinkCandidate): Promise<Outcome> {
    const { summary, result } = await this.evaluate(candidate.scenario);
    if (!summary.signatures.includes(this.signature)) return { kind: 'rejected' };
    const { scenario } = candidate;
    const path = [...from.path, candidate.change];
    const { size, faultCounts, events } = summary;
    const state = { scenario, size, faultCounts, events, path };
    if (!isStrictlySmaller(summary.size, this.best.size)) return { kind: 'stone', state };
    // A summary from the cache says the run would be kept; a finer check needs the run itself.
    const full = result ?? (await this.runOnce(scenario)).result;
    if (!(await (this.options.sameFailure?.(full) ?? true))) return { kind: 'rejected' };
    return { kind: 'kept', state: { ...state, result: full } };
  }
}
