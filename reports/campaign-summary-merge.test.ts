import { describe, expect, it } from 'vitest';
import { mergeCampaignSummaries } from './campaign-summary-merge.ts';
import type { CampaignFinding, CampaignSummary } from './campaign-summary.ts';

const D1 = {
  defects: { status: 'defects', sets: [['d1']] },
  faults: { status: 'faults', fired: [], needed: [] },
  runs: 3,
};
const UNKNOWN = { defects: { status: 'not-determined', reason: 'budget' }, faults: D1.faults, runs: 3 };

function finding(signature: string, firstSeed: number, extra: Partial<CampaignFinding>): CampaignFinding {
  return {
    signature,
    property: 'p',
    count: 1,
    firstSeed,
    message: `${signature} at ${firstSeed}`,
    merged: [],
    ...extra,
  } as CampaignFinding;
}

function shard(index: number, rows: [number, string[]][], findings: CampaignFinding[]): CampaignSummary {
  return {
    baseSeed: 1,
    scenario: 'generated',
    shard: { index, count: 2 },
    runs: rows.length,
    failures: rows.filter(([, signatures]) => signatures.length > 0).length,
    runsPerSec: 1,
    wallMs: 1000 * index,
    seedStart: rows[0]![0],
    version: 'pr396',
    faultCoverage: { 'http-503': { enabledRuns: 1, fired: index - 1 } },
    findings,
    results: rows.map(([seed, signatures]) => ({
      seed,
      verdict: signatures.length > 0 ? 'violation' : 'passed',
      traceHash: `h${seed}`,
      wallMs: 1,
      violations: signatures.length,
      signatures,
    })),
  };
}

describe('mergeCampaignSummaries', () => {
  // s2 first shows in shard 1 (seed 1), where it joined s1's culprit group; shard 2 met it later
  // (seed 2) and ran out of budget attributing it. The campaign would have used seed 1's answer.
  const one = shard(
    1,
    [
      [1, ['s1', 's2']],
      [3, ['s1']],
    ],
    [finding('s1', 1, { merged: ['s2'], culprits: D1, steps: 10 } as never)],
  );
  const two = shard(
    2,
    [
      [2, ['s2']],
      [4, ['s3']],
    ],
    [finding('s2', 2, { culprits: UNKNOWN } as never), finding('s3', 4, { culprits: D1, steps: 5 } as never)],
  );
  const merged = mergeCampaignSummaries([two, one]);

  it('takes each signature from the shard that saw it first, and groups by culprit as a campaign does', () => {
    expect(merged.findings).toHaveLength(1);
    expect(merged.findings[0]).toMatchObject({ signature: 's3', merged: ['s1', 's2'], count: 4, firstSeed: 4 });
    expect(merged.findings[0]!.message).toBe('s3 at 4');
  });

  it('adds up runs, failures and fault coverage, with the run rows in seed order and no shard left', () => {
    expect(merged).toMatchObject({ runs: 4, failures: 4, seedStart: 1, wallMs: 2000 });
    expect(merged.faultCoverage).toEqual({ 'http-503': { enabledRuns: 2, fired: 1 } });
    expect(merged.results.map((row) => row.seed)).toEqual([1, 2, 3, 4]);
    expect(merged).not.toHaveProperty('shard');
  });

  it('keeps a signature whose cause is unknown everywhere as a finding of its own', () => {
    const alone = shard(2, [[2, ['s4']]], [finding('s4', 2, { culprits: UNKNOWN } as never)]);
    const findings = mergeCampaignSummaries([one, alone]).findings;
    expect(findings.map((f) => [f.signature, f.count])).toEqual([
      ['s1', 2],
      ['s4', 1],
    ]);
  });
});
