/**
 * The one seeded pseudo-random generator of a run (sfc32, seeded through splitmix64). Each
 * subsystem draws from its own named stream, derived only from (seed, name path), so an extra
 * draw in one stream never shifts another. Decisions use integers only: no floating point, so
 * a seed gives the same run on every platform.
 */
import type { RandomSource } from '../../transport/index.ts';
import { keptResults } from './kept-results.ts';
import { add64, mul64, shiftRight64, uint64, xor64, type Uint64 } from './uint64.ts';

const TWO_POW_32 = 0x1_0000_0000;
const MAX_RANGE = Number.MAX_SAFE_INTEGER + 1;

export class Rng implements RandomSource {
  private a: number;
  private b: number;
  private c: number;
  private d: number;

  private constructor(
    private readonly key: Uint64,
    readonly name: string,
  ) {
    let state = key;
    const words: number[] = [];
    for (let i = 0; i < 4; i++) {
      const [next, output] = splitmix64(state);
      state = next;
      words.push(output.lo);
    }
    [this.a, this.b, this.c, this.d] = words as [number, number, number, number];
    for (let i = 0; i < 12; i++) this.nextUint32();
  }

  /** The root generator of a run; `seed` is a non-negative safe integer. */
  static fromSeed(seed: number): Rng {
    if (!Number.isSafeInteger(seed) || seed < 0) {
      throw new RangeError(`seed must be a non-negative safe integer (0..2^53-1), got ${String(seed)}`);
    }
    return new Rng(uint64(Math.floor(seed / TWO_POW_32), seed % TWO_POW_32), '');
  }

  /** An independent stream named `name` under this one; the same name always gives the same stream. */
  split(name: string): Rng {
    const [, mixed] = splitmix64(xor64(this.key, fnv1a64(name)));
    const path = this.name === '' ? name : `${this.name}/${name}`;
    return new Rng(mixed, path);
  }

  nextUint32(): number {
    // sfc32 (Chris Doty-Humphrey), 32-bit arithmetic throughout.
    const t = (((this.a + this.b) | 0) + this.d) | 0;
    this.d = (this.d + 1) | 0;
    this.a = this.b ^ (this.b >>> 9);
    this.b = (this.c + (this.c << 3)) | 0;
    this.c = (this.c << 21) | (this.c >>> 11);
    this.c = (this.c + t) | 0;
    return t >>> 0;
  }

  /** Uniform integer in [0, maxExclusive), unbiased (rejection sampling). */
  int(maxExclusive: number): number {
    if (!Number.isSafeInteger(maxExclusive) || maxExclusive <= 0) {
      throw new RangeError(`int(maxExclusive) needs a positive safe integer, got ${String(maxExclusive)}`);
    }
    if (maxExclusive <= TWO_POW_32) return this.below32(maxExclusive);
    return this.below53(maxExclusive);
  }

  /** Uniform integer in [min, max], both inclusive. */
  intBetween(min: number, max: number): number {
    if (!Number.isSafeInteger(min) || !Number.isSafeInteger(max) || max < min) {
      throw new RangeError(`intBetween(min, max) needs safe integers with min <= max, got ${min}, ${max}`);
    }
    const span = max - min + 1;
    if (span > MAX_RANGE) throw new RangeError(`intBetween range too large: ${min}..${max}`);
    return min + this.int(span);
  }

  /** True with probability numerator/denominator exactly; always one draw. */
  chance(numerator: number, denominator: number): boolean {
    if (!Number.isSafeInteger(numerator) || !Number.isSafeInteger(denominator) || denominator <= 0 || numerator < 0) {
      throw new RangeError(
        `chance(numerator, denominator) needs integers with denominator > 0, got ${numerator}/${denominator}`,
      );
    }
    return this.int(denominator) < numerator;
  }

  pick<T>(items: readonly T[]): T {
    if (items.length === 0) throw new RangeError('pick() needs a non-empty array');
    // int(n) < n, so the index is inside; the item itself may be undefined, hence no assert.
    return items[this.int(items.length)]!;
  }

  private below32(bound: number): number {
    // Largest multiple of bound that fits in 2^32; draws at or above it are rejected.
    const limit = TWO_POW_32 - (TWO_POW_32 % bound);
    for (;;) {
      const value = this.nextUint32();
      if (value < limit) return value % bound;
    }
  }

  private below53(bound: number): number {
    const limit = MAX_RANGE - (MAX_RANGE % bound);
    for (;;) {
      const high = this.nextUint32() >>> 11; // 21 bits
      const value = high * TWO_POW_32 + this.nextUint32();
      if (value < limit) return value % bound;
    }
  }
}

const GOLDEN_GAMMA = uint64(0x9e3779b9, 0x7f4a7c15);
const MIX_1 = uint64(0xbf58476d, 0x1ce4e5b9);
const MIX_2 = uint64(0x94d049bb, 0x133111eb);

/** One splitmix64 step: [next state, output]. */
function splitmix64(state: Uint64): [Uint64, Uint64] {
  const next = add64(state, GOLDEN_GAMMA);
  let z = next;
  z = mul64(xor64(z, shiftRight64(z, 30)), MIX_1);
  z = mul64(xor64(z, shiftRight64(z, 27)), MIX_2);
  return [next, xor64(z, shiftRight64(z, 31))];
}

const FNV_OFFSET = uint64(0xcbf29ce4, 0x84222325);
const FNV_PRIME = uint64(0x100, 0x1b3);
const encoder = new TextEncoder();

/** FNV-1a of a stream name, kept: every run splits the same names, and this goes a byte at a time. */
const fnv1a64 = keptResults(fnv1a64Of, 1024);

function fnv1a64Of(text: string): Uint64 {
  let hash = FNV_OFFSET;
  for (const byte of encoder.encode(text)) hash = mul64(uint64(hash.hi, hash.lo ^ byte), FNV_PRIME);
  return hash;
}
