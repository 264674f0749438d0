import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../scenarios/load-scenario.ts';
import { MIN_SHRUNK_HEAL_MS, shrinkCandidates } from './shrink-candidates.ts';

describe('shrinkCandidates', () => {
  it('halves the chaos phase freely but never cuts the heal phase below recovery time', () => {
    const base = resolveScenario('default');
    const long = { ...base, phases: { chaosMs: 120_000, healMs: 200_000 } };
    const heals = shrinkCandidates(long)
      .map((c) => c.scenario.phases.healMs)
      .filter((ms) => ms !== 200_000);
    expect(heals).toEqual([100_000]);
    const atFloor = { ...base, phases: { chaosMs: 120_000, healMs: 90_000 } };
    expect(
      shrinkCandidates(atFloor)
        .map((c) => c.scenario.phases.healMs)
        .filter((ms) => ms !== 90_000),
    ).toEqual([MIN_SHRUNK_HEAL_MS]);
    const short = { ...base, phases: { chaosMs: 120_000, healMs: 60_000 } };
    expect(shrinkCandidates(short).every((c) => c.scenario.phases.healMs === 60_000)).toBe(true);
    expect(shrinkCandidates(long).some((c) => c.scenario.phases.chaosMs === 60_000)).toBe(true);
  });
});
