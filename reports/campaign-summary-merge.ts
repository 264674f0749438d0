/**
 * The summaries of a sharded campaign's shards as the summary of the whole campaign. Shards split
 * the runs, never a run, so runs, failures, fault coverage and run rows add up; findings are merged
 * the way a campaign merges its own (sim/campaign/finding-groups.ts): one per culprit group, shown
 * by its smallest shrunk repro, then its earliest, counting the runs of every shard.
 */
import { groupKey } from '../sim/campaign/index.ts';
import type { CampaignFinding, CampaignSummary } from './campaign-summary.ts';

/** The shards must be of one campaign (same version, scenario and base seed); the caller checks. */
export function mergeCampaignSummaries(shards: readonly CampaignSummary[]): CampaignSummary {
  const first = shards[0];
  if (first === undefined) throw new RangeError('mergeCampaignSummaries: no summaries to merge');
  const results = shards.flatMap((shard) => shard.results).sort((a, b) => a.seed - b.seed);
  // Shards run side by side: the campaign took as long as its slowest shard.
  const wallMs = Math.max(...shards.map((shard) => shard.wallMs));
  const startedAt = shards.flatMap((shard) => (shard.startedAt ? [shard.startedAt] : [])).sort()[0];
  const notChecked = mergeNotChecked(shards);
  return {
    baseSeed: first.baseSeed,
    scenario: first.scenario,
    ...(first.scenarioFile === undefined ? {} : { scenarioFile: first.scenarioFile }),
    ...(startedAt === undefined ? {} : { startedAt }),
    runs: sum(shards.map((shard) => shard.runs)),
    failures: sum(shards.map((shard) => shard.failures)),
    runsPerSec: sum(shards.map((shard) => shard.runs)) / Math.max(wallMs / 1000, 0.001),
    wallMs,
    seedStart: Math.min(...shards.map((shard) => shard.seedStart)),
    version: first.version,
    faultCoverage: mergeCoverage(shards),
    findings: mergeFindings(shards.flatMap((shard) => shard.findings)),
    results,
    ...(notChecked ? { notChecked } : {}),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function mergeCoverage(shards: readonly CampaignSummary[]): CampaignSummary['faultCoverage'] {
  const coverage: CampaignSummary['faultCoverage'] = {};
  for (const shard of shards)
    for (const [kind, { enabledRuns, fired }] of Object.entries(shard.faultCoverage)) {
      const entry = (coverage[kind] ??= { enabledRuns: 0, fired: 0 });
      entry.enabledRuns += enabledRuns;
      entry.fired += fired;
    }
  return coverage;
}

function mergeNotChecked(shards: readonly CampaignSummary[]): Record<string, string[]> | undefined {
  const needs = new Map<string, Set<string>>();
  for (const shard of shards)
    for (const [property, kinds] of Object.entries(shard.notChecked ?? {}))
      needs.set(property, new Set([...(needs.get(property) ?? []), ...kinds]));
  if (needs.size === 0) return undefined;
  return Object.fromEntries([...needs].map(([property, kinds]) => [property, [...kinds].sort()]));
}

/** In order of each group's earliest seed, as a campaign orders findings by their first run. */
function mergeFindings(findings: readonly CampaignFinding[]): CampaignFinding[] {
  const groups = new Map<string, CampaignFinding[]>();
  for (const finding of findings) {
    const key = groupKey(finding);
    groups.set(key, [...(groups.get(key) ?? []), finding]);
  }
  return [...groups.values()]
    .map((members) => [...members].sort((a, b) => a.firstSeed - b.firstSeed))
    .sort((a, b) => a[0]!.firstSeed - b[0]!.firstSeed)
    .map(mergeGroup);
}

function mergeGroup(members: readonly CampaignFinding[]): CampaignFinding {
  const shown = members.reduce((best, finding) =>
    (finding.steps ?? Infinity) < (best.steps ?? Infinity) ? finding : best,
  );
  const signatures = new Set(members.flatMap((finding) => [finding.signature, ...finding.merged]));
  signatures.delete(shown.signature);
  return {
    ...shown,
    count: sum(members.map((finding) => finding.count)),
    firstSeed: Math.min(...members.map((finding) => finding.firstSeed)),
    merged: [...signatures],
  };
}
