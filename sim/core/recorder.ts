/**
 * One place where everything that happens in a run is written down: the trace (every step, for
 * replay, hashing and reports) and the history (the subset properties read). A history entry
 * carries the index of the trace entry it came from, so violations cite trace evidence.
 */
import { HistoryLog, type HistoryEntryBody } from '../../model/index.ts';
import type { Trace } from './trace.ts';

/** Largest integer V8 keeps unboxed on every platform (31-bit small integers). */
const SMALL_INT_MAX = 2 ** 30 - 1;

export class Recorder {
  readonly history = new HistoryLog();

  constructor(
    readonly trace: Trace,
    private readonly nowMs: () => number,
    private readonly startMs: number,
  ) {}

  /**
   * Virtual milliseconds since the start of the run. The clock counts from an epoch in the
   * trillions, so the difference comes out as a double even when whole; given as a small integer,
   * it is stored in each of the run's thousands of history entries directly instead of boxed.
   */
  elapsedMs(): number {
    const elapsedMs = this.nowMs() - this.startMs;
    return elapsedMs >= 0 && elapsedMs <= SMALL_INT_MAX && Number.isInteger(elapsedMs) ? elapsedMs | 0 : elapsedMs;
  }

  /**
   * Writes a trace entry, and a history entry when the step matters to a property. Callers pass
   * a fresh body, which the log may keep as the entry itself (with its index and time set on it):
   * copying thousands of bodies of a dozen shapes per run was a measurable share of a run.
   */
  record(actor: string, kind: string, details: Record<string, unknown>, history?: HistoryEntryBody): number {
    const t = this.elapsedMs();
    const index = this.trace.record(t, actor, kind, details);
    if (history) this.history.pushAt(history, index, t);
    return index;
  }
}
