import { describe, expect, it } from 'vitest';
import { versionDefectIds } from '../../transport/defects.ts';
import { runScore, scoreVersion } from './score.ts';

describe('runScore', () => {
  it('finds a defect in the same run count every time (run i = seed base + i), with the control passing', async () => {
    const options = {
      defects: ['parallel-flush', 'send-silent-drop'] as const,
      budgetS: 60,
      maxRuns: 30,
      shrinkRuns: 0,
      versions: [],
    };
    const first = await runScore(options);
    const second = await runScore(options);
    const key = (r: typeof first) => r.defects.map((d) => [d.defect, d.found, d.runs, d.seed, d.property]);
    expect(key(first)).toEqual(key(second));
    expect(first.defects.every((d) => d.found && d.seed === 1 + d.runs - 1)).toBe(true);
    expect(first.foundCount).toBe(2);
  }, 30_000);

  it('gives up at the run bound and says so', async () => {
    const result = await runScore({
      defects: ['sync-on-is-active'],
      budgetS: 60,
      maxRuns: 2,
      shrinkRuns: 0,
      versions: [],
    });
    expect(result.defects[0]).toMatchObject({ found: false, runs: 2 });
    expect(result.medianShrunkSteps).toBeNull();
  }, 30_000);
});

describe('scoreVersion', () => {
  it("splits a version's defects into found and missed by the properties its campaign violated", async () => {
    const score = await scoreVersion('pr396', { budgetS: 60, baseSeed: 1, maxRuns: 3 });
    expect(score.runs).toBeLessThanOrEqual(3);
    expect([...score.found, ...score.missed].sort()).toEqual(versionDefectIds('pr396').sort());
    expect(score.found.length).toBeGreaterThan(0);
  }, 30_000);
});
