/**
 * What the harness expects of each catalogued defect: the properties a run with that defect on
 * may violate. The transport only names its historical switches; which property catches each one
 * is the harness's knowledge, used to check regression files and to read `score`'s results.
 */
import type { DefectId } from '../transport/index.ts';
import type { PropertyId } from '../model/index.ts';

const DEFECT_PROPERTIES: Readonly<Record<DefectId, readonly PropertyId[]>> = {
  'send-silent-drop': ['no-silent-loss', 'delivery'],
  'parallel-flush': ['send-order'],
  'connected-before-flush': ['send-order'],
  'open-before-flush': ['send-order'],
  'sync-on-is-active': ['bounded-replay', 'no-silent-gap'],
  'sync-from-zero': ['bounded-replay', 'no-duplicates'],
  'unbounded-reconnect-replay': ['bounded-replay'],
  'client-cursor-regress': ['cursor-monotonic', 'bounded-replay'],
  'cursor-on-receipt': ['no-silent-gap'],
  'no-gap-detection': ['no-silent-gap', 'session-order'],
  'interrupt-unhandled': ['server-survives'],
  'drop-oldest-at-cap': ['no-silent-loss', 'delivery'],
  'reload-loses-pending': ['no-silent-loss', 'delivery'],
  'requeue-bypasses-cap': ['bounded-queue'],
  'retry-permanent-4xx': ['liveness'],
  'no-retry-budget': ['liveness', 'bounded-retries'],
  'no-retry-429': ['no-silent-loss', 'delivery'],
  'flush-while-loop': ['no-silent-loss', 'delivery'],
  'concurrent-flush': ['no-duplicates', 'send-order'],
  'drop-after-budget-silently': ['no-silent-loss', 'delivery'],
  'stranded-requeue': ['liveness'],
  'ambiguous-ack-duplicate': ['at-most-once'],
  'silent-gap-skip': ['no-silent-gap'],
  'sync-excludes-detached': ['no-silent-gap', 'timeliness'],
  'sync-skips-ended-behind': ['no-silent-gap'],
  'live-send-overtakes-gap': ['session-order'],
  'permission-not-retried': ['liveness'],
  'stale-stream-callbacks': ['liveness', 'no-silent-loss'],
};

export function cataloguedProperties(defect: DefectId): readonly PropertyId[] {
  return DEFECT_PROPERTIES[defect];
}
