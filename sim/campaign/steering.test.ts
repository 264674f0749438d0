import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveVersion } from '../../transport/index.ts';
import { scenarioHash } from '../../scenarios/index.ts';
import { runVersionOf } from '../index.ts';
import { runCampaign, type CampaignOptions } from './campaign.ts';
import { campaignScenario } from './campaign-run.ts';
import { featureLifts, ScenarioSteering, STEER_EPOCH_RUNS } from './steering.ts';

const spec = { version: runVersionOf(resolveVersion('fixed')), baseSeed: 40 };

/** Learned runs: every one hits `common`; those with the first feature on also hit `rare`. */
function runsWhereFeatureZeroMeetsRare(count: number, featureCount: number) {
  return Array.from({ length: count }, (_, i) => {
    const features = Array.from({ length: featureCount }, (_, f) => (f === 0 ? i % 20 === 0 : i % 2 === 0));
    return { features, probes: features[0] ? ['common', 'rare'] : ['common'] };
  });
}

describe('featureLifts', () => {
  it('raises the features of the runs that hit a rare probe and lowers their absence', () => {
    const featureCount = 30;
    const lifts = featureLifts(runsWhereFeatureZeroMeetsRare(100, featureCount));
    expect(lifts?.rareProbes).toEqual(['rare']);
    expect(lifts!.on[0]).toBeGreaterThan(2);
    expect(lifts!.off[0]).toBeLessThan(0.5);
    // A feature half of all runs have pulls less than the one that marks the rare runs.
    expect(lifts!.on[1]).toBeLessThan(lifts!.on[0]!);
  });

  it('steers nowhere when no probe is rare', () => {
    expect(featureLifts([{ features: [true], probes: ['common'] }])).toBeNull();
  });
});

describe('ScenarioSteering', () => {
  it('runs exactly the unsteered scenarios in epoch 0', () => {
    const steering = new ScenarioSteering(spec);
    for (let i = 0; i < STEER_EPOCH_RUNS; i++)
      expect(scenarioHash(steering.scenarioFor(i))).toBe(scenarioHash(campaignScenario(spec, i)));
  });

  it('refuses to steer an epoch before every run of the epochs before is learned', () => {
    const steering = new ScenarioSteering(spec);
    for (let i = 0; i < STEER_EPOCH_RUNS - 1; i++) {
      steering.scenarioFor(i);
      steering.learn(i, { p: 1 });
    }
    expect(steering.ready(STEER_EPOCH_RUNS)).toBe(false);
    expect(() => steering.scenarioFor(STEER_EPOCH_RUNS)).toThrow(/before run 24 of an earlier epoch was learned/);
  });
});

describe('a steered campaign', () => {
  const runs = STEER_EPOCH_RUNS * 2 + 5;
  const campaign = (extra: Partial<CampaignOptions>) =>
    runCampaign({
      ...spec,
      runs,
      steer: true,
      shrinkRuns: 0,
      culpritRuns: 0,
      outDir: mkdtempSync(join(tmpdir(), 'ssesim-steering-')),
      ...extra,
    });
  const hashes = (result: Awaited<ReturnType<typeof runCampaign>>) =>
    result.outcomes.map((o) => `${o.index} ${o.traceHash}`);

  it('makes the same runs whatever the worker count and sharding, and steers after epoch 0', async () => {
    const one = await campaign({});
    expect(one.steered).toBe(true);
    expect(hashes(await campaign({ workers: 2 }))).toEqual(hashes(one));
    const shards = [
      await campaign({ shard: { index: 1, count: 2 } }),
      await campaign({ shard: { index: 2, count: 2 } }),
    ];
    expect(shards[0]!.outcomes.every((o) => o.index % 2 === 0)).toBe(true);
    const merged = shards.flatMap((s) => s.outcomes).sort((a, b) => a.index - b.index);
    expect(merged.map((o) => `${o.index} ${o.traceHash}`)).toEqual(hashes(one));
    const plain = await runCampaign({
      ...spec,
      runs,
      shrinkRuns: 0,
      culpritRuns: 0,
      outDir: mkdtempSync(join(tmpdir(), 'ssesim-steering-')),
    });
    expect(plain.steered).toBe(false);
    expect(hashes(one).slice(0, STEER_EPOCH_RUNS)).toEqual(hashes(plain).slice(0, STEER_EPOCH_RUNS));
    expect(hashes(one).slice(STEER_EPOCH_RUNS)).not.toEqual(hashes(plain).slice(STEER_EPOCH_RUNS));
    expect(Object.keys(one.probes.hit).length).toBeGreaterThan(0);
  }, 600_000);
});
