/**
 * The files a campaign leaves in its output folder besides the repros: the summary as text,
 * JUnit XML for CI, and the HTML report (with Perfetto trace and timeline) of its first finding,
 * shrunk when possible, or, when asked, of one passing run so there is always something to open.
 */
import { unfiredFaults, renderCampaignSummary, type CampaignSummary } from '../reports/index.ts';
import { toJUnitXml } from '../reports/index.ts';
import { culpritText, faultsText, type HeaderFact } from '../reports/index.ts';
import { writeReportFiles, type ReportPaths } from '../reports/index.ts';
import { writeNew } from '../sim/files/index.ts';
import { runCampaignIndex } from '../sim/campaign/index.ts';
import type { CampaignFinding, CampaignResult } from '../sim/campaign/index.ts';
import { loadRunFile } from './run-file.ts';

export interface CampaignFiles {
  summary: string;
  junit: string;
  report?: ReportPaths;
}

export async function writeCampaignFiles(
  result: CampaignResult,
  summary: CampaignSummary,
  dir: string,
  options: { reportPassingRun?: boolean } = {},
): Promise<CampaignFiles> {
  const files: CampaignFiles = {
    summary: writeNew(dir, 'summary.txt', renderCampaignSummary(summary)),
    junit: writeNew(dir, 'junit.xml', toJUnitXml(summary)),
  };
  const first = result.findings[0];
  if (first) {
    files.report = writeReportFiles(await loadRunFile(first.shrunk?.repro ?? first.repro), dir, findingFacts(first));
  } else if (options.reportPassingRun && result.outcomes[0]) {
    files.report = writeReportFiles(
      await runCampaignIndex(result.spec, result.outcomes[0].index, result.transport?.factory),
      dir,
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
    version: result.spec.version,
    scenario: result.spec.scenario?.name ?? 'generated',
    workers: result.workers,
    ...(result.shard ? { shard: `${result.shard.index}/${result.shard.count}` } : {}),
    interrupted: result.interrupted,
    findings: result.findings,
    faultCoverage: summary.faultCoverage,
    unfiredFaults: unfiredFaults(summary),
    steered: result.steered,
    probes: result.probes,
    results: summary.results,
    ...(files ? { files } : {}),
  };
}
