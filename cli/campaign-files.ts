/**
 * The files a campaign leaves in its output folder besides the repros: the summary as text,
 * JUnit XML for CI, each finding's report (HTML, Perfetto trace, timeline; of its shrunk repro
 * when there is one) in a folder of its own, and `index.html` linking them all, the page to open.
 * Without findings, when asked, the report of one passing run, so there is always something to open.
 */
import { mkdirSync } from 'node:fs';
import { join, relative } from 'node:path';
import { unfiredFaults, renderCampaignSummary, type CampaignSummary } from '../reports/index.ts';
import { toJUnitXml } from '../reports/index.ts';
import { culpritText, faultsText, type NextStep } from '../reports/index.ts';
import { writeCampaignIndex, writeReportFiles, type FindingReport, type ReportPaths } from '../reports/index.ts';
import { writeNew } from '../sim/files/index.ts';
import { counterexampleSize } from '../sim/shrink/index.ts';
import { runCampaignIndex } from '../sim/campaign/index.ts';
import type { CampaignFinding, CampaignResult } from '../sim/campaign/index.ts';
import type { RunResult } from '../sim/index.ts';
import { loadRunFile } from './run-file.ts';

export interface CampaignFiles {
  summary: string;
  junit: string;
  /** The page to open: every finding, its culprit, report and replay command. */
  index: string;
  /** The first finding's report (or a passing run's). */
  report?: ReportPaths;
  /** Each finding's report, in the order of the findings. */
  findingReports: ReportPaths[];
}

/** Most folders named like one finding's before giving up: a folder that full is a mistake. */
const FOLDER_COUNTER_MAX = 1000;

export async function writeCampaignFiles(
  result: CampaignResult,
  summary: CampaignSummary,
  dir: string,
  options: { reportPassingRun?: boolean } = {},
): Promise<CampaignFiles> {
  const summaryPath = writeNew(dir, 'summary.txt', renderCampaignSummary(summary));
  const junit = writeNew(dir, 'junit.xml', toJUnitXml(summary));
  // Each report goes to a fresh folder, so where it lands is known before it is written and the
  // index and the reports can link each other.
  const folders = result.findings.map((_, i) => freshFolder(dir, `finding-${i + 1}`));
  // One at a time: a replay holds the process's hooks while it runs.
  const runs: RunResult[] = [];
  for (const finding of result.findings) runs.push(await loadRunFile(reproOf(finding)));
  const passing =
    runs.length === 0 && options.reportPassingRun && result.outcomes[0]
      ? await runCampaignIndex(result.spec, result.outcomes[0].index, result.transport?.factory)
      : undefined;
  const passingFolder = passing ? freshFolder(dir, 'passing-run') : undefined;
  const indexed: FindingReport[] = result.findings.map((finding, i) => {
    const size = counterexampleSize(runs[i]!);
    return {
      signature: finding.signature,
      report: relative(dir, join(folders[i]!, 'report.html')),
      size: { faultsFired: size.faultsFired, userActions: size.userActions },
      ...(result.spec.transport ? { transportPath: result.spec.transport.path } : {}),
    };
  });
  const index = writeCampaignIndex(
    dir,
    summary,
    indexed,
    passingFolder ? { passingRunReport: relative(dir, join(passingFolder, 'report.html')) } : {},
  );
  const findingReports = runs.map((run, i) =>
    writeReportFiles(run, folders[i]!, { nextStep: nextStepOf(result, i, folders, index) }),
  );
  const report = findingReports[0] ?? (passing ? writeReportFiles(passing, passingFolder!) : undefined);
  return { summary: summaryPath, junit, index, ...(report ? { report } : {}), findingReports };
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

function reproOf(finding: CampaignFinding): string {
  return finding.shrunk?.repro ?? finding.repro;
}

/** What the report of finding `i` says to do next, with links to the index and the other findings. */
function nextStepOf(result: CampaignResult, i: number, folders: readonly string[], index: string): NextStep {
  const finding = result.findings[i]!;
  const here = folders[i]!;
  return {
    finding: {
      k: i + 1,
      n: result.findings.length,
      signature: finding.signatures.join('; '),
      culprit: culpritText(finding.culprits.defects),
      faultsNeeded: faultsText(finding.culprits.faults),
    },
    reproPath: reproOf(finding),
    ...(result.spec.transport ? { transportPath: result.spec.transport.path } : {}),
    indexHref: relative(here, index),
    others: result.findings.flatMap((other, j) =>
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
    version: result.spec.version,
    scenario: result.spec.scenario?.name ?? 'generated',
    workers: result.workers,
    ...(result.shard ? { shard: `${result.shard.index}/${result.shard.count}` } : {}),
    interrupted: result.interrupted,
    findings: result.findings,
    faultCoverage: summary.faultCoverage,
    unfiredFaults: unfiredFaults(summary),
    results: summary.results,
    ...(files ? { files } : {}),
  };
}
