import { describe, expect, it } from 'vitest';
import { createFakeEnv } from './fake-env.ts';

describe('createFakeEnv', () => {
  it('runs due timers in (due, insertion) order and moves the clock to each due time', () => {
    const fake = createFakeEnv({ startMs: 100 });
    const fired: string[] = [];
    fake.env.timers.setTimeout(() => fired.push(`b@${fake.env.clock.now()}`), 20);
    fake.env.timers.setTimeout(() => fired.push(`a@${fake.env.clock.now()}`), 10);
    fake.env.timers.setTimeout(() => fired.push(`c@${fake.env.clock.now()}`), 20);
    fake.advance(15);
    expect(fired).toEqual(['a@110']);
    expect(fake.env.clock.now()).toBe(115);
    fake.advance(100);
    expect(fired).toEqual(['a@110', 'b@120', 'c@120']);
    expect(fake.env.clock.now()).toBe(215);
  });

  it('repeats intervals until cleared and honours clearTimeout', () => {
    const fake = createFakeEnv({ startMs: 0 });
    let ticks = 0;
    const handle = fake.env.timers.setInterval(() => (ticks += 1), 10);
    const cancelled = fake.env.timers.setTimeout(() => (ticks += 100), 5);
    fake.env.timers.clearTimeout(cancelled);
    fake.advance(35);
    expect(ticks).toBe(3);
    fake.env.timers.clearInterval(handle);
    expect(fake.pendingTimerCount()).toBe(0);
  });

  it('runAll stops at the step limit for a runaway interval', () => {
    const fake = createFakeEnv();
    fake.env.timers.setInterval(() => {}, 1);
    expect(() => fake.runAll(50)).toThrow(/step limit 50/);
  });

  it('gives counting ids, seeded randomness and recorded logs', () => {
    const a = createFakeEnv({ seed: 7 });
    const b = createFakeEnv({ seed: 7 });
    expect([a.env.ids.next('conn'), a.env.ids.next('conn'), a.env.ids.next('req')]).toEqual([
      'conn-1',
      'conn-2',
      'req-1',
    ]);
    const drawsA = Array.from({ length: 20 }, () => a.env.random.int(1000));
    const drawsB = Array.from({ length: 20 }, () => b.env.random.int(1000));
    expect(drawsA).toEqual(drawsB);
    expect(new Set(drawsA).size).toBeGreaterThan(10);
    expect(a.env.random.chance(1, 1)).toBe(true);
    expect(a.env.random.chance(0, 1)).toBe(false);
    a.env.logger.log('info', 'x.y', { n: 1 });
    expect(a.logsOf('x.y')).toEqual([{ level: 'info', event: 'x.y', data: { n: 1 } }]);
  });
});
