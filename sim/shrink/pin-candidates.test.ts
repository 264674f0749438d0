import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../scenarios/scenario.ts';
import { MAX_TIMED_FAULT_RATE_PER_MINUTE } from '../../scenarios/scenario-limits.ts';
import { TINY_FAULTY } from '../testing/tiny-scenarios.ts';
import { pinCandidates, pinOrdinals } from './pin-candidates.ts';

describe('pinOrdinals', () => {
  it('doubles up to the last', () => {
    expect(pinOrdinals(100)).toEqual([1, 2, 4, 8, 16, 32, 64]);
    expect(pinOrdinals(0)).toEqual([]);
  });
});

describe('pinCandidates', () => {
  const scenario: Scenario = {
    ...TINY_FAULTY,
    omit: { faults: { 'http-503': [2], 'stream-drop': [1] } },
  };
  const fired = { 'http-503': 2, 'write-failure': 0, 'stream-drop': 1, 'server-crash': 0 };

  it('pins a timed kind that fired once to its k-th firing, front-loads the request kinds that fired, drops the rest', () => {
    const pins = pinCandidates(scenario, fired);
    // 10 s of chaos at the highest rate: about 100 firings.
    expect(pins.map((c) => c.scenario.omit?.faultsAfter?.['stream-drop'])).toEqual(pinOrdinals(100));
    const third = pins[2]!;
    expect(third.change).toBe('pin stream-drop to its firing #4 at every chance, http-503 at every chance first');
    expect(third.scenario.faults).toEqual({
      request: { 'http-503': [1, 1] },
      timed: { 'stream-drop': MAX_TIMED_FAULT_RATE_PER_MINUTE },
    });
    // The old ordinals named firings of the old rates: they go.
    expect(third.scenario.omit).toEqual({
      faults: { 'stream-drop': [1, 2, 3] },
      faultsAfter: { 'http-503': 2, 'stream-drop': 4 },
    });
    expect(pins[0]!.scenario.omit).toEqual({ faultsAfter: { 'http-503': 2, 'stream-drop': 1 } });
  });

  it('offers none for a timed kind that did not fire or fired more than once, nor once a timed kind is pinned', () => {
    expect(pinCandidates(scenario, { ...fired, 'stream-drop': 0 })).toEqual([]);
    expect(pinCandidates(scenario, { ...fired, 'stream-drop': 2 })).toEqual([]);
    expect(pinCandidates(scenario, undefined)).toEqual([]);
    const pinned = pinCandidates(scenario, fired)[4]!.scenario;
    expect(pinCandidates(pinned, fired)).toEqual([]);
  });
});
