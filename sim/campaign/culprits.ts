/**
 * What causes a finding, by experiment rather than by catalogue. A finding's repro (scenario and
 * seed) is rerun with each defect of its version alone on `fixed`; the culprits are the defects
 * that alone reproduce the same failure signature. When none does, combinations are tried by size
 * up to CULPRIT_COMBINATION_SIZE_MAX, and the culprits are every smallest combination that does.
 * The faults it needs are found the same way: each fault kind that fired is switched off in the
 * scenario (same seed), and a kind whose removal makes the signature disappear is needed.
 *
 * A defect set counts only while `fixed` on the same send path passes: a violation the control
 * shows as well is not the defect's doing. Every experiment is a deterministic run, so the
 * culprits of a repro are a pure function of it, and their number is capped per finding.
 */
import type { FaultKind, RequestFaultKind, Scenario, TimedFaultKind } from '../../scenarios/index.ts';
import { FAULT_KINDS, scenarioHash } from '../../scenarios/index.ts';
import { Defects, resolveVersion, type DefectId, type SendPath, type TransportVersion } from '../../transport/index.ts';
import { assert } from '../core/index.ts';
import { runScenario, runSignatures, transportVersionOf, type RunResult, type RunVersion } from '../index.ts';
import type { TransportFactory } from '../world/index.ts';

/**
 * Experiment runs allowed per finding: the reference run, controls, defect sets and fault removals
 * together. Enough for every set of up to three of pr396's 12 defects (298 sets, 427 runs with the
 * second send path of the 9 that do not live in the legacy path) and for pairs of any version;
 * triples of base (16 defects) or pr396-r1 (17) go past it.
 */
export const CULPRIT_RUNS_MAX = 500;
/** Most defects in one combination tried when no smaller set reproduces a finding. */
export const CULPRIT_COMBINATION_SIZE_MAX = 3;

/** Why an experiment could not name a cause. */
export type UndeterminedReason =
  /** Finishing the search would take more than the run cap. */
  | 'budget'
  /** No set of up to CULPRIT_COMBINATION_SIZE_MAX defects reproduces it. */
  | 'search-bound'
  /** The repro itself no longer fails this way (the code changed under it). */
  | 'not-reproduced'
  /** The campaign stopped first, or was asked for no experiments. */
  | 'skipped';

export type CulpritDefects =
  /** Each set, switched on alone over `fixed`, reproduces the failure; all sets have the smallest size that does. */
  | { status: 'defects'; sets: DefectId[][] }
  /** `fixed` with no defect, on the version's send path, fails the same way. */
  | { status: 'no-defect' }
  | { status: 'not-determined'; reason: UndeterminedReason };

export type CulpritFaults =
  /** `needed`: the fired kinds whose removal alone makes the failure disappear. */
  | { status: 'faults'; fired: FaultKind[]; needed: FaultKind[] }
  | { status: 'not-determined'; reason: UndeterminedReason };

export interface Culprits {
  defects: CulpritDefects;
  faults: CulpritFaults;
  /** Experiments counted against the cap for this finding, answers from the cache included. */
  runs: number;
}

export interface CulpritQuestion {
  scenario: Scenario;
  seed: number;
  /** The version the finding was made on. */
  version: RunVersion;
  signature: string;
}

/**
 * Signatures of experiments already run, by scenario, seed and version. The shrunk repros of one
 * failing run often end up the same scenario, so a campaign's findings share most experiments.
 */
export type ExperimentCache = Map<string, Promise<readonly string[]>>;

/** What an ExperimentCache knows a run by: scenario, seed, send path and defects. */
export function experimentKey(scenario: Scenario, seed: number, sendPath: string, defects: readonly string[]): string {
  return [scenarioHash(scenario), seed, sendPath, ...defects].join(' ');
}

export interface CulpritOptions {
  /** Run cap; 0 makes no experiment. Experiments answered from the cache count too. */
  maxRuns?: number;
  /** Runs one experiment; tests inject a fake, everyone else gets the simulator. */
  run?: (scenario: Scenario, version: TransportVersion) => Promise<RunResult>;
  /** The transport the simulator runs; the bundled one by default. */
  factory?: TransportFactory;
  cache?: ExperimentCache;
  /** Only the defects: no fault kind is switched off (a shrink's culprit check needs no more). */
  defectsOnly?: boolean;
}

export interface CulpritAnswer {
  culprits: Culprits;
  /** The repro's own run, when it was made: what the finding is measured by. */
  reference?: RunResult;
}

export function undetermined(reason: UndeterminedReason, runs = 0): Culprits {
  return { defects: { status: 'not-determined', reason }, faults: { status: 'not-determined', reason }, runs };
}

/** Counts experiments against the cap; going past it is a bug in the caller's planning. */
class Experiments {
  runs = 0;

  constructor(
    readonly question: CulpritQuestion,
    private readonly maxRuns: number,
    private readonly runner: NonNullable<CulpritOptions['run']>,
    private readonly cache: ExperimentCache,
  ) {}

  get left(): number {
    return this.maxRuns - this.runs;
  }

  /** Whether the failure shows when the scenario runs on `version`. */
  async reproduces(version: TransportVersion, scenario = this.question.scenario): Promise<boolean> {
    let signatures = this.cache.get(this.key(version, scenario));
    if (signatures) this.count();
    else signatures = this.run(version, scenario).then(runSignatures);
    return (await signatures).includes(this.question.signature);
  }

  /** A whole run, for when more than its signatures is needed; its signatures are remembered. */
  run(version: TransportVersion, scenario = this.question.scenario): Promise<RunResult> {
    this.count();
    const result = this.runner(scenario, version);
    this.cache.set(this.key(version, scenario), result.then(runSignatures));
    return result;
  }

  private key(version: TransportVersion, scenario: Scenario): string {
    return experimentKey(scenario, this.question.seed, version.sendPath, version.defects.list());
  }

  private count(): void {
    assert(this.runs < this.maxRuns, `experiment ${this.runs + 1} is past the cap of ${this.maxRuns}`);
    this.runs += 1;
  }
}

export async function findCulprits(question: CulpritQuestion, options: CulpritOptions = {}): Promise<CulpritAnswer> {
  const maxRuns = options.maxRuns ?? CULPRIT_RUNS_MAX;
  if (maxRuns <= 0) return { culprits: undetermined('skipped') };
  const { factory } = options;
  const runner =
    options.run ?? ((scenario, version) => runScenario({ scenario, seed: question.seed, version, factory }));
  const experiments = new Experiments(question, maxRuns, runner, options.cache ?? new Map());
  const reference = await experiments.run(transportVersionOf(question.version));
  if (!runSignatures(reference).includes(question.signature))
    return { culprits: undetermined('not-reproduced', experiments.runs), reference };
  const faults: CulpritFaults = options.defectsOnly
    ? { status: 'not-determined', reason: 'skipped' }
    : await culpritFaults(experiments, reference);
  const defects = await culpritDefects(experiments);
  return { culprits: { defects, faults, runs: experiments.runs }, reference };
}

async function culpritFaults(experiments: Experiments, reference: RunResult): Promise<CulpritFaults> {
  const fired = FAULT_KINDS.filter((kind) => (reference.faultCounts[kind] ?? 0) > 0);
  if (fired.length > experiments.left) return { status: 'not-determined', reason: 'budget' };
  const needed: FaultKind[] = [];
  for (const kind of fired) {
    const scenario = withoutFault(reference.scenario, kind);
    if (!(await experiments.reproduces(transportVersionOf(experiments.question.version), scenario))) needed.push(kind);
  }
  return { status: 'faults', fired, needed };
}

/** The scenario with one fault kind switched off; the seed stays, so only that kind's draws go. */
export function withoutFault(scenario: Scenario, kind: FaultKind): Scenario {
  const request: Partial<Record<RequestFaultKind, unknown>> = { ...scenario.faults.request };
  const timed: Partial<Record<TimedFaultKind, unknown>> = { ...scenario.faults.timed };
  delete request[kind as RequestFaultKind];
  delete timed[kind as TimedFaultKind];
  return { ...scenario, faults: { request, timed } as Scenario['faults'] };
}

async function culpritDefects(experiments: Experiments): Promise<CulpritDefects> {
  const { version } = experiments.question;
  const controls = new Map<SendPath, Promise<boolean>>();
  // Cached per send path: a control is the same run for every defect set on that path.
  const controlFails = (sendPath: SendPath): Promise<boolean> => {
    let known = controls.get(sendPath);
    if (!known) {
      known = experiments.reproduces({ name: 'fixed', defects: Defects.none(), sendPath });
      controls.set(sendPath, known);
    }
    return known;
  };
  if (experiments.left < 1) return { status: 'not-determined', reason: 'budget' };
  if (await controlFails(version.sendPath)) return { status: 'no-defect' };
  const ids = version.defects;
  for (let size = 1; size <= Math.min(CULPRIT_COMBINATION_SIZE_MAX, ids.length); size++) {
    const subsets = combinations(ids, size);
    const candidates = subsets.reduce((sum, subset) => sum + culpritVersions(version, subset).length, 0);
    // One more run for the control of the other send path, which a set may need.
    if (candidates + 1 > experiments.left) return { status: 'not-determined', reason: 'budget' };
    const sets: DefectId[][] = [];
    for (const subset of subsets) {
      for (const candidate of culpritVersions(version, subset)) {
        if (!(await experiments.reproduces(candidate)) || (await controlFails(candidate.sendPath))) continue;
        sets.push(subset);
        break;
      }
    }
    if (sets.length > 0) return { status: 'defects', sets };
  }
  return { status: 'not-determined', reason: 'search-bound' };
}

/**
 * The ways to switch a set of defects on alone over `fixed`: resolveVersion's (the legacy send
 * path only when a defect lives in it), then, when it differs, on the version's send path. Both
 * paths are correct without defects (the control checks it), but the path shapes which requests
 * are made and so which faults fire: a server defect found on a legacy-path version may only
 * show on that path, and a failure from a chaotic run may only show on the other.
 */
export function culpritVersions(version: Pick<RunVersion, 'sendPath'>, defects: DefectId[]): TransportVersion[] {
  const resolved = resolveVersion('fixed', defects);
  if (resolved.sendPath === version.sendPath || version.sendPath !== 'legacy-queue') return [resolved];
  return [resolved, { ...resolved, name: `${resolved.name} (${version.sendPath})`, sendPath: version.sendPath }];
}

/** The subsets of `items` with `size` elements, in lexicographic order of positions. */
export function combinations<T>(items: readonly T[], size: number): T[][] {
  if (size === 0) return [[]];
  const out: T[][] = [];
  items.forEach((item, i) => {
    for (const rest of combinations(items.slice(i + 1), size - 1)) out.push([item, ...rest]);
  });
  return out;
}
