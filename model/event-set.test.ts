import { describe, expect, it } from 'vitest';
import { EventMap, EventSet, FirstMoments } from './event-set.ts';

describe('EventSet and EventMap', () => {
  it('tell the same seq of two sessions apart', () => {
    const set = new EventSet();
    set.add('s1', 5);
    expect(set.has('s1', 5)).toBe(true);
    expect(set.has('s2', 5)).toBe(false);
    expect(set.has('s1', 6)).toBe(false);
    const map = new EventMap();
    map.set('s1', 5, 10);
    map.set('s2', 5, 20);
    map.set('s1', 5, 11);
    expect([map.get('s1', 5), map.get('s2', 5), map.get('s3', 5)]).toEqual([11, 20, undefined]);
    expect(map.has('s2', 5)).toBe(true);
  });

  it('hold seqs below, far above and between whole numbers, and values a window cannot', () => {
    const map = new EventMap();
    const seqs = [100, 99, 5, 1e9, -3, 2.5, 101, 4000, Number.NaN];
    seqs.forEach((seq, i) => map.set('s', seq, i));
    map.set('s', 7, Number.NaN);
    map.set('s', 99, 42);
    expect(seqs.map((seq) => map.get('s', seq))).toEqual([0, 42, 2, 3, 4, 5, 6, 7, 8]);
    expect(Number.isNaN(map.get('s', 7))).toBe(true);
    expect([map.has('s', 6), map.has('s', 102), map.has('s', 1e9 - 1), map.get('s', 2)]).toEqual([
      false,
      false,
      false,
      undefined,
    ]);
  });

  it('hold a set of seqs in bits, and those bits cannot hold', () => {
    const set = new EventSet();
    const seqs = [64, 31, 32, -1, 2 ** 40, 7.5, 5000, 63, Number.NaN];
    for (const seq of seqs) set.add('s', seq);
    expect(seqs.every((seq) => set.has('s', seq))).toBe(true);
    expect([0, 7, 8, 30, 33, 65, 4999, 2 ** 40 + 1, -2].map((seq) => set.has('s', seq))).toEqual(Array(9).fill(false));
  });

  it('keep the first moment of an event', () => {
    const moments = new FirstMoments();
    moments.see('s1', 3, { t: 10, index: 1 });
    moments.see('s1', 3, { t: 20, index: 2 });
    moments.see('s2', 3, { t: 30.5, index: 3 });
    expect([moments.get('s1', 3), moments.get('s2', 3), moments.get('s1', 4)]).toEqual([
      { t: 10, index: 1 },
      { t: 30.5, index: 3 },
      undefined,
    ]);
  });

  it('answer the same whatever seqs they were told to expect', () => {
    const expectations: Record<string, number[]>[] = [
      {},
      { s: [10, 11, 12, 13] },
      { s: [1, 1e9] },
      { s: [Number.NaN, 5] },
      { other: [1, 2] },
    ];
    const seqs = [9, 10, 13, 14, 1e9, -1, 2.5, 11];
    const answers = expectations.map((expected) => {
      const map = new EventMap(expected);
      seqs.forEach((seq, i) => map.set('s', seq, i * 7));
      map.set('s', 12, Number.NaN);
      const moments = new FirstMoments(expected);
      for (const seq of seqs) moments.see('s', seq, { t: seq, index: 2 });
      return [...seqs, 12, 15].map((seq) => [map.get('s', seq), moments.get('s', seq)]);
    });
    for (const answer of answers) expect(answer).toEqual(answers[0]);
  });
});
