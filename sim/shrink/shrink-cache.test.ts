import { describe, expect, it } from 'vitest';
import { RunFixture } from '../../reports/testing/run-fixture.ts';
import { TINY_FAULTY } from '../testing/tiny-scenarios.ts';
import { ShrinkCache } from './shrink-cache.ts';

const VERSION = { name: 'pr396', defects: [], sendPath: 'outbox' as const };

describe('ShrinkCache', () => {
  it('keys a run by scenario, seed and version, whatever the order of the version fields', () => {
    const key = ShrinkCache.key(TINY_FAULTY, 1, VERSION);
    expect(ShrinkCache.key(structuredClone(TINY_FAULTY), 1, { sendPath: 'outbox', defects: [], name: 'pr396' })).toBe(
      key,
    );
    expect(ShrinkCache.key(TINY_FAULTY, 2, VERSION)).not.toBe(key);
    expect(ShrinkCache.key({ ...TINY_FAULTY, clients: 1 }, 1, VERSION)).not.toBe(key);
    expect(ShrinkCache.key(TINY_FAULTY, 1, { ...VERSION, sendPath: 'legacy-queue' })).not.toBe(key);
  });

  it('keeps every summary but only the latest full results', () => {
    const cache = new ShrinkCache();
    const keys = Array.from({ length: 40 }, (_, i) => ShrinkCache.key({ ...TINY_FAULTY, clients: i + 1 }, 1, VERSION));
    for (const key of keys) cache.remember(key, TINY_FAULTY, new RunFixture().build());
    expect(keys.every((key) => cache.summary(key) !== undefined)).toBe(true);
    expect(cache.result(keys[0]!)).toBeUndefined();
    expect(cache.result(keys[39]!)).toBeDefined();
    expect(cache.stats).toEqual({ hits: 40, runs: 40 });
  });
});
