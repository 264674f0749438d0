/**
 * What a campaign counts as a finding, in one place, so the text summary, `--json`, JUnit and the
 * exit code cannot disagree: every failure finding (one bug, however many runs and signatures
 * showed it) and every fault kind that was enabled but never fired, since a campaign that never
 * injected a fault it claims to test has not tested it.
 */
import type { CampaignFinding, CampaignSummary } from './campaign-summary.ts';

export interface FailureFinding extends CampaignFinding {
  kind: 'failure';
}

export interface FaultCoverageFinding {
  kind: 'fault-coverage';
  property: 'fault-coverage';
  fault: string;
  enabledRuns: number;
  message: string;
}

export type ReportedFinding = FailureFinding | FaultCoverageFinding;

/** Fault kinds enabled in at least one run that fired in none. */
export function unfiredFaults(summary: Pick<CampaignSummary, 'faultCoverage'>): string[] {
  return Object.keys(summary.faultCoverage)
    .sort()
    .filter((kind) => summary.faultCoverage[kind]!.enabledRuns > 0 && summary.faultCoverage[kind]!.fired === 0);
}

/** Failures first, in the campaign's order, then unfired fault kinds by name. */
export function campaignFindings(summary: Pick<CampaignSummary, 'findings' | 'faultCoverage'>): ReportedFinding[] {
  const failures = summary.findings.map((finding): FailureFinding => ({ kind: 'failure', ...finding }));
  const coverage = unfiredFaults(summary).map((fault): FaultCoverageFinding => {
    const { enabledRuns } = summary.faultCoverage[fault]!;
    const message = `${fault} was enabled in ${enabledRuns} runs and never fired`;
    return { kind: 'fault-coverage', property: 'fault-coverage', fault, enabledRuns, message };
  });
  return [...failures, ...coverage];
}

/** The command that replays a failure finding: its repro file, or the one that names it. */
export function replayCommand(finding: Pick<CampaignFinding, 'repro' | 'firstSeed'>): string | undefined {
  if (finding.repro === undefined) return undefined;
  return finding.repro.startsWith('ssesim ') ? finding.repro : `ssesim replay ${finding.repro}`;
}
