/**
 * The files a campaign leaves in its output folder besides the repros: the summary as text and as
 * JSON (what `ssesim merge` combines), JUnit XML for CI, and in `report/` the HTML report (with
 * Perfetto trace and timeline) of its first finding, shrunk when possible, or, when asked, of one
 * passing run so there is always something to open. The names are fixed; a rerun into the same
 * folder moves the earlier files aside first (fixed-names.ts).
 */
import { join } from 'node:path';
import { campaignFindings, renderCampaignSummary, type CampaignSummary } from '../reports/index.ts';
import { seedsText, unfiredFaults, toJUnitXml } from '../reports/index.ts';
import { culpritText, faultsText, type HeaderFact } from '../reports/index.ts';
import { writeReportFiles, type ReportPaths } from '../reports/index.ts';
import { writeNew } from '../sim/files/index.ts';
import { runCampaignIndex } from '../sim/campaign/index.ts';
import type { CampaignFinding, CampaignResult } from '../sim/campaign/index.ts';
import { loadRunFile } from './run-file.ts';
import { moveEarlierResultsAside } from './fixed-names.ts';

export interface CampaignFiles {
  summary: string;
  summaryJson: string;
  junit: string;
  report?: ReportPaths;
  /** Where the earlier results under these names went. */
  earlier?: string;
}

/** The summary, its JSON and JUnit under their fixed names, earlier ones moved aside. */
export function writeSummaryFiles(summary: CampaignSummary, dir: string): CampaignFiles {
  const earlier = moveEarlierResultsAside(dir);
  return {
    summary: writeNew(dir, 'summary.txt', renderCampaignSummary(summary)),
    summaryJson: writeNew(dir, 'summary.json', `${JSON.stringify(summary, null, 2)}\n`),
    junit: writeNew(dir, 'junit.xml', toJUnitXml(summary)),
    ...(earlier === null ? {} : { earlier }),
  };
}

export async function writeCampaignFiles(
  result: CampaignResult,
  summary: CampaignSummary,
  dir: string,
  options: { reportPassingRun?: boolean } = {},
): Promise<CampaignFiles> {
  const files = writeSummaryFiles(summary, dir);
  // In a folder of its own: the report's run JUnit must not sit beside the campaign's junit.xml.
  const reportDir = join(dir, 'report');
  const first = result.findings[0];
  if (first) {
    files.report = writeReportFiles(
      await loadRunFile(first.shrunk?.repro ?? first.repro),
      reportDir,
      findingFacts(first),
    );
  } else if (options.reportPassingRun && result.outcomes[0]) {
    files.report = writeReportFiles(
      await runCampaignIndex(result.spec, result.outcomes[0].index, result.transport?.factory),
      reportDir,
    );
  }
  return files;
}

/** What the campaign learned about the finding a report shows, for the report's header. */
function findingFacts(finding: CampaignFinding): HeaderFact[] {
  return [
    ['finding', finding.signatures.join('; ')],
    ['culprit', culpritText(finding.culprits.defects)],
    ['faults needed', faultsText(finding.culprits.faults)],
  ];
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
    results: summary.results,
    ...(files ? { files } : {}),
  };
}
