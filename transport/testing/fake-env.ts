/**
 * A deterministic Env for unit tests. Fault model: none; time moves only when the test calls
 * `advance` or `runAll`, timers fire in (due time, insertion order), ids count up per prefix,
 * randomness comes from a seeded PRNG, and every log entry is recorded for assertions.
 */
import { CountingIdSource } from '../env.ts';
import type { Clock, Env, LogLevel, Logger, RandomSource, TimerHandle, Timers } from '../env.ts';

export interface LogEntry {
  level: LogLevel;
  event: string;
  data: Record<string, unknown>;
}

interface ScheduledTimer {
  id: number;
  dueMs: number;
  order: number;
  intervalMs: number | null;
  fn: () => void;
}

export const DEFAULT_RUN_ALL_STEP_LIMIT = 10_000;

class ManualTimers implements Timers {
  private readonly scheduled = new Map<number, ScheduledTimer>();
  private nextId = 1;
  private nextOrder = 1;

  constructor(private readonly clock: ManualClock) {}

  setTimeout(fn: () => void, delayMs: number): TimerHandle {
    return this.schedule(fn, delayMs, null);
  }

  setInterval(fn: () => void, intervalMs: number): TimerHandle {
    // A zero interval would fire forever at one instant; real timers clamp it to 1 ms too.
    return this.schedule(fn, intervalMs, Math.max(1, intervalMs));
  }

  clearTimeout(handle: TimerHandle | undefined): void {
    if (typeof handle === 'number') this.scheduled.delete(handle);
  }

  clearInterval(handle: TimerHandle | undefined): void {
    this.clearTimeout(handle);
  }

  pendingCount(): number {
    return this.scheduled.size;
  }

  /** The earliest scheduled timer, or undefined when none is pending. */
  peekNext(): ScheduledTimer | undefined {
    let best: ScheduledTimer | undefined;
    for (const timer of this.scheduled.values()) {
      if (!best || timer.dueMs < best.dueMs || (timer.dueMs === best.dueMs && timer.order < best.order)) {
        best = timer;
      }
    }
    return best;
  }

  fire(timer: ScheduledTimer): void {
    if (timer.intervalMs === null) {
      this.scheduled.delete(timer.id);
    } else {
      timer.dueMs += timer.intervalMs;
      timer.order = this.nextOrder++;
    }
    timer.fn();
  }

  private schedule(fn: () => void, delayMs: number, intervalMs: number | null): number {
    const id = this.nextId++;
    const safeDelayMs = Number.isFinite(delayMs) ? Math.max(0, Math.floor(delayMs)) : 0;
    this.scheduled.set(id, { id, dueMs: this.clock.now() + safeDelayMs, order: this.nextOrder++, intervalMs, fn });
    return id;
  }
}

class ManualClock implements Clock {
  constructor(private currentMs: number) {}
  now(): number {
    return this.currentMs;
  }
  moveTo(ms: number): void {
    if (ms > this.currentMs) this.currentMs = ms;
  }
}

/** mulberry32: tiny, fast, and good enough to make test runs vary by seed. */
class SeededRandom implements RandomSource {
  private state: number;
  constructor(seed: number) {
    this.state = seed >>> 0;
  }
  int(maxExclusive: number): number {
    if (!(maxExclusive > 0)) return 0;
    return Math.floor(this.nextFloat() * Math.floor(maxExclusive));
  }
  chance(numerator: number, denominator: number): boolean {
    if (denominator <= 0) return false;
    return this.int(denominator) < numerator;
  }
  private nextFloat(): number {
    this.state = (this.state + 0x6d2b79f5) >>> 0;
    let t = this.state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4294967296;
  }
}

export interface FakeEnv {
  env: Env;
  /** Moves the clock forward by `ms`, running every timer that falls due on the way. */
  advance(ms: number): void;
  /** Runs timers until none is left; throws when more than `limitSteps` fire (a runaway interval). */
  runAll(limitSteps?: number): void;
  logs: LogEntry[];
  /** Log entries with the given event name. */
  logsOf(event: string): LogEntry[];
  pendingTimerCount(): number;
}

export function createFakeEnv(options: { startMs?: number; seed?: number } = {}): FakeEnv {
  const clock = new ManualClock(options.startMs ?? 1_000_000);
  const timers = new ManualTimers(clock);
  const logs: LogEntry[] = [];
  const logger: Logger = {
    log(level, event, data) {
      logs.push({ level, event, data: data ?? {} });
    },
  };
  const env: Env = { clock, timers, ids: new CountingIdSource(), random: new SeededRandom(options.seed ?? 1), logger };

  function advance(ms: number): void {
    const targetMs = clock.now() + Math.max(0, Math.floor(ms));
    for (let next = timers.peekNext(); next && next.dueMs <= targetMs; next = timers.peekNext()) {
      clock.moveTo(next.dueMs);
      timers.fire(next);
    }
    clock.moveTo(targetMs);
  }

  function runAll(limitSteps = DEFAULT_RUN_ALL_STEP_LIMIT): void {
    let steps = 0;
    for (let next = timers.peekNext(); next; next = timers.peekNext()) {
      if (steps >= limitSteps) throw new Error(`runAll: step limit ${limitSteps} reached with timers still pending`);
      steps += 1;
      clock.moveTo(next.dueMs);
      timers.fire(next);
    }
  }

  return {
    env,
    advance,
    runAll,
    logs,
    logsOf: (event) => logs.filter((entry) => entry.event === event),
    pendingTimerCount: () => timers.pendingCount(),
  };
}
