import { existsSync, mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveVersion } from '../../transport/defects.ts';
import { runCampaign, type CampaignOptions, type CampaignResult } from './campaign.ts';
import { campaignScenario } from './campaign-run.ts';
import { runVersionOf } from '../run-version.ts';
import { TINY_FAULTY } from '../testing/tiny-scenarios.ts';

const BASE = runVersionOf(resolveVersion('base'));

function outDir(): string {
  return mkdtempSync(join(tmpdir(), 'ssesim-campaign-'));
}

/** Without culprit experiments unless a test asks: they are tested on their own (culprits.test.ts). */
function campaign(options: Partial<CampaignOptions>): Promise<CampaignResult> {
  return runCampaign({
    version: BASE,
    baseSeed: 11,
    runs: 6,
    shrinkRuns: 0,
    culpritRuns: 0,
    outDir: outDir(),
    ...options,
  });
}

/** Everything about a campaign that must not depend on workers or timing. */
function essence(result: CampaignResult) {
  return {
    runs: result.outcomes.map((run) => [run.index, run.seed, run.verdict, run.traceHash]),
    findings: result.findings.map(({ repro: _repro, ...finding }) => finding),
    coverage: result.coverage,
  };
}

describe('runCampaign', () => {
  it('draws the same generated scenario for a seed every time', () => {
    const spec = { version: BASE, baseSeed: 5 };
    expect(campaignScenario(spec, 3)).toEqual(campaignScenario(spec, 3));
    expect(campaignScenario(spec, 3)).not.toEqual(campaignScenario(spec, 4));
  });

  it('groups failing runs into findings with a repro on disk before each is reported', async () => {
    const reported: string[] = [];
    const result = await campaign({
      scenario: TINY_FAULTY,
      onNewFailure: (failure) => {
        expect(existsSync(failure.repro.path)).toBe(true);
        reported.push(failure.signature);
      },
    });
    expect(result.findings.length).toBeGreaterThan(0);
    expect(result.findings.flatMap((f) => f.signatures)).toEqual(reported);
    for (const finding of result.findings) expect(existsSync(finding.repro)).toBe(true);
    expect(result.findings.reduce((max, f) => Math.max(max, f.count), 0)).toBeGreaterThan(1);
  });

  it('finds the same with two worker threads as with one', async () => {
    const one = await campaign({ workers: 1 });
    const reported: string[] = [];
    const two = await campaign({ workers: 2, onNewFailure: (failure) => reported.push(failure.signature) });
    expect(one.findings.length).toBeGreaterThan(0);
    // Outcomes from two workers are noted concurrently; each signature is still written once.
    expect(reported.sort()).toEqual(two.findings.flatMap((f) => f.signatures).sort());
    expect(essence(two)).toEqual(essence(one));
  });

  it('covers the unsharded campaign exactly with shards 1/2 and 2/2', async () => {
    const whole = await campaign({ scenario: TINY_FAULTY, runs: 5 });
    const first = await campaign({ scenario: TINY_FAULTY, runs: 5, shard: { index: 1, count: 2 } });
    const second = await campaign({ scenario: TINY_FAULTY, runs: 5, shard: { index: 2, count: 2 } });
    const merged = [...first.outcomes, ...second.outcomes].sort((a, b) => a.index - b.index);
    expect(merged.map((run) => [run.seed, run.traceHash])).toEqual(
      whole.outcomes.map((run) => [run.seed, run.traceHash]),
    );
    expect(first.outcomes.map((run) => run.index)).toEqual([0, 2, 4]);
  });

  it('shrinks each finding and writes the shrunk repro', async () => {
    const result = await campaign({ scenario: TINY_FAULTY, runs: 1, shrinkRuns: 15 });
    const shrunk = result.findings.find((f) => f.shrunk);
    expect(shrunk?.shrunk?.repro).toMatch(/-shrunk(-\d+)?\.json$/);
    expect(existsSync(shrunk!.shrunk!.repro)).toBe(true);
  });

  it('runs by time budget until the budget is spent', async () => {
    const result = await campaign({ scenario: TINY_FAULTY, runs: undefined, timeSec: 0.3 });
    expect(result.outcomes.length).toBeGreaterThan(0);
    expect(result.outcomes.map((run) => run.index)).toEqual(result.outcomes.map((_, i) => i));
    expect(result.interrupted).toBe(false);
  });

  it('stops dispatching when asked and says it was interrupted', async () => {
    let seen = 0;
    const result = await campaign({
      scenario: TINY_FAULTY,
      runs: 50,
      shouldStop: () => seen >= 2,
      onProgress: (p) => (seen = p.runs),
    });
    expect(result.outcomes).toHaveLength(2);
    expect(result.interrupted).toBe(true);
    expect(result.findings.every((f) => f.shrunk === undefined)).toBe(true);
  });
});

describe('runCampaign culprits', () => {
  it('finds the culprits of each finding by experiment on its shrunk repro', async () => {
    const pr396 = runVersionOf(resolveVersion('pr396'));
    const result = await campaign({
      version: pr396,
      baseSeed: 3,
      runs: 1,
      shrinkRuns: undefined,
      culpritRuns: undefined,
    });
    // The catalogue blames drop-oldest-at-cap and drop-after-budget-silently for any lost prompt of
    // pr396; the experiments find what loses this one, and neither of them does.
    // One bug, one finding: the lost prompt's finding may be named for delivery, its first signature.
    const lost = (f: (typeof result.findings)[number]) => f.signatures.some((s) => s.startsWith('no-silent-loss '));
    const first = result.findings.find(lost);
    expect(first, JSON.stringify(result.findings.map((f) => f.signatures))).toBeDefined();
    const { defects } = first!.culprits;
    expect(defects.status).toBe('defects');
    const named = defects.status === 'defects' ? defects.sets.flat() : [];
    expect(named.length).toBeGreaterThan(0);
    for (const bystander of ['drop-oldest-at-cap', 'drop-after-budget-silently'])
      expect(named).not.toContain(bystander);
    expect(first!.culprits.runs).toBeGreaterThan(pr396.defects.length);
  });
});
