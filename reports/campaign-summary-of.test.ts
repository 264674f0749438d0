import { describe, expect, it } from 'vitest';
import { resolveVersion } from '../transport/defects.ts';
import type { CampaignResult } from '../sim/campaign/index.ts';
import { campaignSummaryOf, suspectsOf } from './campaign-summary-of.ts';

describe('suspectsOf', () => {
  it("names the version's defects catalogued for the violated property, and nothing for fixed", () => {
    const pr396 = resolveVersion('pr396').defects.list();
    expect(suspectsOf(pr396, 'at-most-once')).toEqual(['ambiguous-ack-duplicate']);
    expect(suspectsOf(pr396, 'cursor-monotonic')).toEqual(['client-cursor-regress']);
    expect(suspectsOf(pr396, 'server-survives')).toEqual([]);
    expect(suspectsOf(resolveVersion('fixed').defects.list(), 'no-silent-loss')).toEqual([]);
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
