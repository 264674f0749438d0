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
  /**
   * An independent source named for one purpose, so its draws never shift anyone else's (the
   * simulator's named streams). A source without it is shared by every purpose.
   */
  split?(name: string): RandomSource;
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

const TWO_POW_32 = 0x1_0000_0000;
/** Random words fetched per call to the system source: one call per id rather than per word. */
const RANDOM_POOL_WORDS = 64;

/**
 * The real random source draws from the operating system's CSPRNG (Web Crypto, in Node and in
 * browsers alike), not Math.random: connection ids come from it and must not be predictable
 * from ids seen before, which a Math.random generator's output is.
 */
class CryptoRandom implements RandomSource {
  private readonly pool = new Uint32Array(RANDOM_POOL_WORDS);
  private next = RANDOM_POOL_WORDS;

  int(maxExclusive: number): number {
    if (!Number.isSafeInteger(maxExclusive) || maxExclusive <= 0) {
      throw new RangeError(`int(maxExclusive) needs a positive safe integer, got ${String(maxExclusive)}`);
    }
    if (maxExclusive <= TWO_POW_32) return this.below(maxExclusive, () => this.word());
    // 53 bits from two words (21 + 32), for the rare bound above 2^32.
    return this.below(maxExclusive, () => (this.word() >>> 11) * TWO_POW_32 + this.word());
  }

  chance(numerator: number, denominator: number): boolean {
    // The edges need no draw, and a zero denominator (a ratio nobody set) must not throw.
    if (numerator <= 0) return false;
    if (numerator >= denominator) return true;
    return this.int(denominator) < numerator;
  }

  /** Rejection sampling: draws at or above the largest multiple of the bound are redrawn, so no bias. */
  private below(bound: number, draw: () => number): number {
    const range = bound <= TWO_POW_32 ? TWO_POW_32 : Number.MAX_SAFE_INTEGER + 1;
    const limit = range - (range % bound);
    for (;;) {
      const value = draw();
      if (value < limit) return value % bound;
    }
  }

  private word(): number {
    if (this.next === RANDOM_POOL_WORDS) {
      globalThis.crypto.getRandomValues(this.pool);
      this.next = 0;
    }
    return this.pool[this.next++]!;
  }
}

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
    random: new CryptoRandom(),
    logger: options.logger ?? stderrLogger,
  };
}
