/**
 * `ssesim fuzz`: a campaign of generated scenarios (or one named scenario under many seeds) with
 * a live progress line, a repro per distinct failure written as soon as it shows, shrunk
 * findings, a summary, and JUnit plus an HTML report with --out. Ctrl-C stops it early with the
 * summary so far (exit 130).
 */
import { availableParallelism } from 'node:os';
import { resolveScenario } from '../scenarios/index.ts';
import type { DefectId } from '../transport/index.ts';
import { DEFAULT_RUNS, runCampaign, type CampaignOptions, type CampaignResult } from '../sim/campaign/index.ts';
import type { Shard } from '../sim/campaign/index.ts';
import { runVersionOf } from '../sim/index.ts';
import { loadTransportModule } from '../sim/files/index.ts';
import { campaignFindings, campaignSummaryOf, renderCampaignSummary, seedsText } from '../reports/index.ts';
import type { CampaignSummary } from '../reports/index.ts';
import { realEnv } from '../transport/index.ts';
import { MAX_SEED, versionFromOptions } from './parse-options.ts';
import { campaignJson, writeCampaignFiles, type CampaignFiles } from './campaign-files.ts';
import { ProgressBar } from './progress-bar.ts';
import { INTERRUPTED_EXIT_CODE, watchInterrupt } from './interrupt.ts';
import { printErr, printJson, printOut } from './output.ts';
import { UsageError } from './usage-error.ts';
import { DEFAULT_REPRO_DIR } from './paths.ts';
import { checkOutDir, prepareOutDir } from './out-dir.ts';
import { DEFAULT_SEED } from './run-command.ts';

export interface FuzzOptions {
  runs?: number;
  time?: number;
  seed?: number;
  transportVersion?: string;
  /** The old spelling of transportVersion. */
  version?: string;
  defect?: DefectId[];
  workers?: number;
  shard?: Shard;
  out?: string;
  json?: boolean;
  scenario?: string;
  shrinkRuns?: number;
  forceWorkers?: boolean;
  /** A transport module's path; the bundled transport without it. */
  transport?: string;
  culpritRuns?: number;
  /** Steer generation toward rarely hit coverage probes (sim/campaign/steering.ts). */
  steer?: boolean;
}

export async function fuzzCommand(options: FuzzOptions): Promise<number> {
  if (options.runs !== undefined && options.time !== undefined)
    throw new UsageError('--runs and --time cannot be used together');
  if (options.steer && options.scenario !== undefined)
    throw new UsageError('--steer steers generated scenarios and cannot be used with --scenario');
  const version = versionFromOptions(options, options.defect);
  checkWorkers(options.workers ?? 1, options.forceWorkers ?? false);
  checkSeedRange(options.seed ?? DEFAULT_SEED, options.runs ?? (options.time === undefined ? DEFAULT_RUNS : undefined));
  // Loaded before any folder is made: a module that cannot load leaves nothing behind.
  const transport = options.transport === undefined ? undefined : await loadTransportModule(options.transport);
  const campaign: Omit<CampaignOptions, 'shouldStop' | 'onProgress' | 'onNewFailure'> = {
    version: runVersionOf(version),
    baseSeed: options.seed ?? DEFAULT_SEED,
    ...(options.scenario === undefined ? {} : { scenario: resolveScenario(options.scenario) }),
    ...(options.runs === undefined ? {} : { runs: options.runs }),
    ...(options.time === undefined ? {} : { timeSec: options.time }),
    ...(options.shard === undefined ? {} : { shard: options.shard }),
    ...(options.shrinkRuns === undefined ? {} : { shrinkRuns: options.shrinkRuns }),
    ...(transport === undefined ? {} : { transport }),
    ...(options.culpritRuns === undefined ? {} : { culpritRuns: options.culpritRuns }),
    ...(options.steer ? { steer: true } : {}),
    workers: options.workers ?? 1,
    outDir: options.out ?? DEFAULT_REPRO_DIR,
  };
  if (options.out !== undefined) prepareOutDir({ flag: '--out', path: options.out });
  else checkOutDir({ flag: 'the repro folder', path: DEFAULT_REPRO_DIR });
  return runCampaignFromCli(campaign, {
    json: options.json ?? false,
    ...(options.out === undefined ? {} : { filesDir: options.out }),
    ...(options.scenario !== undefined && isScenarioFile(options.scenario) ? { scenarioFile: options.scenario } : {}),
  });
}

/** As resolveScenario reads its argument: a path when it has a separator or ends in .json, else a name. */
function isScenarioFile(scenario: string): boolean {
  return /[/\\]|\.json$/.test(scenario);
}

/**
 * Workers past the core count share cores: the campaign gets slower and each worker holds its own
 * runs in memory, so more than os.availableParallelism() needs --force-workers.
 */
function checkWorkers(workers: number, force: boolean): void {
  const cores = availableParallelism();
  if (workers <= cores || force) return;
  throw new UsageError(
    `--workers ${workers} is more than this machine's ${cores} cores (the cap, os.availableParallelism()); ` +
      'add --force-workers to use that many anyway',
  );
}

/**
 * Run i uses seed + i, and every seed must be one `run --seed` accepts, so each run of the
 * campaign can be reproduced alone. A time budget simply ends at the last seed.
 */
function checkSeedRange(baseSeed: number, runs: number | undefined): void {
  if (runs === undefined || baseSeed + runs - 1 <= MAX_SEED) return;
  throw new UsageError(
    `--seed ${baseSeed} with ${runs} runs would reach seed ${baseSeed + runs - 1}, ` +
      `past the largest seed ${MAX_SEED} (MAX_SEED)`,
  );
}

export interface CampaignOutputOptions {
  json: boolean;
  /** Where the summary, JUnit and HTML report go; none are written without it. */
  filesDir?: string;
  reportPassingRun?: boolean;
  /** The file the fuzzed scenario was read from, for JUnit's `file`. */
  scenarioFile?: string;
}

export async function runCampaignFromCli(
  campaign: Omit<CampaignOptions, 'shouldStop' | 'onProgress' | 'onNewFailure'>,
  output: CampaignOutputOptions,
): Promise<number> {
  const bar = new ProgressBar({
    quiet: output.json,
    ...(campaign.timeSec ? { budgetMs: campaign.timeSec * 1000 } : {}),
  });
  // A timestamp for people reading JUnit and the summary; the real clock enters through the env.
  const startedAt = new Date(realEnv().clock.now()).toISOString();
  // Watched until the summary is out, so a signal at any point before it still gets the summary.
  const interrupt = watchInterrupt();
  try {
    let result: CampaignResult;
    bar.start();
    try {
      result = await runCampaign({
        ...campaign,
        shouldStop: interrupt.stopRequested,
        onProgress: (progress) => bar.update(progress),
        onShrinkProgress: (progress) => bar.shrinking(progress),
        onNewFailure: (failure) => {
          bar.noteFinding();
          bar.clear();
          printErr(`new failure (seed ${failure.outcome.seed}): ${failure.signature}\n  repro ${failure.repro.path}`);
        },
      });
    } finally {
      bar.stop();
    }
    const summary = campaignSummaryOf(result, {
      startedAt,
      ...(output.scenarioFile === undefined ? {} : { scenarioFile: output.scenarioFile }),
    });
    await printCampaign(result, summary, output);
    interrupt.summaryWritten();
    if (result.interrupted || interrupt.stopRequested()) return INTERRUPTED_EXIT_CODE;
    return campaignExitCode(summary);
  } finally {
    interrupt.dispose();
  }
}

/** 1 when the campaign has any finding, as the summary, --json and JUnit count them; else 0. */
export function campaignExitCode(summary: CampaignSummary): number {
  return campaignFindings(summary).length > 0 ? 1 : 0;
}

/** The summary on stdout (or one JSON object), and with a files folder the summary, JUnit, reports and index. */
async function printCampaign(
  result: CampaignResult,
  summary: CampaignSummary,
  output: CampaignOutputOptions,
): Promise<void> {
  let files: CampaignFiles | undefined;
  if (output.filesDir !== undefined)
    files = await writeCampaignFiles(result, summary, output.filesDir, {
      reportPassingRun: output.reportPassingRun ?? false,
    });
  if (output.json) return printJson(campaignJson(result, summary, files));
  if (result.shard) {
    const { index, count } = result.shard;
    printOut(
      `shard ${index}/${count}: ${seedsText(summary)} ` +
        `(run i, seed ${summary.baseSeed} + i, for each i with i % ${count} = ${index - 1})`,
    );
  }
  printOut(renderCampaignSummary(summary).trimEnd());
  shrinkLines(result).forEach((line) => printOut(line));
  if (result.interrupted)
    printOut('interrupted: the summary covers the runs finished so far; findings were not shrunk');
  if (files?.earlier) printOut(`earlier results in this folder moved to ${files.earlier}`);
  if (files) {
    printOut(`files: ${files.summary}, ${files.summaryJson}, ${files.junit}`);
    printOut(`open ${files.index}: every finding with its culprit, report and replay command`);
  }
}

/** How far each finding shrank; the summary above already names the shrunk repro. */
function shrinkLines(result: CampaignResult): string[] {
  const shrunk = result.findings.filter((finding) => finding.shrunk);
  if (shrunk.length === 0) return [];
  return [
    '',
    'shrunk (same seed, smaller scenario):',
    ...shrunk.map((finding) => {
      const { before, after, changes } = finding.shrunk!;
      return (
        `  ${finding.property}: ${changes.length} changes, ` +
        `faults fired ${before.faultsFired} -> ${after.faultsFired}, steps ${before.steps} -> ${after.steps}`
      );
    }),
  ];
}
