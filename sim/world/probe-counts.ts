/**
 * How often each coverage probe of the transport was hit in one run (docs/observations.md).
 * Counted beside the trace, never in it: a probe says which decision points a run reached, and
 * adding or moving one in the transport must not change any trace hash.
 */
export class ProbeCounts {
  private readonly hits = new Map<string, number>();

  hit(name: string): void {
    this.hits.set(name, (this.hits.get(name) ?? 0) + 1);
  }

  /** Hits per probe name, names in sorted order, probes never hit left out. */
  counts(): Record<string, number> {
    return Object.fromEntries([...this.hits].sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0)));
  }
}
