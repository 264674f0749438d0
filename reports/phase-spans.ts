/**
 * The run's phases (chaos, heal) as time spans, from the history's `phase` entries. Each phase
 * lasts until the next phase entry; the last one until the end of the run.
 */
import { entriesOfKinds } from '../model/index.ts';
import type { RunResult } from '../sim/index.ts';

export interface PhaseSpan {
  phase: string;
  startMs: number;
  endMs: number;
}

export function phaseSpans(result: RunResult): PhaseSpan[] {
  const marks = [...entriesOfKinds(result.history, ['phase'])];
  const endOfRun = Math.max(result.virtualMs, result.trace.at(-1)?.t ?? 0);
  const spans: PhaseSpan[] = [];
  marks.forEach((mark, i) => {
    if (mark.phase === 'end') return;
    const endMs = marks[i + 1]?.t ?? endOfRun;
    spans.push({ phase: mark.phase, startMs: mark.t, endMs: Math.max(endMs, mark.t) });
  });
  return spans;
}
