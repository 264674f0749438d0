/**
 * One run of a campaign as a pure function of (campaign spec, run index): the seed is
 * `baseSeed + index` and, without a fixed scenario, the scenario is drawn from scenarioArb with
 * that same seed. Any worker, shard or later replay therefore gets the same run for an index.
 */
import fc from 'fast-check';
import type { Scenario } from '../../scenarios/index.ts';
import { scenarioArb } from '../../scenarios/index.ts';
import type { Need, PropertyId, PropertyResults, Violation } from '../../model/index.ts';
import { runScenario } from '../index.ts';
import { assert, type TraceKeeping } from '../core/index.ts';
import type { RunResult, RunVersion } from '../index.ts';
import { runSignatures } from '../index.ts';
import { transportVersionOf } from '../index.ts';
import type { TransportFactory } from '../world/index.ts';
import type { TransportModuleRecord } from '../files/index.ts';
import { FAULT_KINDS, type FaultKind, type RequestFaultKind, type TimedFaultKind } from '../../scenarios/index.ts';

export interface CampaignSpec {
  version: RunVersion;
  baseSeed: number;
  /** A fixed scenario run with varying seeds; without it each run draws a generated one. */
  scenario?: Scenario;
  /**
   * The transport module under test, as data: a worker thread loads it by its absolute path.
   * Absent for the bundled transport.
   */
  transport?: TransportModuleRecord;
}

/** What the campaign keeps of a run: small enough to pass between threads, without the trace. */
export interface RunOutcome extends Pick<
  RunResult,
  'seed' | 'verdict' | 'faultCounts' | 'traceHash' | 'virtualMs' | 'wallMs' | 'steps' | 'harnessError'
> {
  index: number;
  /** Hits per coverage probe (RunResult.probes). */
  probes: Record<string, number>;
  violations: Pick<Violation, 'property' | 'message' | 'subject'>[];
  signatures: string[];
  /** Kinds the scenario enabled that the run's server can take. */
  enabledFaults: FaultKind[];
  /** Kinds the scenario enabled that the run's server cannot take, with what it lacks; never drawn. */
  notApplicableFaults?: Partial<Record<FaultKind, string[]>>;
  /** Properties the run could not check, with the observations its transport did not report. */
  notChecked: Partial<Record<PropertyId, Need[]>>;
}

export function campaignSeed(spec: CampaignSpec, index: number): number {
  return spec.baseSeed + index;
}

export function campaignScenario(spec: CampaignSpec, index: number): Scenario {
  if (spec.scenario) return spec.scenario;
  const [scenario] = fc.sample(scenarioArb(), { seed: campaignSeed(spec, index), numRuns: 1 });
  assert(scenario !== undefined, 'fc.sample with numRuns 1 gives one scenario');
  return scenario;
}

export function enabledFaultKinds(scenario: Scenario): FaultKind[] {
  const { request, timed } = scenario.faults;
  return FAULT_KINDS.filter((kind) => {
    const ratio = request[kind as RequestFaultKind];
    return ratio ? ratio[0] > 0 : (timed[kind as TimedFaultKind] ?? 0) > 0;
  });
}

/**
 * `factory` is the loaded module of `spec.transport`: given exactly when the spec names one.
 * `scenario` is the one a steered campaign chose for the index (steering.ts); its seed's otherwise.
 * A campaign's own runs keep only their trace hash (`trace: 'hash'`); a run wanted for a repro or a
 * report is run again with its trace kept.
 */
export async function runCampaignIndex(
  spec: CampaignSpec,
  index: number,
  factory?: TransportFactory,
  scenario: Scenario = campaignScenario(spec, index),
  trace: TraceKeeping = 'full',
): Promise<RunResult> {
  assert(
    (spec.transport === undefined) === (factory === undefined),
    'a campaign of a transport module runs on its loaded factory, and only then',
  );
  const version = transportVersionOf(spec.version);
  return runScenario({ scenario, seed: campaignSeed(spec, index), version, factory, trace });
}

export function outcomeOf(result: RunResult, index: number): RunOutcome {
  return {
    index,
    probes: result.probes,
    seed: result.seed,
    verdict: result.verdict,
    violations: result.violations.map(({ property, message, subject }) => ({ property, message, subject })),
    signatures: runSignatures(result),
    faultCounts: result.faultCounts,
    ...enabledOf(result),
    notChecked: notCheckedOf(result.properties),
    traceHash: result.traceHash,
    virtualMs: result.virtualMs,
    wallMs: result.wallMs,
    steps: result.steps,
    ...(result.harnessError === undefined ? {} : { harnessError: result.harnessError }),
  };
}

function enabledOf(result: RunResult): Pick<RunOutcome, 'enabledFaults' | 'notApplicableFaults'> {
  const inapplicable = result.faultsNotApplicable ?? {};
  const enabled = enabledFaultKinds(result.scenario);
  const notApplicable = enabled.filter((kind) => inapplicable[kind] !== undefined);
  if (notApplicable.length === 0) return { enabledFaults: enabled };
  return {
    enabledFaults: enabled.filter((kind) => inapplicable[kind] === undefined),
    notApplicableFaults: Object.fromEntries(notApplicable.map((kind) => [kind, inapplicable[kind]!])),
  };
}

function notCheckedOf(properties: PropertyResults): Partial<Record<PropertyId, Need[]>> {
  const missing: Partial<Record<PropertyId, Need[]>> = {};
  for (const [id, result] of Object.entries(properties) as [PropertyId, PropertyResults[PropertyId]][])
    if (result.status === 'not-checked') missing[id] = result.needs;
  return missing;
}
