/** Range queries over an ascending list of seqs (a session's stored seqs), in O(log n + k). */

/** Seqs s of an ascending list with after < s <= upTo. */
export function seqsBetween(sorted: readonly number[], after: number, upTo: number): number[] {
  const out: number[] = [];
  for (let i = firstAbove(sorted, after); i < sorted.length && sorted[i]! <= upTo; i++) out.push(sorted[i]!);
  return out;
}

/** Position of the first element greater than `value`. */
export function firstAbove(sorted: readonly number[], value: number): number {
  let lo = 0;
  let hi = sorted.length;
  while (lo < hi) {
    const mid = (lo + hi) >> 1;
    if (sorted[mid]! <= value) lo = mid + 1;
    else hi = mid;
  }
  return lo;
}
