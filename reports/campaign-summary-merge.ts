/**
 * The summaries of a sharded campaign's shards as the summary of the whole campaign. Shards split
 * the runs, never a run, so runs, failures, fault coverage and run rows add up; findings are merged
 * the way a campaign merges its own (sim/campaign/finding-groups.ts): one per culprit group, shown
 * by its smallest shrunk repro, counting the runs of every shard that failed with any of its
 * signatures.
 */
import { groupKey } from '../sim/campaign/index.ts';
import type { CampaignFinding, CampaignRunRow, CampaignSummary } from './campaign-summary.ts';

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
    findings: mergeFindings(shards, results),
    results,
    ...(notChecked ? { notChecked } : {}),
    ...mergeProbes(shards),
  };
}

function sum(values: readonly number[]): number {
  return values.reduce((total, value) => total + value, 0);
}

function mergeCoverage(shards: readonly CampaignSummary[]): CampaignSummary['faultCoverage'] {
  const coverage: CampaignSummary['faultCoverage'] = {};
  for (const shard of shards)
    for (const [kind, { enabledRuns, fired, notApplicableRuns, needs }] of Object.entries(shard.faultCoverage)) {
      const entry = (coverage[kind] ??= { enabledRuns: 0, fired: 0 });
      entry.enabledRuns += enabledRuns;
      entry.fired += fired;
      if (notApplicableRuns !== undefined) entry.notApplicableRuns = (entry.notApplicableRuns ?? 0) + notApplicableRuns;
      if (needs !== undefined) entry.needs = [...new Set([...(entry.needs ?? []), ...needs])].sort();
    }
  return coverage;
}

/** Probe hits add up; a declared probe is never hit when no shard hit it. */
function mergeProbes(shards: readonly CampaignSummary[]): Pick<CampaignSummary, 'probes'> {
  const withProbes = shards.flatMap((shard) => (shard.probes ? [shard.probes] : []));
  if (withProbes.length === 0) return {};
  const catalogue = [...new Set(withProbes.flatMap((probes) => probes.catalogue))].sort();
  const hit: Record<string, { runs: number; hits: number }> = {};
  for (const name of [...new Set(withProbes.flatMap((probes) => Object.keys(probes.hit)))].sort()) {
    const entries = withProbes.flatMap((probes) => (probes.hit[name] ? [probes.hit[name]] : []));
    hit[name] = { runs: sum(entries.map((e) => e.runs)), hits: sum(entries.map((e) => e.hits)) };
  }
  return { probes: { catalogue, hit, neverHit: catalogue.filter((name) => hit[name] === undefined) } };
}

function mergeNotChecked(shards: readonly CampaignSummary[]): Record<string, string[]> | undefined {
  const needs = new Map<string, Set<string>>();
  for (const shard of shards)
    for (const [property, kinds] of Object.entries(shard.notChecked ?? {}))
      needs.set(property, new Set([...(needs.get(property) ?? []), ...kinds]));
  if (needs.size === 0) return undefined;
  return Object.fromEntries([...needs].map(([property, kinds]) => [property, [...kinds].sort()]));
}

/**
 * The campaign attributes each signature (finds its culprits, so its group) on the first run that
 * showed it. The shard holding that run attributed it on the same run, the same way, so its word
 * is taken; the other shards' attributions, made on later runs, are not. Signatures are then
 * grouped by culprit group in the order the campaign meets them: by run, then within a run.
 */
function mergeFindings(shards: readonly CampaignSummary[], rows: readonly CampaignRunRow[]): CampaignFinding[] {
  const owners = signatureOwners(shards);
  const groups = new Map<string, string[]>();
  for (const signature of occurrenceOrder(rows)) {
    const owner = owners.get(signature);
    if (owner === undefined) continue;
    const key = groupKey(owner.finding);
    groups.set(key, [...(groups.get(key) ?? []), signature]);
  }
  return [...groups.values()].map((members) => mergeGroup(members, owners, rows));
}

interface Owner {
  /** The finding, in the shard that saw the signature first, that the signature belongs to. */
  finding: CampaignFinding;
  firstSeed: number;
}

function signatureOwners(shards: readonly CampaignSummary[]): Map<string, Owner> {
  const owners = new Map<string, Owner>();
  for (const shard of shards)
    for (const finding of shard.findings)
      for (const signature of [finding.signature, ...finding.merged]) {
        const firstSeed = shard.results.find((row) => row.signatures.includes(signature))?.seed ?? finding.firstSeed;
        const known = owners.get(signature);
        if (known === undefined || firstSeed < known.firstSeed) owners.set(signature, { finding, firstSeed });
      }
  return owners;
}

function occurrenceOrder(rows: readonly CampaignRunRow[]): string[] {
  return [...new Set(rows.flatMap((row) => row.signatures))];
}

/**
 * Shown, as a campaign shows a group, by its smallest shrunk repro, else its first member; only a
 * signature its shard showed a finding by has its message and repro here to show.
 */
function mergeGroup(members: readonly string[], owners: Map<string, Owner>, rows: readonly CampaignRunRow[]) {
  const shown = members.filter((signature) => owners.get(signature)!.finding.signature === signature);
  const steps = (signature: string) => owners.get(signature)!.finding.steps ?? Infinity;
  const own = (shown.length > 0 ? shown : [members[0]!]).reduce((best, s) => (steps(s) < steps(best) ? s : best));
  const { finding } = owners.get(own)!;
  const count = rows.filter((row) => row.signatures.some((signature) => members.includes(signature))).length;
  return { ...finding, signature: own, count, merged: members.filter((signature) => signature !== own) };
}
