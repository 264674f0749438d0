import { describe, expect, it } from 'vitest';
import { resolveVersion } from '../../transport/index.ts';
import { renderCampaignSummary, unfiredFaults, type CampaignSummary } from '../../reports/index.ts';
import { runScenario } from '../run.ts';
import { tinyWithFaults } from '../testing/tiny-scenarios.ts';
import { tinyNodeServerFactory, tinyServerLife } from '../testing/tiny-node-server.ts';
import { faultCoverage } from './campaign-findings.ts';
import { outcomeOf } from './campaign-run.ts';

const SCENARIO = tinyWithFaults('capability-faults', {
  request: { 'interrupt-reject': [1, 1], 'http-503': [1, 10] },
  timed: { 'forget-connection': 30 },
});

function summaryOf(coverage: CampaignSummary['faultCoverage']): CampaignSummary {
  return {
    runs: 2,
    failures: 0,
    runsPerSec: 1,
    wallMs: 1,
    seedStart: 1,
    baseSeed: 1,
    scenario: 'generated',
    version: 'fixed',
    faultCoverage: coverage,
    findings: [],
    results: [],
  };
}

describe('fault coverage of a server lacking forgetConnection and interrupts', () => {
  it('counts those kinds as not applicable, with what the server lacks, never as enabled and unfired', async () => {
    const version = resolveVersion('fixed');
    const factory = tinyNodeServerFactory(tinyServerLife());
    const runs = [
      outcomeOf(await runScenario({ scenario: SCENARIO, seed: 1, version, factory }), 0),
      outcomeOf(await runScenario({ scenario: SCENARIO, seed: 2, version, factory }), 1),
    ];
    const coverage = faultCoverage(runs);
    expect(coverage['forget-connection']).toEqual({
      enabledRuns: 0,
      fired: 0,
      notApplicableRuns: 2,
      needs: ['forgetConnection', 'connectionIds'],
    });
    expect(coverage['interrupt-reject']).toEqual({
      enabledRuns: 0,
      fired: 0,
      notApplicableRuns: 2,
      needs: ['interrupts'],
    });
    expect(coverage['http-503']).toMatchObject({ enabledRuns: 2 });
    expect(coverage['http-503']!.notApplicableRuns).toBeUndefined();
    const summary = summaryOf(coverage);
    expect(unfiredFaults(summary)).not.toContain('forget-connection');
    const text = renderCampaignSummary(summary);
    expect(text).toMatch(
      /forget-connection +not applicable \(enabled in 2 runs; the server lacks forgetConnection, connectionIds\)/,
    );
    expect(text).toMatch(/interrupt-reject +not applicable \(enabled in 2 runs; the server lacks interrupts\)/);
    expect(text).not.toMatch(/interrupt-reject was enabled/);
  });

  it('is what the bundled server would not show: it takes both kinds', async () => {
    const result = await runScenario({ scenario: SCENARIO, seed: 1, version: resolveVersion('fixed') });
    const coverage = faultCoverage([outcomeOf(result, 0)]);
    expect(coverage['forget-connection']!.notApplicableRuns).toBeUndefined();
    expect(coverage['forget-connection']!.enabledRuns).toBe(1);
  });
});
