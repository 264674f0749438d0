/**
 * Unsigned 64-bit arithmetic on two uint32 halves, for the rng's seeding (splitmix64, FNV-1a).
 * BigInt gave the same numbers at several allocations per operation: a run splits its streams
 * some sixty times (a keyed stream per faultable request), and those splits were over a percent
 * of a run.
 */

/** A 64-bit value as its high and low 32 bits, each an unsigned integer. */
export interface Uint64 {
  hi: number;
  lo: number;
}

export function uint64(hi: number, lo: number): Uint64 {
  return { hi: hi >>> 0, lo: lo >>> 0 };
}

/** a + b mod 2^64. */
export function add64(a: Uint64, b: Uint64): Uint64 {
  const lo = a.lo + b.lo;
  return uint64(a.hi + b.hi + (lo > 0xffff_ffff ? 1 : 0), lo);
}

/** a * b mod 2^64: the low word's full product from 16-bit pieces, the cross terms mod 2^32. */
export function mul64(a: Uint64, b: Uint64): Uint64 {
  const a0 = a.lo & 0xffff;
  const a1 = a.lo >>> 16;
  const b0 = b.lo & 0xffff;
  const b1 = b.lo >>> 16;
  const p00 = a0 * b0;
  const p01 = a0 * b1;
  const p10 = a1 * b0;
  const mid = (p00 >>> 16) + (p01 & 0xffff) + (p10 & 0xffff);
  const carry = a1 * b1 + (p01 >>> 16) + (p10 >>> 16) + (mid >>> 16);
  const lo = ((mid & 0xffff) << 16) | (p00 & 0xffff);
  return uint64(carry + Math.imul(a.hi, b.lo) + Math.imul(a.lo, b.hi), lo);
}

export function xor64(a: Uint64, b: Uint64): Uint64 {
  return uint64(a.hi ^ b.hi, a.lo ^ b.lo);
}

/** a >> bits, logical, for 0 < bits < 32. */
export function shiftRight64(a: Uint64, bits: number): Uint64 {
  return uint64(a.hi >>> bits, (a.lo >>> bits) | (a.hi << (32 - bits)));
}
