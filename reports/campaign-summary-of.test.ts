import { describe, expect, it } from 'vitest';
import type { CampaignFinding, CampaignResult } from '../sim/campaign/index.ts';
import { campaignSummaryOf } from './campaign-summary-of.ts';

describe('campaignSummaryOf', () => {
  it("carries each finding's culprits and the signatures merged into it, shown by its shrunk repro", () => {
    const finding: CampaignFinding = {
      signature: 'liveness {a}',
      property: 'liveness',
      count: 3,
      firstIndex: 0,
      firstSeed: 1,
      message: 'still pending',
      repro: 'repro.json',
      shrunk: {
        repro: 'shrunk.json',
        changes: [],
        runs: 1,
        fixpoint: true,
        before: { faultsFired: 1, userActions: 2, steps: 9 },
        after: { faultsFired: 1, userActions: 1, steps: 5 },
      },
      culprits: {
        defects: { status: 'defects', sets: [['stranded-requeue']] },
        faults: { status: 'faults', fired: ['http-503'], needed: ['http-503'] },
        runs: 15,
      },
      signatures: ['liveness {a}', 'no-silent-loss {b}'],
    };
    const result = { outcomes: [], findings: [finding], spec: { baseSeed: 1, version: { name: 'pr396' } } };
    const [summary] = campaignSummaryOf(result as unknown as CampaignResult).findings;
    expect(summary).toMatchObject({ repro: 'shrunk.json', culprits: finding.culprits, merged: ['no-silent-loss {b}'] });
    expect(summary).not.toHaveProperty('suspects');
  });
});

describe('campaignSummaryOf', () => {
  const outcome = (seed: number, notChecked: CampaignResult['outcomes'][number]['notChecked']) =>
    ({ seed, verdict: 'passed', traceHash: 'h', wallMs: 1, violations: [], notChecked }) as never;
  const campaign = (outcomes: CampaignResult['outcomes']): CampaignResult =>
    ({
      spec: { version: { name: 'fixed', defects: [], sendPath: 'outbox' }, baseSeed: 1 },
      outcomes,
      findings: [],
      coverage: {},
      wallMs: 10,
      runsPerSec: 1,
    }) as unknown as CampaignResult;

  it('gathers every property some run could not check, with every observation it lacked', () => {
    const summary = campaignSummaryOf(
      campaign([outcome(1, { 'bounded-queue': ['buffer-length'] }), outcome(2, { 'bounded-queue': ['queue-length'] })]),
    );
    expect(summary.notChecked).toEqual({ 'bounded-queue': ['buffer-length', 'queue-length'] });
    expect(campaignSummaryOf(campaign([outcome(1, {})]))).not.toHaveProperty('notChecked');
  });
});
