import { afterEach, describe, expect, it } from 'vitest';
import { DEFAULT_EPOCH_MS, installGlobals, VirtualClock, wallClockMs } from './clock.ts';
import { currentActor, runAs } from './actor-context.ts';

function drain(clock: VirtualClock, limit = 1000): void {
  for (let i = 0; i < limit && clock.runNext(); i++);
}

describe('VirtualClock', () => {
  it('starts at the default epoch or a given one and never moves by itself', () => {
    expect(new VirtualClock().now()).toBe(DEFAULT_EPOCH_MS);
    const clock = new VirtualClock({ startMs: 5000 });
    expect(clock.now()).toBe(5000);
    expect(clock.runNext()).toBe(false);
    expect(clock.now()).toBe(5000);
    expect(clock.nextDueMs()).toBeUndefined();
  });

  it('runs timers by due time, ties by insertion order', () => {
    const clock = new VirtualClock({ startMs: 0 });
    const order: string[] = [];
    clock.setTimeout(() => order.push('b@20'), 20);
    clock.setTimeout(() => order.push('a@10'), 10);
    clock.setTimeout(() => order.push('c@20'), 20);
    clock.setTimeout(() => order.push('d@0'), 0);
    expect(clock.nextDueMs()).toBe(0);
    expect(clock.pendingCount()).toBe(4);
    const times: number[] = [];
    while (clock.runNext()) times.push(clock.now());
    expect(order).toEqual(['d@0', 'a@10', 'b@20', 'c@20']);
    expect(times).toEqual([0, 10, 20, 20]);
    expect(clock.pendingCount()).toBe(0);
  });

  it('orders many random timers like a stable sort (heap check)', () => {
    const clock = new VirtualClock({ startMs: 0 });
    const fired: number[] = [];
    const delays = Array.from({ length: 500 }, (_, i) => (i * 7919) % 97);
    delays.forEach((delayMs, i) => clock.setTimeout(() => fired.push(i), delayMs));
    drain(clock);
    const expected = delays.map((delayMs, i) => ({ delayMs, i })).sort((x, y) => x.delayMs - y.delayMs || x.i - y.i);
    expect(fired).toEqual(expected.map((entry) => entry.i));
  });

  it('rounds fractional delays up and treats bad delays as zero', () => {
    const clock = new VirtualClock({ startMs: 0 });
    clock.setTimeout(() => {}, 1.2);
    expect(clock.nextDueMs()).toBe(2);
    const other = new VirtualClock({ startMs: 0 });
    other.setTimeout(() => {}, Number.NaN);
    other.setTimeout(() => {}, -5);
    expect(other.nextDueMs()).toBe(0);
  });

  it('keeps a timer cleared by an earlier same-time tick cleared', () => {
    const clock = new VirtualClock({ startMs: 0 });
    const fired: string[] = [];
    let second: unknown;
    clock.setTimeout(() => {
      fired.push('first');
      clock.clearTimeout(second as never);
    }, 10);
    second = clock.setTimeout(() => fired.push('second'), 10);
    drain(clock);
    expect(fired).toEqual(['first']);
    expect(clock.pendingCount()).toBe(0);
  });

  it('stops an interval that clears itself during its own tick', () => {
    const clock = new VirtualClock({ startMs: 0 });
    let ticks = 0;
    const handle = clock.setInterval(() => {
      ticks += 1;
      if (ticks === 3) clock.clearInterval(handle);
    }, 100);
    drain(clock);
    expect(ticks).toBe(3);
    expect(clock.now()).toBe(300);
    expect(clock.pendingCount()).toBe(0);
  });

  it('repeats intervals at their period and interleaves them with timeouts', () => {
    const clock = new VirtualClock({ startMs: 0 });
    const log: string[] = [];
    clock.setInterval(() => log.push(`i${clock.now()}`), 50);
    clock.setTimeout(() => log.push(`t${clock.now()}`), 100);
    for (let i = 0; i < 5; i++) clock.runNext();
    // The interval at 100 was rescheduled after the timeout was created, so the timeout goes first.
    expect(log).toEqual(['i50', 't100', 'i100', 'i150', 'i200']);
    expect(clock.pendingCount()).toBe(1);
  });

  it('clamps a zero interval to 1 ms so time advances', () => {
    const clock = new VirtualClock({ startMs: 0 });
    clock.setInterval(() => {}, 0);
    clock.runNext();
    clock.runNext();
    expect(clock.now()).toBe(2);
  });

  it('accepts numeric handles and ignores foreign or stale ones', () => {
    const clock = new VirtualClock({ startMs: 0 });
    let fired = 0;
    const handle = clock.setTimeout(() => (fired += 1), 5);
    clock.clearTimeout(undefined);
    clock.clearTimeout({} as never);
    clock.clearTimeout(Number(handle));
    drain(clock);
    expect(fired).toBe(0);
  });

  it('lets a numeric id name its timer only while it is pending, and only on its own clock', () => {
    const clock = new VirtualClock({ startMs: 0 });
    const other = new VirtualClock({ startMs: 0 });
    let fired = 0;
    const interval = clock.setInterval(() => (fired += 1), 10);
    const id = Number(interval);
    clock.runNext();
    other.clearTimeout(interval);
    other.clearTimeout(id);
    clock.runNext();
    expect(fired).toBe(2);
    clock.clearInterval(id);
    expect(clock.pendingCount()).toBe(0);
    const once = clock.setTimeout(() => (fired += 1), 1);
    const onceId = Number(once);
    drain(clock);
    const later = clock.setTimeout(() => (fired += 1), 1);
    clock.clearTimeout(onceId);
    expect(clock.pendingCount()).toBe(1);
    drain(clock);
    expect(fired).toBe(4);
    expect(Number(later)).toBe(onceId + 1);
  });

  it('keeps time monotonic and refuses to skip a due timer', () => {
    const clock = new VirtualClock({ startMs: 0 });
    clock.advanceTo(50);
    expect(clock.now()).toBe(50);
    clock.advanceTo(10);
    expect(clock.now()).toBe(50);
    clock.setTimeout(() => {}, 10);
    expect(() => clock.advanceTo(100)).toThrow(/skip/);
    clock.advanceTo(60);
    expect(clock.now()).toBe(60);
  });

  it('keeps its state consistent when a callback throws', () => {
    const clock = new VirtualClock({ startMs: 0 });
    let ticks = 0;
    clock.setInterval(() => {
      ticks += 1;
      throw new Error('boom');
    }, 10);
    expect(() => clock.runNext()).toThrow('boom');
    expect(clock.pendingCount()).toBe(1);
    expect(clock.nextDueMs()).toBe(20);
    expect(() => clock.runNext()).toThrow('boom');
    expect(ticks).toBe(2);
  });
});

describe('TimerScope', () => {
  it('cancels every timer created through it and nothing else', () => {
    const clock = new VirtualClock({ startMs: 0 });
    const scope = clock.scope();
    const fired: string[] = [];
    scope.setTimeout(() => fired.push('scoped-timeout'), 10);
    scope.setInterval(() => fired.push('scoped-interval'), 5);
    clock.setTimeout(() => fired.push('outside'), 20);
    clock.runNext();
    expect(fired).toEqual(['scoped-interval']);
    expect(scope.pendingCount()).toBe(2);
    scope.cancelAll();
    expect(scope.pendingCount()).toBe(0);
    drain(clock);
    expect(fired).toEqual(['scoped-interval', 'outside']);
    scope.setTimeout(() => fired.push('after-cancel'), 1);
    drain(clock);
    expect(fired).toContain('after-cancel');
  });

  it('runs its timers as its owner, whoever set them', () => {
    const clock = new VirtualClock({ startMs: 0 });
    const page = clock.scope('c1');
    const ran: (string | undefined)[] = [];
    runAs('server', () => page.setTimeout(() => ran.push(currentActor()), 1));
    runAs('server', () => clock.setTimeout(() => ran.push(currentActor()), 2));
    clock.setTimeoutAs('c2', () => ran.push(currentActor()), 3);
    clock.setTimeout(() => ran.push(currentActor()), 4);
    drain(clock);
    expect(ran).toEqual(['c1', 'server', 'c2', undefined]);
  });

  it('forgets timers that fired and makes later timers inert after dispose', () => {
    const clock = new VirtualClock({ startMs: 0 });
    const scope = clock.scope();
    let fired = 0;
    scope.setTimeout(() => (fired += 1), 1);
    drain(clock);
    expect(scope.pendingCount()).toBe(0);
    scope.dispose();
    scope.setTimeout(() => (fired += 1), 1);
    expect(clock.pendingCount()).toBe(0);
    drain(clock);
    expect(fired).toBe(1);
  });

  it('can clear its own timers one by one', () => {
    const clock = new VirtualClock({ startMs: 0 });
    const scope = clock.scope();
    const handle = scope.setInterval(() => {}, 5);
    scope.clearInterval(handle);
    expect(scope.pendingCount()).toBe(0);
    expect(clock.pendingCount()).toBe(0);
  });
});

describe('installGlobals', () => {
  const realSetTimeout = globalThis.setTimeout;
  const realDateNow = Date.now;
  const realFetch = globalThis.fetch;
  afterEach(() => {
    expect(globalThis.setTimeout).toBe(realSetTimeout);
  });

  /** A "third-party" client written against globals only. */
  async function thirdPartyPoll(log: string[]): Promise<void> {
    for (let attempt = 1; attempt <= 3; attempt++) {
      const response = await fetch('http://sim/api/poll', { method: 'GET' });
      log.push(`${Date.now()} attempt ${attempt}: ${await response.text()}`);
      await new Promise((resolve) => setTimeout(resolve, 1000 * attempt));
    }
  }

  async function runOnce(): Promise<string[]> {
    const clock = new VirtualClock({ startMs: 0 });
    let calls = 0;
    const fakeFetch = async () => ({ text: async () => `reply-${++calls}` });
    const restore = installGlobals(clock, { fetch: fakeFetch });
    const log: string[] = [];
    try {
      const done = thirdPartyPoll(log);
      for (let i = 0; i < 10; i++) {
        await new Promise((resolve) => setImmediate(resolve));
        if (!clock.runNext()) break;
      }
      await done;
    } finally {
      restore();
      restore();
    }
    return log;
  }

  it('runs a global-timer client on virtual time, then restores the real globals', async () => {
    const first = await runOnce();
    expect(first).toEqual(['0 attempt 1: reply-1', '1000 attempt 2: reply-2', '3000 attempt 3: reply-3']);
    expect(await runOnce()).toEqual(first);
    expect(globalThis.setTimeout).toBe(realSetTimeout);
    expect(Date.now).toBe(realDateNow);
    expect(globalThis.fetch).toBe(realFetch);
    expect(Date.now()).toBeGreaterThan(DEFAULT_EPOCH_MS);
  });

  it('leaves fetch alone when none is given and supports extra timer arguments', () => {
    const clock = new VirtualClock({ startMs: 0 });
    const restore = installGlobals(clock);
    const seen: number[] = [];
    try {
      expect(globalThis.fetch).toBe(realFetch);
      const handle = setTimeout((value: number) => seen.push(value), 5, 42);
      // Node libraries call unref()/ref() on timers; the virtual handle accepts them.
      expect(handle.unref().hasRef()).toBe(true);
      const cancelled = setInterval(() => seen.push(-1), 1);
      clearInterval(cancelled);
      expect(Date.now()).toBe(0);
      clock.runNext();
      clearTimeout(handle);
      expect(clock.now()).toBe(5);
    } finally {
      restore();
    }
    expect(seen).toEqual([42]);
  });
});

describe('wallClockMs', () => {
  it('reads real elapsed time, unaffected by installed globals', () => {
    const clock = new VirtualClock({ startMs: 0 });
    const before = wallClockMs();
    const restore = installGlobals(clock);
    try {
      expect(wallClockMs()).toBeGreaterThanOrEqual(before);
      expect(Date.now()).toBe(0);
    } finally {
      restore();
    }
  });
});
