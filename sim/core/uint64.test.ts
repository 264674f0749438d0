import { describe, expect, it } from 'vitest';
import { add64, mul64, shiftRight64, uint64, xor64, type Uint64 } from './uint64.ts';

const MASK64 = (1n << 64n) - 1n;
const big = (a: Uint64): bigint => (BigInt(a.hi) << 32n) | BigInt(a.lo);
const of = (value: bigint): Uint64 => uint64(Number((value >> 32n) & 0xffff_ffffn), Number(value & 0xffff_ffffn));

/** Edge values, then a fixed walk over the rest (an LCG, so the cases are the same every run). */
function samples(): bigint[] {
  const values = [0n, 1n, 0xffff_ffffn, 0x1_0000_0000n, MASK64, 0x8000_0000_0000_0000n, 0x9e3779b97f4a7c15n];
  let x = 0x243f6a8885a308d3n;
  for (let i = 0; i < 300; i++) values.push((x = (x * 6364136223846793005n + 1442695040888963407n) & MASK64));
  return values;
}

describe('uint64', () => {
  it('adds, multiplies, xors and shifts as BigInt does mod 2^64', () => {
    const values = samples();
    for (let i = 0; i < values.length; i++) {
      const a = values[i]!;
      const b = values[(i * 7 + 3) % values.length]!;
      expect(big(add64(of(a), of(b)))).toBe((a + b) & MASK64);
      expect(big(mul64(of(a), of(b)))).toBe((a * b) & MASK64);
      expect(big(xor64(of(a), of(b)))).toBe(a ^ b);
      for (const bits of [1, 27, 30, 31]) expect(big(shiftRight64(of(a), bits))).toBe(a >> BigInt(bits));
    }
  });
});
