/**
 * A pure function's results kept per argument, up to a bound past which the memory starts over:
 * for the texts a run works out the same way thousands of times (a stream name's hash, a URL's
 * path, a frame's JSON). A result of undefined is worked out again every time.
 */
export function keptResults<K, V>(compute: (key: K) => V, maxKept: number): (key: K) => V {
  const kept = new Map<K, V>();
  return (key) => {
    let value = kept.get(key);
    if (value === undefined) {
      value = compute(key);
      if (kept.size >= maxKept) kept.clear();
      kept.set(key, value);
    }
    return value;
  };
}
