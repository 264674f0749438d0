/**
 * Fuzzing campaigns: many runs by count or time budget, on one thread or a pool of workers,
 * optionally one shard of a larger campaign. Outcomes are collected, sorted by run index and
 * only then grouped into findings, so the findings of a campaign are a pure function of its
 * seeds and version, whatever the worker count. Each finding is shrunk and saved as a repro, its
 * culprits are found by experiment, and findings with the same culprits are merged into one.
 */
import { wallClockMs } from '../core/index.ts';
import {
  campaignScenario,
  campaignSeed,
  outcomeOf,
  runCampaignIndex,
  type CampaignSpec,
  type RunOutcome,
} from './campaign-run.ts';
import { faultCoverage, groupFindings, sortByIndex, type FaultCoverage, type Finding } from './campaign-findings.ts';
import { CampaignRepros, type NewFailure } from './campaign-repros.ts';
import { DEFAULT_SHRINK_RUNS, ShrinkCache, type ShrinkProgress, type ShrinkResult } from '../shrink/index.ts';
import { shrinkKeepingCulprit } from './culprit-keeper.ts';
import { loadTransportModule, writeRepro, type TransportModule } from '../files/index.ts';
import type { TransportFactory } from '../world/index.ts';
import { WorkerPool, type Ran, type RunHere } from './worker-pool.ts';
import { attributeFindings } from './finding-groups.ts';
import type { Culprits, ExperimentCache } from './culprits.ts';
import type { Shard } from './campaign-indexes.ts';
import { campaignJobs, type CampaignJob } from './campaign-jobs.ts';
import { ScenarioSteering } from './steering.ts';
import { probeCoverage, type ProbeCoverage } from './probe-coverage.ts';
import { realTransportFactory } from '../world/index.ts';
import type { Scenario } from '../../scenarios/index.ts';
import { MAX_SEED } from '../../scenarios/index.ts';

export interface CampaignProgress {
  runs: number;
  /** Runs this campaign will make, when bounded by a count. */
  plannedRuns?: number;
  failures: number;
  faultsFired: number;
  elapsedMs: number;
}

export interface CampaignOptions extends Omit<CampaignSpec, 'transport'> {
  /** The transport under test: a module path, or a module already loaded; the bundled one by default. */
  transport?: string | TransportModule;
  runs?: number;
  timeSec?: number;
  workers?: number;
  shard?: Shard;
  /** Where repros go. */
  outDir: string;
  /** Run budget for shrinking each finding; 0 skips shrinking. */
  shrinkRuns?: number;
  /** Experiment-run cap per finding for finding its culprits (culprits.ts); 0 skips them. */
  culpritRuns?: number;
  /** Shared by the findings' shrinks (a run's findings try many of the same scenarios); one per campaign by default. */
  shrinkCache?: ShrinkCache;
  /**
   * Steer generated scenarios toward rarely hit coverage probes (steering.ts). Off, every run's
   * scenario is its seed's; on, epoch 0 is the same and later epochs pick among candidates.
   */
  steer?: boolean;
  /** Polled between runs: true stops dispatching (Ctrl-C); runs in flight still finish and count. */
  shouldStop?: () => boolean;
  onProgress?: (progress: CampaignProgress) => void;
  /** Called once per new failure signature, after its repro is on disk. */
  onNewFailure?: (failure: NewFailure) => void;
  /** After each shrink candidate of finding `finding` (0-based) of `findings`, for a progress line. */
  onShrinkProgress?: (progress: CampaignShrinkProgress) => void;
}

export interface CampaignShrinkProgress extends ShrinkProgress {
  finding: number;
  findings: number;
}

export interface ShrunkFinding extends Pick<ShrinkResult, 'changes' | 'runs' | 'fixpoint' | 'before' | 'after'> {
  repro: string;
}

/** The failures of one signature, before their culprits are known. */
export interface SignatureFinding extends Finding {
  /** The repro of the finding's first run. */
  repro: string;
  shrunk?: ShrunkFinding;
}

/** One bug: the signatures whose culprits agree (finding-groups.ts), shown as the smallest of them. */
export interface CampaignFinding extends SignatureFinding {
  /** What causes it, by experiment on its repro. */
  culprits: Culprits;
  /** Every signature merged into this finding, its own first; `count` covers the runs of all of them. */
  signatures: string[];
}

export interface CampaignResult {
  spec: CampaignSpec;
  /** The module the runs used; null for the bundled transport. */
  transport: TransportModule | null;
  outcomes: RunOutcome[];
  findings: CampaignFinding[];
  coverage: Record<string, FaultCoverage>;
  /** Coverage probes over all runs, against the transport's declared catalogue. */
  probes: ProbeCoverage;
  /** Whether generation was steered toward rare probes. */
  steered: boolean;
  wallMs: number;
  runsPerSec: number;
  /** Stopped by shouldStop before its budget was spent; findings are then not shrunk. */
  interrupted: boolean;
  workers: number;
  shard?: Shard;
}

export const DEFAULT_RUNS = 100;

export async function runCampaign(options: CampaignOptions): Promise<CampaignResult> {
  const transport =
    typeof options.transport === 'string' ? await loadTransportModule(options.transport) : (options.transport ?? null);
  const spec: CampaignSpec = {
    version: options.version,
    baseSeed: options.baseSeed,
    ...(options.scenario ? { scenario: options.scenario } : {}),
    ...(transport ? { transport: transport.record } : {}),
  };
  const factory = transport?.factory;
  const startMs = wallClockMs();
  const steering = options.steer && !spec.scenario ? new ScenarioSteering(spec) : undefined;
  const scenarioOf = (index: number) => steering?.scenarioFor(index) ?? campaignScenario(spec, index);
  const repros = new CampaignRepros(spec, options.outDir, factory, scenarioOf);
  const { outcomes, interrupted } = await executeRuns(spec, factory, options, repros, startMs, steering);
  const sorted = sortByIndex(outcomes);
  const findings: SignatureFinding[] = [];
  for (const finding of groupFindings(sorted)) {
    const repro = (await repros.forFinding(finding.signature, finding.firstIndex)).path;
    findings.push({ ...finding, repro });
  }
  // Wall time and rate cover the runs only; shrinking is extra work on top.
  const wallMs = Math.round(wallClockMs() - startMs);
  // Shared by the shrinks' culprit checks and the attribution after them: they ask about the same scenarios.
  const culpritCache: ExperimentCache = new Map();
  const stopped = () => interrupted || (options.shouldStop?.() ?? false);
  if ((options.shrinkRuns ?? DEFAULT_SHRINK_RUNS) > 0 && !interrupted) {
    const cache = options.shrinkCache ?? new ShrinkCache();
    for (const [i, finding] of findings.entries()) {
      if (stopped()) break;
      const onProgress = (progress: ShrinkProgress) =>
        options.onShrinkProgress?.({ ...progress, finding: i, findings: findings.length });
      const scenario = scenarioOf(finding.firstIndex);
      finding.shrunk = await shrinkFinding(
        spec,
        factory,
        { ...finding, scenario },
        repros,
        { ...options, shrinkCache: cache, culpritCache },
        onProgress,
      );
    }
  }
  // An interrupted campaign stops here too: its findings keep their signatures, culprits not determined.
  const grouped = await attributeFindings(spec, findings, sorted, {
    ...(options.culpritRuns === undefined ? {} : { maxRuns: options.culpritRuns }),
    shouldStop: stopped,
    factory,
    scenarioOf,
    cache: culpritCache,
  });
  return {
    spec,
    transport,
    outcomes: sorted,
    findings: grouped,
    coverage: faultCoverage(sorted),
    probes: probeCoverage(sorted, (factory ?? realTransportFactory).probes ?? []),
    steered: steering !== undefined,
    wallMs,
    runsPerSec: sorted.length / Math.max(wallMs / 1000, 0.001),
    interrupted: interrupted || stopped(),
    workers: Math.max(1, options.workers ?? 1),
    ...(options.shard ? { shard: options.shard } : {}),
  };
}

async function shrinkFinding(
  spec: CampaignSpec,
  factory: TransportFactory | undefined,
  finding: Finding & { scenario: Scenario },
  repros: CampaignRepros,
  options: CampaignOptions & { culpritCache: ExperimentCache },
  onProgress: (progress: ShrinkProgress) => void,
): Promise<ShrunkFinding | undefined> {
  const initial = await repros.result(finding.firstIndex);
  // Keeps the culprit of the failure as found: a smaller run failing the same way through
  // another defect is no shrink of it.
  const shrunk = await shrinkKeepingCulprit({
    scenario: finding.scenario,
    seed: campaignSeed(spec, finding.firstIndex),
    version: spec.version,
    factory,
    signature: finding.signature,
    initial,
    shrinkRuns: options.shrinkRuns ?? DEFAULT_SHRINK_RUNS,
    culprits: {
      cache: options.culpritCache,
      ...(options.culpritRuns === undefined ? {} : { maxRuns: options.culpritRuns }),
    },
    shrink: {
      ...(options.shrinkCache ? { cache: options.shrinkCache } : {}),
      ...(options.shouldStop ? { shouldStop: options.shouldStop } : {}),
      onProgress,
    },
  });
  if (shrunk.changes.length === 0) return undefined;
  const written = writeRepro(options.outDir, shrunk.result, {
    label: finding.property,
    tag: 'shrunk',
    transport: spec.transport,
  });
  return {
    repro: written.path,
    changes: shrunk.changes,
    runs: shrunk.runs,
    fixpoint: shrunk.fixpoint,
    before: shrunk.before,
    after: shrunk.after,
  };
}

interface Executed {
  outcomes: RunOutcome[];
  interrupted: boolean;
}

/** The runs asked for (none with only a time budget), every seed of them within MAX_SEED. */
function plannedRuns(spec: CampaignSpec, options: CampaignOptions): number | undefined {
  const runs = options.runs ?? (options.timeSec === undefined ? DEFAULT_RUNS : undefined);
  if (runs !== undefined && campaignSeed(spec, runs - 1) > MAX_SEED)
    throw new RangeError(
      `runCampaign: seeds ${spec.baseSeed}..${campaignSeed(spec, runs - 1)} pass MAX_SEED (${MAX_SEED})`,
    );
  return runs;
}

/**
 * Keeps every thread of the pool busy until the count, the time budget or a stop request ends it:
 * `workers` threads in all, this one and `workers - 1` worker threads.
 */
async function executeRuns(
  spec: CampaignSpec,
  factory: TransportFactory | undefined,
  options: CampaignOptions,
  repros: CampaignRepros,
  startMs: number,
  steering?: ScenarioSteering,
): Promise<Executed> {
  // A user's module may not rerun the same in one process (state of its own): its runs keep their traces.
  const traceKeeping = spec.transport === undefined ? 'hash' : 'full';
  const runHere: RunHere = (index, scenario) =>
    repros.inProcess.run(async () => {
      const result = await runCampaignIndex(spec, index, factory, scenario, traceKeeping);
      return { outcome: outcomeOf(result, index), result };
    });
  const pool = new WorkerPool(spec, Math.max(1, options.workers ?? 1) - 1, runHere);
  const runs = plannedRuns(spec, options);
  const indexes = campaignJobs(runs, options.shard, MAX_SEED - spec.baseSeed + 1, steering !== undefined);
  const deadlineMs = options.timeSec === undefined ? Infinity : startMs + options.timeSec * 1000;
  const progress: CampaignProgress = {
    runs: 0,
    failures: 0,
    faultsFired: 0,
    elapsedMs: 0,
    ...(runs === undefined ? {} : { plannedRuns: indexes.planned }),
  };
  const outcomes: RunOutcome[] = [];
  const inFlight = new Set<Promise<void>>();
  let interrupted = false;
  const record = async (job: CampaignJob, { outcome, result }: Ran) => {
    steering?.learn(outcome.index, outcome.probes);
    if (!job.own) return;
    outcomes.push(outcome);
    const failures = outcome.verdict === 'passed' ? [] : await repros.note(outcome, result);
    progress.runs += 1;
    if (outcome.verdict !== 'passed') progress.failures += 1;
    progress.faultsFired += Object.values(outcome.faultCounts).reduce((sum, n) => sum + n, 0);
    progress.elapsedMs = wallClockMs() - startMs;
    for (const failure of failures) options.onNewFailure?.(failure);
    options.onProgress?.(progress);
  };
  const launch = (job: CampaignJob): Promise<void> =>
    pool.run(job.index, steering?.scenarioFor(job.index)).then((ran) => record(job, ran));
  let waiting: CampaignJob | undefined;
  try {
    for (;;) {
      while (inFlight.size < pool.capacity) {
        if (options.shouldStop?.()) interrupted = true;
        if (interrupted || wallClockMs() >= deadlineMs) break;
        const next = waiting ?? indexes.next().value;
        if (next === undefined) break;
        // An epoch boundary of a steered campaign: its runs wait for those of the epochs before.
        waiting = steering && !steering.ready(next.index) ? next : undefined;
        if (waiting) break;
        const job = launch(next).finally(() => inFlight.delete(job));
        inFlight.add(job);
      }
      if (inFlight.size === 0) break;
      await Promise.race(inFlight);
    }
  } finally {
    await pool.close();
  }
  return { outcomes, interrupted };
}
