/**
 * Hand-made RunResults for report tests: a small builder that appends trace entries and their
 * history entries together (as the simulator's recorder does), so evidence indexes line up.
 */
import type { Scenario } from '../../scenarios/scenario.ts';
import { scenarioHash } from '../../scenarios/scenario-hash.ts';
import type { HistoryEntry, HistoryEntryBody, History } from '../../model/history.ts';
import type { Violation } from '../../model/violation.ts';
import type { VerdictKind } from '../../model/verdict.ts';
import { OBSERVATION_KINDS } from '../../model/observation-kind.ts';
import { PROPERTY_IDS } from '../../model/property-id.ts';
import type { PropertyResults } from '../../model/properties/index.ts';
import { FAULT_KINDS, type FaultKind } from '../../scenarios/fault-kinds.ts';
import { Trace } from '../../sim/core/trace.ts';
import type { RunResult, RunVersion } from '../../sim/run-result.ts';

export const FIXTURE_SCENARIO: Scenario = {
  name: 'fixture',
  description: 'A hand-made run for report tests.',
  clients: 2,
  sessions: 1,
  workload: {
    promptsPerClient: 3,
    promptGapMsMin: 100,
    promptGapMsMax: 500,
    controlChance: [0, 1],
    permissionAnswerMsMin: 10,
    permissionAnswerMsMax: 20,
  },
  agent: { stepDelayMsMin: 10, stepDelayMsMax: 20, stepsMin: 1, stepsMax: 2, permissionChance: [0, 1] },
  network: { latencyMsMin: 5, latencyMsMax: 20 },
  faults: { request: { 'request-lost': [1, 10], 'http-503': [1, 20] }, timed: { 'stream-drop': 1 } },
  phases: { chaosMs: 3000, healMs: 2000 },
  stepLimit: 10_000,
};

export class RunFixture {
  private readonly trace = new Trace();
  private readonly history: HistoryEntry[] = [];
  private readonly violations: Violation[] = [];
  private readonly counts = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;

  constructor(
    private readonly seed = 7,
    private readonly version: RunVersion = { name: 'fixed', defects: [], sendPath: 'outbox' },
  ) {}

  /** Appends one step; returns its trace index for use as violation evidence. */
  record(
    t: number,
    actor: string,
    kind: string,
    details: Record<string, unknown> = {},
    history?: HistoryEntryBody,
  ): number {
    const lastT = this.trace.entries().at(-1)?.t ?? 0;
    // The simulator's clock never goes backwards; a fixture that does would test impossible input.
    if (t < lastT) throw new Error(`RunFixture: time went backwards (${t} after ${lastT}) at ${kind}`);
    const entry = this.trace.append({ t, actor, kind, details });
    if (history) this.history.push({ ...history, index: entry.index, t } as HistoryEntry);
    return entry.index;
  }

  fault(t: number, kind: FaultKind, details: Record<string, unknown> = {}): number {
    this.counts[kind] += 1;
    return this.record(t, 'faults', `fault.${kind}`, details, { kind: 'fault', fault: kind, details });
  }

  violation(v: Violation): this {
    this.violations.push(v);
    return this;
  }

  build(overrides: Partial<RunResult> = {}): RunResult {
    const verdict: VerdictKind = this.violations.length > 0 ? 'violation' : 'passed';
    const history: History = {
      entries: this.history,
      end: { userMessages: [], sessionSeqs: {}, clients: [], openPermissionRequests: [] },
      limits: {
        maxPendingSends: 50,
        applyBufferLimit: 100,
        sendAttemptBudget: 5,
        reconnectReplayLimit: 200,
        replayAmplificationMax: 1.5,
      },
      observations: OBSERVATION_KINDS,
    };
    const violated = new Set(this.violations.map((v) => v.property));
    const properties = Object.fromEntries(
      PROPERTY_IDS.map((id) => [id, { status: violated.has(id) ? 'violated' : 'passed' }]),
    ) as PropertyResults;
    const last = this.trace.entries().at(-1);
    return {
      scenario: FIXTURE_SCENARIO,
      scenarioHash: scenarioHash(FIXTURE_SCENARIO),
      seed: this.seed,
      version: this.version,
      verdict,
      violations: this.violations,
      properties,
      faultCounts: { ...this.counts },
      probes: {},
      traceHash: this.trace.hash(),
      virtualMs: last?.t ?? 0,
      wallMs: 12,
      steps: this.trace.length,
      traceLength: this.trace.length,
      trace: this.trace.entries(),
      history,
      ...overrides,
    };
  }
}
