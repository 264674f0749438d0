/**
 * The public surface of model/: what other folders may import from it. Everything else in
 * the folder is internal and may change without notice.
 */
export type {
  ClientEndState,
  EndState,
  History,
  HistoryEntry,
  HistoryEntryBody,
  HistoryLimits,
  HistoryTiming,
  Phase,
  RetrySchedule,
} from './history.ts';
export { HistoryLog } from './history-log.ts';
export { entriesOfKinds, historyOfLog } from './history-entries.ts';
export { OBSERVATION_KINDS, isObservationKind } from './observation-kind.ts';
export type { Need, ObservationKind } from './observation-kind.ts';
export { checkProperties, unfinishedProperties } from './properties/index.ts';
export type { PropertyResult, PropertyResults } from './properties/index.ts';
export { PROPERTY_IDS } from './property-id.ts';
export type { PropertyId } from './property-id.ts';
export { decideVerdict } from './verdict.ts';
export type { VerdictKind } from './verdict.ts';
export type { Violation } from './violation.ts';
