/**
 * From a campaign's run outcomes (sorted by run index) to its findings and fault coverage. One
 * finding per failure signature, so one bug hit by fifty seeds is one finding with a count of
 * fifty, named after the earliest run that showed it. Works on sorted outcomes only, which is
 * what makes a campaign's findings independent of how many workers ran it.
 */
import type { RunOutcome } from './campaign-run.ts';
import { signatureProperty, violationSignature } from '../index.ts';

export interface Finding {
  signature: string;
  /** The violated property, or `crash` / `step-limit`. */
  property: string;
  /** How many runs failed with this signature. */
  count: number;
  firstIndex: number;
  firstSeed: number;
  /** The first matching violation of the first run (or the verdict when there is none). */
  message: string;
}

export interface FaultCoverage {
  /** Runs whose scenario had this fault kind switched on, on a server that can take it. */
  enabledRuns: number;
  /** Times it fired over all runs. */
  fired: number;
  /** Runs that switched it on for a server lacking what it needs: it was never drawn there. */
  notApplicableRuns?: number;
  /** The server capabilities it needs that the transport lacks. */
  needs?: string[];
}

export function groupFindings(sorted: readonly RunOutcome[]): Finding[] {
  const bySignature = new Map<string, Finding>();
  for (const run of sorted) {
    for (const signature of run.signatures) {
      const known = bySignature.get(signature);
      if (known) {
        known.count += 1;
        continue;
      }
      const first = run.violations.find((v) => violationSignature(v) === signature);
      bySignature.set(signature, {
        signature,
        property: signatureProperty(signature),
        count: 1,
        firstIndex: run.index,
        firstSeed: run.seed,
        message:
          first?.message ?? `run ended with verdict ${run.verdict}${run.harnessError ? `: ${run.harnessError}` : ''}`,
      });
    }
  }
  return [...bySignature.values()];
}

export function faultCoverage(outcomes: readonly RunOutcome[]): Record<string, FaultCoverage> {
  const coverage: Record<string, FaultCoverage> = {};
  for (const run of outcomes) {
    for (const kind of run.enabledFaults) {
      const entry = (coverage[kind] ??= { enabledRuns: 0, fired: 0 });
      entry.enabledRuns += 1;
      entry.fired += run.faultCounts[kind] ?? 0;
    }
    for (const [kind, needs] of Object.entries(run.notApplicableFaults ?? {})) {
      const entry = (coverage[kind] ??= { enabledRuns: 0, fired: 0 });
      entry.notApplicableRuns = (entry.notApplicableRuns ?? 0) + 1;
      entry.needs = [...new Set([...(entry.needs ?? []), ...needs])];
    }
  }
  return coverage;
}

export function sortByIndex(outcomes: Iterable<RunOutcome>): RunOutcome[] {
  return [...outcomes].sort((a, b) => a.index - b.index);
}
