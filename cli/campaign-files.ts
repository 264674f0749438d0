/**
 * The files a campaign (or a merge of shards) leaves in its output folder besides the repros: the
 * summary as text and as JSON (what `ssesim merge` combines), JUnit XML for CI, each finding's
 * report (HTML, Perfetto trace, timeline; of its shrunk repro when there is one) in a folder of its
 * own, and `index.html` linking them all, the page to open. Without findings, when asked, the report
 * of one passing run, so there is always something to open. The names are fixed; a rerun into the
 * same folder moves the earlier files aside first (fixed-names.ts).
 */
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { campaignFindings, renderCampaignSummary, type CampaignSummary } from '../reports/index.ts';
import { seedsText, unfiredFaults, toJUnitXml } from '../reports/index.ts';
import { culpritText, faultsText, type NextStep } from '../reports/index.ts';
import { writeCampaignIndex, writeReportFiles, type FindingReport, type ReportPaths } from '../reports/index.ts';
import { writeNew } from '../sim/files/index.ts';
import { counterexampleSize } from '../sim/shrink/index.ts';
import { runCampaignIndex } from '../sim/campaign/index.ts';
import type { CampaignResult, Culprits } from '../sim/campaign/index.ts';
import type { RunResult } from '../sim/index.ts';
import { loadRunFile } from './run-file.ts';
import { moveEarlierResultsAside } from './fixed-names.ts';

export interface SummaryFiles {
  summary: string;
  summaryJson: string;
  junit: string;
  /** Where the earlier results under these names went. */
  earlier?: string;
}

export interface CampaignFiles extends SummaryFiles {
  /** The page to open: every finding, its culprit, report and replay command. */
  index: string;
  /** The first finding's report (or a passing run's). */
  report?: ReportPaths;
  /** Each finding's report, in the order of the findings. */
  findingReports: ReportPaths[];
}

/** What a finding's report and its line in the index need, from a campaign or a merged summary. */
export interface ReportedFinding {
  signatures: string[];
  property: string;
  culprits: Culprits;
  /** The repro the report replays: the shrunk one when there is one. */
  repro: string;
}

/** The summary, its JSON and JUnit under their fixed names, earlier results moved aside. */
export function writeSummaryFiles(summary: CampaignSummary, dir: string): SummaryFiles {
  const earlier = moveEarlierResultsAside(dir);
  return {
    summary: writeNew(dir, 'summary.txt', renderCampaignSummary(summary)),
    summaryJson: writeNew(dir, 'summary.json', `${JSON.stringify(summary, null, 2)}\n`),
    junit: writeNew(dir, 'junit.xml', toJUnitXml(summary)),
    ...(earlier === null ? {} : { earlier }),
  };
}

/** Most folders named like one finding's before giving up: a folder that full is a mistake. */
const FOLDER_COUNTER_MAX = 1000;

export async function writeCampaignFiles(
  result: CampaignResult,
  summary: CampaignSummary,
  dir: string,
  options: { reportPassingRun?: boolean } = {},
): Promise<CampaignFiles> {
  const files = writeSummaryFiles(summary, dir);
  const findings: ReportedFinding[] = result.findings.map((finding) => ({
    signatures: finding.signatures,
    property: finding.property,
    culprits: finding.culprits,
    repro: finding.shrunk?.repro ?? finding.repro,
  }));
  const passing =
    findings.length === 0 && options.reportPassingRun && result.outcomes[0]
      ? await runCampaignIndex(result.spec, result.outcomes[0].index, result.transport?.factory)
      : undefined;
  return { ...files, ...(await writeFindingReports(summary, findings, dir, result.spec.transport?.path, passing)) };
}

/**
 * Each finding's report in a folder of its own and the index linking them, written so that each
 * knows where the others land; with no findings, the passing run's report when one is given.
 */
export async function writeFindingReports(
  summary: CampaignSummary,
  findings: readonly ReportedFinding[],
  dir: string,
  transportPath?: string,
  passing?: RunResult,
): Promise<Pick<CampaignFiles, 'index' | 'report' | 'findingReports'>> {
  const folders = findings.map((_, i) => freshFolder(dir, `finding-${i + 1}`));
  // One at a time: a replay holds the process's hooks while it runs.
  const runs: RunResult[] = [];
  for (const finding of findings) runs.push(await loadRunFile(finding.repro));
  const passingFolder = passing ? freshFolder(dir, 'passing-run') : undefined;
  const indexed: FindingReport[] = findings.map((finding, i) => {
    const size = counterexampleSize(runs[i]!);
    return {
      signature: finding.signatures[0]!,
      report: relative(dir, join(folders[i]!, 'report.html')),
      size: { faultsFired: size.faultsFired, userActions: size.userActions },
      ...(transportPath ? { transportPath } : {}),
    };
  });
  const index = writeCampaignIndex(
    dir,
    summary,
    indexed,
    passingFolder ? { passingRunReport: relative(dir, join(passingFolder, 'report.html')) } : {},
  );
  const findingReports = runs.map((run, i) =>
    writeReportFiles(run, folders[i]!, { nextStep: nextStepOf(findings, i, folders, index, transportPath) }),
  );
  const report = findingReports[0] ?? (passing ? writeReportFiles(passing, passingFolder!) : undefined);
  return { index, ...(report ? { report } : {}), findingReports };
}

/** A new folder `name` in `dir`, or `name-2`, `name-3`...: a report never lands among an earlier campaign's. */
function freshFolder(dir: string, name: string): string {
  mkdirSync(dir, { recursive: true });
  for (let n = 1; n <= FOLDER_COUNTER_MAX; n++) {
    const path = join(dir, n === 1 ? name : `${name}-${n}`);
    try {
      mkdirSync(path);
      return path;
    } catch (error) {
      if ((error as NodeJS.ErrnoException).code !== 'EEXIST') throw error;
    }
  }
  throw new Error(`${FOLDER_COUNTER_MAX} folders named like ${name} in ${dir} (limit FOLDER_COUNTER_MAX); remove some`);
}

/** What the report of finding `i` says to do next, with links to the index and the other findings. */
function nextStepOf(
  findings: readonly ReportedFinding[],
  i: number,
  folders: readonly string[],
  index: string,
  transportPath?: string,
): NextStep {
  const finding = findings[i]!;
  const here = folders[i]!;
  return {
    finding: {
      k: i + 1,
      n: findings.length,
      signature: finding.signatures.join('; '),
      culprit: culpritText(finding.culprits.defects),
      faultsNeeded: faultsText(finding.culprits.faults),
    },
    reproPath: finding.repro,
    ...(transportPath ? { transportPath } : {}),
    indexHref: relative(here, index),
    others: findings.flatMap((other, j) =>
      j === i ? [] : [{ label: `${j + 1}. ${other.property}`, href: relative(here, join(folders[j]!, 'report.html')) }],
    ),
  };
}

export function campaignJson(
  result: CampaignResult,
  summary: CampaignSummary,
  files?: CampaignFiles,
): Record<string, unknown> {
  return {
    runs: summary.runs,
    failures: summary.failures,
    runsPerSec: summary.runsPerSec,
    wallMs: summary.wallMs,
    seedStart: summary.seedStart,
    seeds: seedsText(summary),
    version: result.spec.version,
    scenario: summary.scenario,
    workers: result.workers,
    ...(result.shard ? { shard: `${result.shard.index}/${result.shard.count}` } : {}),
    interrupted: result.interrupted,
    findings: campaignFindings(summary),
    faultCoverage: summary.faultCoverage,
    unfiredFaults: unfiredFaults(summary),
    steered: result.steered,
    probes: result.probes,
    results: summary.results,
    ...(files ? { files } : {}),
  };
}
