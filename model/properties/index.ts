/** The property table: every PropertyId with its checker, and a runner over all or some of them. */
import { PROPERTY_IDS, type PropertyId } from '../property-id.ts';
import type { History } from '../history.ts';
import type { Violation } from '../violation.ts';
import { checkAtMostOnce } from './at-most-once.ts';
import { checkBoundedQueue } from './bounded-queue.ts';
import { checkBoundedReplay } from './bounded-replay.ts';
import { checkBoundedRetries } from './bounded-retries.ts';
import { checkCursorMonotonic } from './cursor-monotonic.ts';
import { checkLiveness } from './liveness.ts';
import { checkNoDuplicates } from './no-duplicates.ts';
import { checkNoSilentGap } from './no-silent-gap.ts';
import { checkNoSilentLoss } from './no-silent-loss.ts';
import { checkSendOrder } from './send-order.ts';
import { checkServerSurvives } from './server-survives.ts';
import { checkSessionOrder } from './session-order.ts';

export const PROPERTIES: Record<PropertyId, (h: History) => Violation[]> = {
  'no-silent-loss': checkNoSilentLoss,
  'send-order': checkSendOrder,
  'at-most-once': checkAtMostOnce,
  'session-order': checkSessionOrder,
  'no-duplicates': checkNoDuplicates,
  'no-silent-gap': checkNoSilentGap,
  'cursor-monotonic': checkCursorMonotonic,
  'bounded-replay': checkBoundedReplay,
  'bounded-queue': checkBoundedQueue,
  'bounded-retries': checkBoundedRetries,
  liveness: checkLiveness,
  'server-survives': checkServerSurvives,
};



/**
 * Runs the chosen properties (all by default) and returns their violations in trace order of
 * their first evidence; violations without evidence go last. The sort is stable, so ties keep
 * the table's order and the output is deterministic.
 */
export function checkAll(history: History, only?: readonly PropertyId[]): Violation[] {
  const ids = only ?? PROPERTY_IDS;
  const violations = ids.flatMap((id) => PROPERTIES[id](history));
  const firstEvidence = (v: Violation): number => v.evidence[0] ?? Number.POSITIVE_INFINITY;
  return violations.sort((a, b) => firstEvidence(a) - firstEvidence(b));
}
