import { describe, expect, it } from 'vitest';
import { EventMap, EventSet } from './event-set.ts';

describe('EventSet and EventMap', () => {
  it('tell the same seq of two sessions apart', () => {
    const set = new EventSet();
    set.add('s1', 5);
    expect(set.has('s1', 5)).toBe(true);
    expect(set.has('s2', 5)).toBe(false);
    expect(set.has('s1', 6)).toBe(false);
    const map = new EventMap<number>();
    map.set('s1', 5, 10);
    map.set('s2', 5, 20);
    map.set('s1', 5, 11);
    expect([map.get('s1', 5), map.get('s2', 5), map.get('s3', 5)]).toEqual([11, 20, undefined]);
    expect(map.has('s2', 5)).toBe(true);
  });
});
