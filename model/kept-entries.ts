/**
 * Entries a history log has built, kept for the reads that come after: a run's checks read the
 * same rows again and again (the oracle, then property after property), and building a row's
 * entry anew, after skipping the rows before it, was a third of the checks' time. Only the first
 * KEPT_ROWS_MAX rows are kept, so a long run's memory stays bounded: past them, a read builds.
 * A kept entry is handed to every reader, as a history held as an array hands out its own.
 */
export const KEPT_ROWS_MAX = 1 << 16;

export class KeptEntries<T> {
  /** By row position, dense from 0: a sparse array would fall back to a dictionary. */
  private readonly entries: (T | undefined)[] = [];

  /** The entry at `position` (below `rows`, the log's length), built by `build` the first time. */
  get(position: number, rows: number, build: (position: number) => T): T {
    if (position >= KEPT_ROWS_MAX) return build(position);
    const entries = this.entries;
    if (position >= entries.length) {
      const length = Math.min(rows, KEPT_ROWS_MAX);
      while (entries.length < length) entries.push(undefined);
    }
    let entry = entries[position];
    if (entry === undefined) entries[position] = entry = build(position);
    return entry;
  }
}
