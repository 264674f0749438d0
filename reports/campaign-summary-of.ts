/** A campaign's result in the shape the reports render (reports/campaign-summary.ts). */
import type { CampaignSummary } from './campaign-summary.ts';
import type { CampaignResult } from '../sim/campaign/index.ts';

/** What the caller knows that the result does not. */
export interface SummaryFacts {
  /** When the campaign started (ISO 8601), read by the caller from a real clock. */
  startedAt?: string;
  /** The file the fuzzed scenario was read from, when it was one. */
  scenarioFile?: string;
}

export function campaignSummaryOf(result: CampaignResult, facts: SummaryFacts = {}): CampaignSummary {
  const first = result.outcomes[0];
  return {
    baseSeed: result.spec.baseSeed,
    scenario: result.spec.scenario?.name ?? 'generated',
    ...facts,
    ...(result.shard ? { shard: { index: result.shard.index, count: result.shard.count } } : {}),
    runs: result.outcomes.length,
    failures: result.outcomes.filter((run) => run.verdict !== 'passed').length,
    runsPerSec: result.runsPerSec,
    wallMs: result.wallMs,
    seedStart: first?.seed ?? result.spec.baseSeed,
    version: result.spec.version.name,
    faultCoverage: result.coverage,
    probes: result.probes,
    findings: result.findings.map((finding) => ({
      signature: finding.signature,
      property: finding.property,
      count: finding.count,
      firstSeed: finding.firstSeed,
      repro: finding.shrunk?.repro ?? finding.repro,
      message: finding.message,
      culprits: finding.culprits,
      merged: finding.signatures.slice(1),
      ...(finding.shrunk ? { steps: finding.shrunk.after.steps } : {}),
    })),
    ...notCheckedIn(result),
    results: result.outcomes.map((run) => ({
      seed: run.seed,
      verdict: run.verdict,
      traceHash: run.traceHash,
      wallMs: run.wallMs,
      violations: run.violations.length,
      signatures: run.signatures,
    })),
  };
}

/** Every property some run could not check, with every observation it lacked; nothing when all were checked. */
function notCheckedIn(result: CampaignResult): { notChecked?: Record<string, string[]> } {
  const needs = new Map<string, Set<string>>();
  for (const run of result.outcomes)
    for (const [property, kinds] of Object.entries(run.notChecked ?? {})) {
      const known = needs.get(property) ?? new Set<string>();
      for (const kind of kinds ?? []) known.add(kind);
      needs.set(property, known);
    }
  if (needs.size === 0) return {};
  return { notChecked: Object.fromEntries([...needs].map(([property, kinds]) => [property, [...kinds].sort()])) };
}
