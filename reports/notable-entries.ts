/**
 * Which trace entries a human timeline shows. State-tracking observations (queue lengths,
 * cursors, every frame written) dominate a trace by count but are read better as plots; an entry
 * a violation cites is always shown, whatever its kind.
 */
import type { TraceEntry } from '../sim/core/index.ts';
import type { Violation } from '../model/index.ts';

const ROUTINE_KINDS = new Set([
  'client.queue.length',
  'client.cursor',
  'client.buffer.length',
  'server.frame.sent',
  'net.frame',
  'net.frame-delivered',
  'app.apply',
]);

export function isRoutine(entry: TraceEntry): boolean {
  return ROUTINE_KINDS.has(entry.kind) || entry.details.level === 'debug';
}

/** Trace indexes cited by any violation. */
export function evidenceIndexes(violations: readonly Violation[]): Set<number> {
  const cited = new Set<number>();
  for (const v of violations) for (const index of v.evidence) cited.add(index);
  return cited;
}

export function notableEntries(trace: readonly TraceEntry[], violations: readonly Violation[]): TraceEntry[] {
  const cited = evidenceIndexes(violations);
  return trace.filter((entry) => cited.has(entry.index) || !isRoutine(entry));
}
