import { describe, expect, it } from 'vitest';
import { VirtualClock } from './clock.ts';
import { EventLoop } from './loop.ts';
import { runAs } from './actor-context.ts';
import { assert, AssertionError } from './assert.ts';

type ErrorCallback = (error: unknown, actor: string | undefined) => void;

function world(options: { onUnhandledRejection?: ErrorCallback; onUncaughtException?: ErrorCallback } = {}) {
  const clock = new VirtualClock({ startMs: 0 });
  const loop = new EventLoop({ clock, ...options });
  return { clock, loop };
}

/** An async chain several awaits deep, like a handler awaiting a store and a response body. */
async function chain(log: string[], name: string, depth: number): Promise<void> {
  for (let i = 0; i < depth; i++) {
    await Promise.resolve();
    log.push(`${name}.${i}`);
  }
}

describe('EventLoop', () => {
  it('settles every promise chain a timer started before the next timer runs', async () => {
    const { clock, loop } = world();
    const log: string[] = [];
    clock.setTimeout(() => void chain(log, 'a', 5), 10);
    clock.setTimeout(() => {
      log.push('b-start');
      void chain(log, 'b', 2);
    }, 10);
    const result = await loop.run({ stepLimit: 100 });
    expect(result).toEqual({ reason: 'idle', steps: 2 });
    expect(log).toEqual(['a.0', 'a.1', 'a.2', 'a.3', 'a.4', 'b-start', 'b.0', 'b.1']);
  });

  it('runs timers that a settling chain schedules, in virtual time order', async () => {
    const { clock, loop } = world();
    const seen: number[] = [];
    const sleep = (delayMs: number) => new Promise<void>((resolve) => clock.setTimeout(resolve, delayMs));
    clock.setTimeout(async () => {
      for (const delayMs of [100, 50, 25]) {
        await sleep(delayMs);
        seen.push(clock.now());
      }
    }, 0);
    await loop.run({ stepLimit: 100 });
    expect(seen).toEqual([100, 150, 175]);
  });

  it('honours the step limit and can resume', async () => {
    const { clock, loop } = world();
    let ticks = 0;
    clock.setInterval(() => (ticks += 1), 10);
    expect(await loop.run({ stepLimit: 3 })).toEqual({ reason: 'step-limit', steps: 3 });
    expect(ticks).toBe(3);
    expect(clock.now()).toBe(30);
    expect(await loop.run({ stepLimit: 2 })).toEqual({ reason: 'step-limit', steps: 2 });
    expect(loop.stepsRun).toBe(5);
  });

  it('stops at the work limit as at the step limit, however much work one step did', async () => {
    const { clock, loop } = world();
    let work = 0;
    clock.setInterval(() => (work += 40), 10);
    const result = await loop.run({ stepLimit: 1_000, workLimit: { done: () => work, max: 100 } });
    expect(result).toEqual({ reason: 'step-limit', steps: 3 });
    expect(work).toBe(120);
  });

  it('stops at untilMs, runs timers due exactly then, and moves the clock to it', async () => {
    const { clock, loop } = world();
    const fired: number[] = [];
    for (const delayMs of [10, 50, 51]) clock.setTimeout(() => fired.push(delayMs), delayMs);
    expect(await loop.run({ untilMs: 50, stepLimit: 100 })).toEqual({ reason: 'until', steps: 2 });
    expect(fired).toEqual([10, 50]);
    expect(clock.now()).toBe(50);
    expect(await loop.run({ untilMs: 40, stepLimit: 100 })).toEqual({ reason: 'until', steps: 0 });
    expect(clock.now()).toBe(50);
  });

  it('settles work started before the run', async () => {
    const { clock, loop } = world();
    const log: string[] = [];
    void (async () => {
      await Promise.resolve();
      clock.setTimeout(() => log.push('late timer'), 5);
    })();
    expect(await loop.run({ stepLimit: 10 })).toEqual({ reason: 'idle', steps: 1 });
    expect(log).toEqual(['late timer']);
  });

  it('hands an unhandled rejection to the callback and removes its listener after', async () => {
    const reasons: unknown[] = [];
    const { clock, loop } = world({ onUnhandledRejection: (reason) => reasons.push(reason) });
    const listenersBefore = process.listeners('unhandledRejection');
    let during: Function[] = [];
    clock.setTimeout(() => {
      during = process.listeners('unhandledRejection');
      void Promise.reject(new Error('interrupt failed'));
    }, 10);
    clock.setTimeout(() => {}, 20);
    const result = await loop.run({ stepLimit: 10 });
    expect(result.reason).toBe('idle');
    expect(reasons).toHaveLength(1);
    expect((reasons[0] as Error).message).toBe('interrupt failed');
    expect(during).toHaveLength(1);
    expect(process.listeners('unhandledRejection')).toEqual(listenersBefore);
  });

  it('reports the rejection within the step that raised it', async () => {
    const events: string[] = [];
    const { clock, loop } = world({ onUnhandledRejection: () => events.push(`rejection@${clock.now()}`) });
    clock.setTimeout(() => {
      void (async () => {
        await Promise.resolve();
        throw new Error('deep');
      })();
    }, 10);
    clock.setTimeout(() => events.push(`next@${clock.now()}`), 10);
    await loop.run({ stepLimit: 10 });
    expect(events).toEqual(['rejection@10', 'next@10']);
  });

  it('reports a throwing timer to onUncaughtException and goes on', async () => {
    const errors: unknown[] = [];
    const { clock, loop } = world({ onUncaughtException: (error) => errors.push(error) });
    let after = false;
    clock.setTimeout(() => {
      throw new Error('sync boom');
    }, 1);
    clock.setTimeout(() => (after = true), 2);
    expect(await loop.run({ stepLimit: 10 })).toEqual({ reason: 'idle', steps: 2 });
    expect(errors.map((error) => (error as Error).message)).toEqual(['sync boom']);
    expect(after).toBe(true);
  });

  it('lets a throwing timer end the run when nobody takes uncaught exceptions', async () => {
    const { clock, loop } = world();
    clock.setTimeout(() => {
      throw new Error('sync boom');
    }, 1);
    await expect(loop.run({ stepLimit: 10 })).rejects.toThrow('sync boom');
    expect(await loop.run({ stepLimit: 10 })).toEqual({ reason: 'idle', steps: 0 });
  });

  it('names the actor whose code raised an uncaught error', async () => {
    const seen: string[] = [];
    const note = (error: unknown, actor: string | undefined) => seen.push(`${(error as Error).message}:${actor}`);
    const { clock, loop } = world({ onUnhandledRejection: note, onUncaughtException: note });
    const page = clock.scope('c1');
    const server = clock.scope('server');
    page.setTimeout(() => {
      // A timer the page's code sets on the bare clock is still the page's.
      clock.setTimeout(() => void Promise.reject(new Error('late')), 5);
      void (async () => {
        await Promise.resolve();
        throw new Error('deep');
      })();
    }, 1);
    server.setTimeout(() => {
      // The server's step delivers into the page's code, which throws.
      runAs('c1', () => {
        throw new Error('delivered');
      });
    }, 2);
    clock.setTimeout(() => {
      throw new Error('nobody');
    }, 3);
    await loop.run({ stepLimit: 10 });
    expect(seen).toEqual(['deep:c1', 'delivered:c1', 'nobody:undefined', 'late:c1']);
  });

  it('ends the run on a broken simulator invariant, thrown or rejected, whoever takes errors', async () => {
    for (const raise of ['throw', 'reject'] as const) {
      const taken: unknown[] = [];
      const { clock, loop } = world({
        onUnhandledRejection: (error) => taken.push(error),
        onUncaughtException: (error) => taken.push(error),
      });
      let after = false;
      clock.setTimeout(() => {
        if (raise === 'throw') assert(false, 'nothing is due twice');
        else void Promise.reject(new AssertionError('nothing is due twice'));
      }, 1);
      clock.setTimeout(() => (after = true), 2);
      await expect(loop.run({ stepLimit: 10 })).rejects.toThrow('simulator invariant broken: nothing is due twice');
      expect(taken).toEqual([]);
      expect(after).toBe(false);
    }
  });

  it('is deterministic: the same timers give the same interleaving', async () => {
    async function once(): Promise<string[]> {
      const { clock, loop } = world();
      const log: string[] = [];
      for (let i = 0; i < 20; i++) {
        clock.setTimeout(() => void chain(log, `t${i}`, (i % 4) + 1), (i * 37) % 11);
      }
      await loop.run({ stepLimit: 100 });
      return log;
    }
    const first = await once();
    expect(first).toHaveLength(50);
    expect(await once()).toEqual(first);
  });

  it('refuses a bad step limit and a nested run', async () => {
    const { clock, loop } = world();
    await expect(loop.run({ stepLimit: -1 })).rejects.toThrow(/stepLimit/);
    clock.setTimeout(() => {}, 1);
    const first = loop.run({ stepLimit: 5 });
    await expect(loop.run({ stepLimit: 5 })).rejects.toThrow(/already/);
    await first;
  });

  it('steps quickly: 20k timers well under a second', async () => {
    const { clock, loop } = world();
    let count = 0;
    clock.setInterval(() => (count += 1), 1);
    const started = process.hrtime.bigint();
    await loop.run({ stepLimit: 20_000 });
    const elapsedMs = Number(process.hrtime.bigint() - started) / 1e6;
    expect(count).toBe(20_000);
    expect(elapsedMs).toBeLessThan(3000);
  });
});
