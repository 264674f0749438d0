/**
 * A campaign's coverage probes (docs/observations.md): how many runs hit each and how often, and
 * which probes of the transport's declared catalogue no run hit. A probe never hit is a decision
 * point the campaign never tested, as an enabled fault that never fired is a fault it never tested.
 */
import type { RunOutcome } from './campaign-run.ts';

export interface ProbeCoverage {
  /** The probes the transport declares, sorted; empty when it declares none. */
  catalogue: string[];
  /** Per probe hit at least once (declared or not): runs that hit it, and hits over all runs. */
  hit: Record<string, { runs: number; hits: number }>;
  /** Declared probes that no run hit. */
  neverHit: string[];
}

export function probeCoverage(outcomes: readonly RunOutcome[], catalogue: readonly string[]): ProbeCoverage {
  const hit = new Map<string, { runs: number; hits: number }>();
  for (const run of outcomes)
    for (const [name, hits] of Object.entries(run.probes)) {
      const entry = hit.get(name) ?? { runs: 0, hits: 0 };
      entry.runs += 1;
      entry.hits += hits;
      hit.set(name, entry);
    }
  const sorted = [...catalogue].sort();
  return {
    catalogue: sorted,
    hit: Object.fromEntries([...hit].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0))),
    neverHit: sorted.filter((name) => !hit.has(name)),
  };
}
