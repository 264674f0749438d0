/**
 * Shrinking a failing run while keeping its seed: try the smaller neighbours of the scenario
 * (shrink-candidates.ts) and keep one when the run still fails with the same signature, until no
 * neighbour fails (a fixpoint) or the run budget is spent. The seed stays fixed so the shrunk
 * scenario replays with the same command; a smaller scenario shifts the random draws, which is
 * why every candidate is checked by running it rather than assumed.
 */
import type { Scenario } from '../../scenarios/index.ts';
import { runScenario } from '../index.ts';
import type { RunResult, RunVersion } from '../index.ts';
import { runSignatures } from '../index.ts';
import { shrinkCandidates } from './shrink-candidates.ts';
import { transportVersionOf } from '../index.ts';
import type { TransportFactory } from '../world/index.ts';

export const DEFAULT_SHRINK_RUNS = 200;

export interface ShrinkOptions {
  scenario: Scenario;
  seed: number;
  version: RunVersion;
  /** The transport under test; the bundled one by default. */
  factory?: TransportFactory;
  /** The failure to keep (failure-signature.ts); defaults to the first signature of the initial run. */
  signature?: string;
  maxRuns?: number;
  /** The already-known failing result of `scenario`, which saves one run. */
  initial?: RunResult;
  /** Runs one candidate; tests inject a fake, everyone else gets the simulator. */
  run?: (scenario: Scenario) => Promise<RunResult>;
  onAccept?: (change: string, result: RunResult) => void;
  /** Polled before each candidate run (Ctrl-C): true ends the shrink with what it has. */
  shouldStop?: () => boolean;
}

export interface RunSize {
  faultsFired: number;
  steps: number;
}

export interface ShrinkResult {
  signature: string;
  scenario: Scenario;
  /** The failing run of the shrunk scenario. */
  result: RunResult;
  changes: string[];
  runs: number;
  /** False when the run budget ran out before a fixpoint was reached. */
  fixpoint: boolean;
  before: RunSize;
  after: RunSize;
}

export function runSize(result: RunResult): RunSize {
  const faultsFired = Object.values(result.faultCounts).reduce((sum, n) => sum + n, 0);
  return { faultsFired, steps: result.steps };
}

/** Thrown when the run to shrink does not fail (or not with the requested signature). */
export class NotFailingError extends Error {
  constructor(readonly signature: string | undefined) {
    super(signature ? `the run does not fail with ${signature}` : 'the run passes; there is nothing to shrink');
    this.name = 'NotFailingError';
  }
}

export async function shrinkRun(options: ShrinkOptions): Promise<ShrinkResult> {
  const version = transportVersionOf(options.version);
  const { seed, factory } = options;
  const run = options.run ?? ((scenario: Scenario) => runScenario({ scenario, seed, version, factory }));
  const maxRuns = options.maxRuns ?? DEFAULT_SHRINK_RUNS;
  let runs = 0;
  const initial = options.initial ?? (runs++, await run(options.scenario));
  let result = initial;
  const signature = options.signature ?? runSignatures(result)[0];
  if (signature === undefined || !runSignatures(result).includes(signature))
    throw new NotFailingError(options.signature);
  let scenario = options.scenario;
  const changes: string[] = [];
  let fixpoint = false;
  // A change rejected in this pass is not retried until some other change has been kept.
  let rejected = new Set<string>();
  let keptThisPass = false;
  while (runs < maxRuns && !(options.shouldStop?.() ?? false)) {
    const candidate = shrinkCandidates(scenario).find((c) => !rejected.has(c.change));
    if (candidate === undefined) {
      if (!keptThisPass) {
        fixpoint = true;
        break;
      }
      rejected = new Set();
      keptThisPass = false;
      continue;
    }
    runs++;
    const next = await run(candidate.scenario);
    if (runSignatures(next).includes(signature)) {
      scenario = candidate.scenario;
      result = next;
      changes.push(candidate.change);
      keptThisPass = true;
      options.onAccept?.(candidate.change, next);
    } else {
      rejected.add(candidate.change);
    }
  }
  return { signature, scenario, result, changes, runs, fixpoint, before: runSize(initial), after: runSize(result) };
}
