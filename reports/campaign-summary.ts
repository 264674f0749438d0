/**
 * What a fuzzing campaign found, as data, and its readable text form. Fault coverage is part of
 * the verdict: an enabled fault that never fired means the campaign never tested what it claims
 * to, so it is reported as a finding of its own (campaign-summary-findings.ts), in every output.
 */

import type { Culprits } from '../sim/campaign/index.ts';
import { culpritText, faultsText } from './culprit-text.ts';
import { campaignFindings } from './campaign-summary-findings.ts';
import { seedsText } from './campaign-summary-seeds.ts';
import type { ProbeCoverage } from '../sim/campaign/index.ts';

export interface CampaignFinding {
  /** Groups runs that failed the same way (property plus identifying fields). */
  signature: string;
  property: string;
  count: number;
  firstSeed: number;
  /** Path of a repro file, or the command that replays the first failing seed. */
  repro?: string;
  message: string;
  /** What causes it, found by experiment on its repro (sim/campaign/culprits.ts). */
  culprits: Culprits;
  /** Other signatures merged into this finding because their culprits agree. */
  merged: string[];
  /** Steps of the run its repro replays, when shrunk: a merge shows a group by its smallest repro. */
  steps?: number;
}

export interface CampaignRunRow {
  seed: number;
  verdict: string;
  traceHash: string;
  wallMs: number;
  violations: number;
  /** The run's failure signatures, in the order the campaign groups them: what a merge of shards regroups. */
  signatures: string[];
}

export interface CampaignSummary {
  /** The campaign's first seed: run i uses baseSeed + i, whatever shard ran it. */
  baseSeed: number;
  /** `generated`, or the name of the one scenario fuzzed under every seed. */
  scenario: string;
  /** The file the one fuzzed scenario came from, when it came from one. */
  scenarioFile?: string;
  /** When it started, as an ISO 8601 instant; absent where no wall clock was read. */
  startedAt?: string;
  /** The slice of a sharded campaign this summary covers; absent for a whole (or merged) one. */
  shard?: { index: number; count: number };
  runs: number;
  failures: number;
  runsPerSec: number;
  wallMs: number;
  seedStart: number;
  version: string;
  /** Per fault kind; `notApplicableRuns` and `needs` when the transport's server lacked what it needs. */
  faultCoverage: Record<string, { enabledRuns: number; fired: number; notApplicableRuns?: number; needs?: string[] }>;
  findings: CampaignFinding[];
  results: CampaignRunRow[];
  /** Coverage probes over all runs: runs and hits per probe hit, and the declared probes never hit. */
  probes?: ProbeCoverage;
  /** Properties the campaign's transport did not let it check, with the observations they need. */
  notChecked?: Record<string, string[]>;
}

export function renderCampaignSummary(summary: CampaignSummary): string {
  const lines = [
    `campaign: ${summary.runs} runs on ${summary.version}, ${seedsText(summary)}`,
    `failures: ${summary.failures}  ` +
      `(${(summary.wallMs / 1000).toFixed(1)}s wall, ${summary.runsPerSec.toFixed(1)} runs/s)`,
    '',
    ...coverageLines(summary),
    '',
    ...probeLines(summary.probes),
    ...findingLines(summary),
    ...notCheckedLines(summary),
  ];
  return `${lines.join('\n')}\n`;
}

/** Said after the findings: a property nobody checked is no finding, and no pass either. */
function notCheckedLines(summary: CampaignSummary): string[] {
  const properties = Object.keys(summary.notChecked ?? {}).sort();
  if (properties.length === 0) return [];
  return [
    '',
    `not checked (the transport does not report what they need):`,
    ...properties.map((property) => `  ${property}: needs ${summary.notChecked![property]!.join(', ')}`),
  ];
}

function coverageLines(summary: CampaignSummary): string[] {
  const kinds = Object.keys(summary.faultCoverage).sort();
  if (kinds.length === 0) return ['fault coverage: no faults enabled'];
  const width = Math.max(...kinds.map((kind) => kind.length));
  const lines = ['fault coverage (runs enabled / times fired):'];
  for (const kind of kinds) {
    const { enabledRuns, fired, notApplicableRuns, needs } = summary.faultCoverage[kind]!;
    if (enabledRuns === 0 && notApplicableRuns) {
      lines.push(`  ${kind.padEnd(width)}  ${notApplicableText(notApplicableRuns, needs)}`);
      continue;
    }
    const flag = enabledRuns > 0 && fired === 0 ? '  <- enabled but never fired' : '';
    lines.push(`  ${kind.padEnd(width)}  ${String(enabledRuns).padStart(6)} / ${String(fired).padStart(6)}${flag}`);
  }
  return lines;
}

/** A kind the transport's server cannot take: said as such, never counted as enabled or unfired. */
export function notApplicableText(runs: number, needs: readonly string[] = []): string {
  return `not applicable (enabled in ${runs} runs; the server lacks ${needs.join(', ')})`;
}

/** Probes hit, fewest runs first (the rare ones are the news), then those never hit. */
function probeLines(probes: ProbeCoverage | undefined): string[] {
  const names = Object.keys(probes?.hit ?? {});
  if (!probes || (names.length === 0 && probes.catalogue.length === 0)) return [];
  const declared = probes.catalogue.length;
  const lines = [
    declared > 0
      ? `coverage probes: ${declared - probes.neverHit.length} of ${declared} hit (runs / hits):`
      : 'coverage probes (runs / hits):',
  ];
  names.sort((a, b) => probes.hit[a]!.runs - probes.hit[b]!.runs || (a < b ? -1 : 1));
  const width = Math.max(0, ...names.map((name) => name.length));
  for (const name of names) {
    const { runs, hits } = probes.hit[name]!;
    lines.push(`  ${name.padEnd(width)}  ${String(runs).padStart(6)} / ${String(hits).padStart(6)}`);
  }
  if (probes.neverHit.length > 0) lines.push(`  never hit: ${probes.neverHit.join(', ')}`);
  return [...lines, ''];
}

function findingLines(summary: CampaignSummary): string[] {
  const findings = campaignFindings(summary);
  if (findings.length === 0) return ['findings: none'];
  const lines = [`findings (${findings.length}):`];
  findings.forEach((finding, i) => {
    if (finding.kind === 'fault-coverage') {
      lines.push(`  ${i + 1}. fault-coverage: ${finding.message}`);
      return;
    }
    lines.push(
      `  ${i + 1}. ${finding.property} x${finding.count} (first seed ${finding.firstSeed}): ${finding.message}`,
    );
    lines.push(`     culprit: ${culpritText(finding.culprits.defects)}`);
    lines.push(`     faults needed: ${faultsText(finding.culprits.faults)}`);
    lines.push(`     signature ${finding.signature}`);
    for (const signature of finding.merged) lines.push(`     merged ${signature}`);
    if (finding.repro) lines.push(`     repro ${finding.repro}`);
  });
  return lines;
}
