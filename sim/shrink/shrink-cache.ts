/**
 * What shrink runs already showed, remembered across the findings of one process. A run is a
 * pure function of (scenario, seed, version), so two findings of one failing run (a campaign
 * groups a run's signatures into separate findings) walk through many of the same candidates,
 * and one shrink reaches some scenarios by two paths; each is run once.
 *
 * Every run leaves a summary (its signatures, size and fault counts), which is all a rejection needs. A full
 * result with its parsed trace is about a megabyte, so only the latest MAX_FULL_RESULTS are
 * kept whole; a candidate whose summary says it would be kept and whose result is gone is rerun.
 *
 * A cache belongs to one way of running a scenario: share it between shrinks that use the
 * simulator as it is (the default) on one transport, never between shrinks with different `run`
 * functions or transport factories.
 */
import type { Scenario } from '../../scenarios/index.ts';
import { scenarioHash } from '../../scenarios/index.ts';
import type { RunResult, RunVersion } from '../index.ts';
import { runSignatures } from '../index.ts';
import { counterexampleSize, type CounterexampleSize } from './counterexample-size.ts';
import { omittableEvents, type OmittableEvent } from './omittable-events.ts';

/** Enough for the accepted runs of a few shrinks in flight; each is about a megabyte. */
const MAX_FULL_RESULTS = 32;

export interface RunSummary {
  signatures: string[];
  size: CounterexampleSize;
  /** What the next candidates are built from (shrink-candidates.ts drops the kinds that never fired). */
  faultCounts: RunResult['faultCounts'];
  /** The run's single events that a neighbour may omit (omittable-events.ts). */
  events: OmittableEvent[];
}

export interface ShrinkCacheStats {
  /** Candidates answered from the cache. */
  hits: number;
  /** Runs summarised into it. */
  runs: number;
}

export class ShrinkCache {
  private readonly summaries = new Map<string, RunSummary>();
  /** In order of last use, oldest first. */
  private readonly results = new Map<string, RunResult>();
  readonly stats: ShrinkCacheStats = { hits: 0, runs: 0 };

  /** Field order in a version object never changes its key; a field added later (a transport) is part of it. */
  static key(scenario: Scenario, seed: number, version: RunVersion): string {
    const versionFields = Object.entries(version).sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
    return `${scenarioHash(scenario)} ${seed} ${JSON.stringify(versionFields)}`;
  }

  summary(key: string): RunSummary | undefined {
    const found = this.summaries.get(key);
    if (found) this.stats.hits += 1;
    return found;
  }

  /** The full result, when still kept. */
  result(key: string): RunResult | undefined {
    const found = this.results.get(key);
    if (found) {
      this.results.delete(key);
      this.results.set(key, found);
    }
    return found;
  }

  remember(key: string, scenario: Scenario, result: RunResult): RunSummary {
    let summary = this.summaries.get(key);
    if (!summary) {
      summary = {
        signatures: runSignatures(result),
        size: counterexampleSize(result),
        faultCounts: result.faultCounts,
        events: omittableEvents(scenario, result.trace),
      };
      this.summaries.set(key, summary);
      this.stats.runs += 1;
    }
    this.results.delete(key);
    this.results.set(key, result);
    for (const oldest of this.results.keys()) {
      if (this.results.size <= MAX_FULL_RESULTS) break;
      this.results.delete(oldest);
    }
    return summary;
  }
}
