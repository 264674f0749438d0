/** What one run produces: the verdict as data, the evidence, and what is needed to replay it. */
import type { DefectId, SendPath } from '../transport/index.ts';
import type { Scenario } from '../scenarios/index.ts';
import type { History } from '../model/index.ts';
import type { PropertyResults, Violation } from '../model/index.ts';
import type { VerdictKind } from '../model/index.ts';
import type { FaultKind } from '../scenarios/index.ts';
import type { TraceEntry } from './core/index.ts';

export interface RunVersion {
  name: string;
  defects: DefectId[];
  sendPath: SendPath;
}

export interface RunResult {
  scenario: Scenario;
  scenarioHash: string;
  seed: number;
  version: RunVersion;
  verdict: VerdictKind;
  violations: Violation[];
  /**
   * What became of each property: passed, violated, or not checked for want of an observation
   * the transport does not report (named). Not-checked properties never change the verdict.
   */
  properties: PropertyResults;
  faultCounts: Record<FaultKind, number>;
  /**
   * Fault kinds the run's server cannot take, with the capabilities it lacks: never drawn in this
   * run. Absent when the server has every capability (the bundled one does).
   */
  faultsNotApplicable?: Partial<Record<FaultKind, string[]>>;
  /** Hits per coverage probe the transport reported (`observe.probe`), probes never hit left out; not in the trace. */
  probes: Record<string, number>;
  traceHash: string;
  /** Virtual milliseconds the run covered (chaos plus heal). */
  virtualMs: number;
  /** Real milliseconds the run took; the only nondeterministic figure, never part of the trace. */
  wallMs: number;
  steps: number;
  /** Set when the harness itself failed (verdict crash). */
  harnessError?: string;
  /** Entries in the trace; reading `trace` parses them all, this does not. */
  traceLength: number;
  /**
   * False for a run that kept only its hash (RunOptions.trace): its `trace` cannot be read, and
   * comes from running it again. Absent or true, `trace` holds every entry.
   */
  traceKept?: boolean;
  trace: readonly TraceEntry[];
  history: History;
}
