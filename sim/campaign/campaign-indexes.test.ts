import { describe, expect, it } from 'vitest';
import { campaignIndexes, type Shard } from './campaign-indexes.ts';

function all(runs: number, shard?: Shard): number[] {
  const seq = campaignIndexes(runs, shard);
  const out: number[] = [];
  for (let next = seq.next(); !next.done; next = seq.next()) out.push(next.value);
  expect(out).toHaveLength(seq.planned);
  return out;
}

describe('campaignIndexes', () => {
  it('yields 0..runs-1 without a shard', () => {
    expect(all(5)).toEqual([0, 1, 2, 3, 4]);
  });

  it.each([
    [10, 2],
    [10, 3],
    [7, 7],
    [3, 5],
  ])('%i runs in %i shards cover every index exactly once', (runs, count) => {
    const covered = Array.from({ length: count }, (_, i) => all(runs, { index: i + 1, count })).flat();
    expect(covered.sort((a, b) => a - b)).toEqual(all(runs));
  });

  it('shard I of N takes i % N === I - 1', () => {
    expect(all(10, { index: 2, count: 3 })).toEqual([1, 4, 7]);
  });

  it('a campaign without a run count stops at endIndex, where its seeds would leave their range', () => {
    const sequence = campaignIndexes(undefined, { index: 2, count: 3 }, 8);
    const seen: number[] = [];
    for (let next = sequence.next(); !next.done; next = sequence.next()) seen.push(next.value);
    expect(seen).toEqual([1, 4, 7]);
  });
});
