/**
 * `ssesim fuzz`: a campaign of generated scenarios (or one named scenario under many seeds) with
 * a live progress line, a repro per distinct failure written as soon as it shows, shrunk
 * findings, a summary, and JUnit plus an HTML report with --out. Ctrl-C stops it early with the
 * summary so far (exit 130).
 */
import { resolveScenario } from '../scenarios/index.ts';
import type { DefectId } from '../transport/index.ts';
import { runCampaign, type CampaignOptions, type CampaignResult } from '../sim/campaign/index.ts';
import type { Shard } from '../sim/campaign/index.ts';
import { runVersionOf } from '../sim/index.ts';
import { campaignSummaryOf, renderCampaignSummary } from '../reports/index.ts';
import { versionFromOptions } from './parse-options.ts';
import { campaignJson, writeCampaignFiles, type CampaignFiles } from './campaign-files.ts';
import { ProgressBar } from './progress-bar.ts';
import { INTERRUPTED_EXIT_CODE, watchInterrupt } from './interrupt.ts';
import { printErr, printJson, printOut } from './output.ts';
import { UsageError } from './usage-error.ts';
import { DEFAULT_REPRO_DIR } from './paths.ts';
import { DEFAULT_SEED } from './run-command.ts';

export interface FuzzOptions {
  runs?: number;
  time?: number;
  seed?: number;
  version?: string;
  defect?: DefectId[];
  workers?: number;
  shard?: Shard;
  out?: string;
  json?: boolean;
  scenario?: string;
  shrinkRuns?: number;
  /** A transport module's path; the bundled transport without it. */
  transport?: string;
}

export async function fuzzCommand(options: FuzzOptions): Promise<number> {
  if (options.runs !== undefined && options.time !== undefined)
    throw new UsageError('--runs and --time cannot be used together');
  const version = versionFromOptions(options.version, options.defect);
  const campaign: Omit<CampaignOptions, 'shouldStop' | 'onProgress' | 'onNewFailure'> = {
    version: runVersionOf(version),
    baseSeed: options.seed ?? DEFAULT_SEED,
    ...(options.scenario === undefined ? {} : { scenario: resolveScenario(options.scenario) }),
    ...(options.runs === undefined ? {} : { runs: options.runs }),
    ...(options.time === undefined ? {} : { timeSec: options.time }),
    ...(options.shard === undefined ? {} : { shard: options.shard }),
    ...(options.shrinkRuns === undefined ? {} : { shrinkRuns: options.shrinkRuns }),
    ...(options.transport === undefined ? {} : { transport: options.transport }),
    workers: options.workers ?? 1,
    outDir: options.out ?? DEFAULT_REPRO_DIR,
  };
  return runCampaignFromCli(campaign, {
    json: options.json ?? false,
    ...(options.out === undefined ? {} : { filesDir: options.out }),
  });
}

export interface CampaignOutputOptions {
  json: boolean;
  /** Where the summary, JUnit and HTML report go; none are written without it. */
  filesDir?: string;
  reportPassingRun?: boolean;
}

export async function runCampaignFromCli(
  campaign: Omit<CampaignOptions, 'shouldStop' | 'onProgress' | 'onNewFailure'>,
  output: CampaignOutputOptions,
): Promise<number> {
  const bar = new ProgressBar();
  const interrupt = watchInterrupt();
  let result: CampaignResult;
  try {
    result = await runCampaign({
      ...campaign,
      shouldStop: interrupt.stopRequested,
      onProgress: (progress) => bar.update(progress),
      onNewFailure: (failure) => {
        bar.clear();
        printErr(`new failure (seed ${failure.outcome.seed}): ${failure.signature}\n  repro ${failure.repro.path}`);
      },
    });
  } finally {
    bar.clear();
    interrupt.dispose();
  }
  const summary = campaignSummaryOf(result);
  let files: CampaignFiles | undefined;
  if (output.filesDir !== undefined)
    files = await writeCampaignFiles(result, summary, output.filesDir, {
      reportPassingRun: output.reportPassingRun ?? false,
    });
  if (output.json) {
    printJson(campaignJson(result, summary, files));
  } else {
    if (result.shard)
      printOut(
        `shard ${result.shard.index}/${result.shard.count}: run indexes i with i % ${result.shard.count} = ${result.shard.index - 1}`,
      );
    printOut(renderCampaignSummary(summary).trimEnd());
    shrinkLines(result).forEach((line) => printOut(line));
    if (result.interrupted)
      printOut('interrupted: the summary covers the runs finished so far; findings were not shrunk');
    if (files) printOut(`files: ${files.summary}, ${files.junit}${files.report ? `, ${files.report.html}` : ''}`);
  }
  if (result.interrupted) return INTERRUPTED_EXIT_CODE;
  return result.findings.length > 0 ? 1 : 0;
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
      return `  ${finding.property}: ${changes.length} changes, faults fired ${before.faultsFired} -> ${after.faultsFired}, steps ${before.steps} -> ${after.steps}`;
    }),
  ];
}
