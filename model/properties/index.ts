/**
 * The property table: every PropertyId with its checker and the observations it needs, and a
 * runner over all or some of them that says what became of each.
 */
import { PROPERTY_IDS, type PropertyId } from '../property-id.ts';
import type { History } from '../history.ts';
import type { Violation } from '../violation.ts';
import type { Need } from '../observation-kind.ts';
import { checkAtMostOnce } from './at-most-once.ts';
import { checkBoundedQueue } from './bounded-queue.ts';
import { checkBoundedReplay } from './bounded-replay.ts';
import { checkBoundedRetries } from './bounded-retries.ts';
import { checkCursorMonotonic } from './cursor-monotonic.ts';
import { checkDelivery } from './delivery.ts';
import { checkLiveness } from './liveness.ts';
import { checkNoDuplicates } from './no-duplicates.ts';
import { checkNoSilentGap } from './no-silent-gap.ts';
import { checkNoSilentLoss } from './no-silent-loss.ts';
import { checkRetryAfter } from './retry-after.ts';
import { checkSendOrder } from './send-order.ts';
import { checkServerSurvives } from './server-survives.ts';
import { checkSessionOrder } from './session-order.ts';
import { checkTimeliness } from './timeliness.ts';

/** A property: its checker, and what beyond the network it reads. */
export interface PropertySpec {
  readonly check: (history: History) => Violation[];
  /**
   * Kinds the run's transport must report, and statements its profile must make, for the check
   * to mean anything (docs/observations.md).
   */
  readonly needs: readonly Need[];
}

export const PROPERTIES: Record<PropertyId, PropertySpec> = {
  'no-silent-loss': { check: checkNoSilentLoss, needs: [] },
  'send-order': { check: checkSendOrder, needs: [] },
  'at-most-once': { check: checkAtMostOnce, needs: ['agent-runs'] },
  'session-order': { check: checkSessionOrder, needs: [] },
  'no-duplicates': { check: checkNoDuplicates, needs: [] },
  'no-silent-gap': { check: checkNoSilentGap, needs: [] },
  'cursor-monotonic': { check: checkCursorMonotonic, needs: ['cursor'] },
  'bounded-replay': { check: checkBoundedReplay, needs: ['frames-sent', 'reconnect-replays'] },
  'bounded-queue': { check: checkBoundedQueue, needs: ['queue-length', 'buffer-length'] },
  'bounded-retries': { check: checkBoundedRetries, needs: [] },
  liveness: { check: checkLiveness, needs: ['pending-count', 'server-connections', 'open-permission-requests'] },
  'server-survives': { check: checkServerSurvives, needs: [] },
  delivery: { check: checkDelivery, needs: [] },
  timeliness: { check: checkTimeliness, needs: ['retry-schedule'] },
  'retry-after': { check: checkRetryAfter, needs: ['retry-schedule'] },
};

/**
 * What became of one property in a run. A property whose evidence the run lacks is `not-checked`,
 * naming what it needs, never passed; a run that ended early (a crash of the harness, the step
 * limit) checked nothing, which `unfinished` says.
 */
export type PropertyResult =
  { status: 'passed' } | { status: 'violated' } | { status: 'not-checked'; needs: Need[] } | { status: 'unfinished' };

export type PropertyResults = Record<PropertyId, PropertyResult>;

/** What a property needs that the history's transport does not report or its profile does not state. */
export function missingObservations(id: PropertyId, history: Pick<History, 'observations' | 'timing'>): Need[] {
  return PROPERTIES[id].needs.filter((need) =>
    need === 'retry-schedule' ? (history.timing?.retrySchedule ?? null) === null : !history.observations.includes(need),
  );
}

/**
 * Runs every property the history has the evidence for and says what became of each. Violations
 * come in trace order of their first evidence; violations without evidence go last. The sort is
 * stable, so ties keep the table's order and the output is deterministic.
 */
export function checkProperties(history: History): { violations: Violation[]; properties: PropertyResults } {
  const properties = {} as PropertyResults;
  const violations: Violation[] = [];
  for (const id of PROPERTY_IDS) {
    const needs = missingObservations(id, history);
    if (needs.length > 0) {
      properties[id] = { status: 'not-checked', needs };
      continue;
    }
    const found = PROPERTIES[id].check(history);
    properties[id] = found.length > 0 ? { status: 'violated' } : { status: 'passed' };
    violations.push(...found);
  }
  return { violations: inTraceOrder(violations), properties };
}

function inTraceOrder(violations: Violation[]): Violation[] {
  const firstEvidence = (v: Violation): number => v.evidence[0] ?? Number.POSITIVE_INFINITY;
  return violations.sort((a, b) => firstEvidence(a) - firstEvidence(b));
}

/** Every property `unfinished`: the run ended before anything could be checked. */
export function unfinishedProperties(): PropertyResults {
  return Object.fromEntries(PROPERTY_IDS.map((id) => [id, { status: 'unfinished' }])) as PropertyResults;
}

/** The violations of the chosen properties (all by default) that the history has the evidence for. */
export function checkAll(history: History, only: readonly PropertyId[] = PROPERTY_IDS): Violation[] {
  const checkable = only.filter((id) => missingObservations(id, history).length === 0);
  return inTraceOrder(checkable.flatMap((id) => PROPERTIES[id].check(history)));
}
