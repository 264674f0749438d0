/**
 * The one seam through which time, timers, ids, randomness and logging enter the transport.
 * Production code receives an Env from its constructor and never touches the globals itself;
 * the simulator supplies a virtual implementation, `realEnv()` below supplies the real one.
 * This file and `transport/node/` are the only places in the transport allowed to touch
 * `Date.now`, `setTimeout`, `Math.random` and friends.
 */

/** Opaque handle returned by Timers; only the Timers that created it may clear it. */
export type TimerHandle = { readonly __timer: unique symbol } | number | object;

export interface Timers {
  setTimeout(fn: () => void, delayMs: number): TimerHandle;
  clearTimeout(handle: TimerHandle | undefined): void;
  setInterval(fn: () => void, intervalMs: number): TimerHandle;
  clearInterval(handle: TimerHandle | undefined): void;
}

export interface Clock {
  /** Milliseconds since the epoch of this clock; integer, never decreasing. */
  now(): number;
}

export interface IdSource {
  /**
   * A fresh id of the form `<prefix>-<n>`, never returned twice by this source. The simulator
   * keeps one source per world so ids are not reused across a simulated crash.
   */
  next(prefix: string): string;
}

export interface RandomSource {
  /** Uniform integer in [0, maxExclusive). */
  int(maxExclusive: number): number;
  /** True with probability numerator/denominator (integer ratio keeps runs exact). */
  chance(numerator: number, denominator: number): boolean;
}

export type LogLevel = 'debug' | 'info' | 'warn' | 'error';

export interface Logger {
  /** `event` is a stable dotted name (`registry.sync.batch`), `data` plain JSON values. */
  log(level: LogLevel, event: string, data?: Record<string, unknown>): void;
}

export interface Env {
  readonly clock: Clock;
  readonly timers: Timers;
  readonly ids: IdSource;
  readonly random: RandomSource;
  readonly logger: Logger;
}

/**
 * Ids `<prefix>-<n>`, one counter per prefix from 1: the same calls give the same ids, for a
 * simulated world (one source for the whole world, so a restarted server never reuses an id) and
 * for unit tests.
 */
export class CountingIdSource implements IdSource {
  private readonly counters = new Map<string, number>();
  next(prefix: string): string {
    const n = (this.counters.get(prefix) ?? 0) + 1;
    this.counters.set(prefix, n);
    return `${prefix}-${n}`;
  }
}

class RealIdSource implements IdSource {
  // Seeded from the wall clock so a restarted production process does not reuse ids.
  private counter = Date.now() * 1000;
  next(prefix: string): string {
    this.counter += 1;
    return `${prefix}-${this.counter}`;
  }
}

const realRandom: RandomSource = {
  int: (maxExclusive) => Math.floor(Math.random() * maxExclusive),
  chance: (numerator, denominator) => Math.random() * denominator < numerator,
};

const realTimers: Timers = {
  setTimeout: (fn, delayMs) => setTimeout(fn, delayMs),
  clearTimeout: (handle) => clearTimeout(handle as NodeJS.Timeout | undefined),
  setInterval: (fn, intervalMs) => setInterval(fn, intervalMs),
  clearInterval: (handle) => clearInterval(handle as NodeJS.Timeout | undefined),
};

/** Logs warnings and errors to stderr as one JSON line each; quieter levels are dropped. */
export const stderrLogger: Logger = {
  log(level, event, data) {
    if (level === 'warn' || level === 'error') {
      process.stderr.write(`${JSON.stringify({ level, event, ...data })}\n`);
    }
  },
};

export const silentLogger: Logger = { log() {} };

export function realEnv(options: { logger?: Logger } = {}): Env {
  return {
    clock: { now: () => Date.now() },
    timers: realTimers,
    ids: new RealIdSource(),
    random: realRandom,
    logger: options.logger ?? stderrLogger,
  };
}
