/**
 * A fault kind at the most a scenario allows: a request kind on every request it can hit, a timed
 * kind at the highest rate. The shrinker's stepping stones (front-loads and pins) start from it,
 * then keep only the firings they want through `omit`.
 */
import type { FaultKind, RequestFaultKind, Scenario, TimedFaultKind } from '../../scenarios/index.ts';
import { MAX_TIMED_FAULT_RATE_PER_MINUTE } from '../../scenarios/index.ts';

/** Sets `kind`, which `next` has enabled, to fire at every chance. */
export function fireAtEveryChance(next: Scenario, kind: FaultKind): void {
  if (kind in next.faults.request) next.faults.request[kind as RequestFaultKind] = [1, 1];
  else next.faults.timed[kind as TimedFaultKind] = MAX_TIMED_FAULT_RATE_PER_MINUTE;
}
