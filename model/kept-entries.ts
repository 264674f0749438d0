/**
 * Entries a history log has built, kept for the reads that come after: a run's checks read the
 * same rows again and again (the oracle, then property after property), and building a row's
 * entry anew, after skipping the rows before it, was a third of the checks' time. Only a log of
 * at most KEPT_ROWS_MAX rows keeps them, which holds every default run (2,000 to 3,500 rows) and
 * most generated ones; a longer log builds at every read, so that a long run's memory is what it
 * was without them (keeping the first 64Ki rows of a 1.4M-entry run took its peak RSS from 196 to
 * 270 MB). A kept entry is handed to every reader, as a history held as an array hands out its own.
 */
export const KEPT_ROWS_MAX = 1 << 14;

export class KeptEntries<T> {
  /** By row position, dense from 0: a sparse array would fall back to a dictionary. */
  private readonly entries: (T | undefined)[] = [];

  /** The entry at `position` (below `rows`, the log's length), built by `build` the first time. */
  get(position: number, rows: number, build: (position: number) => T): T {
    const entries = this.entries;
    if (rows > KEPT_ROWS_MAX) {
      // A log that grew past the bound while read lets go of what it kept.
      if (entries.length > 0) entries.length = 0;
      return build(position);
    }
    while (entries.length < rows) entries.push(undefined);
    let entry = entries[position];
    if (entry === undefined) entries[position] = entry = build(position);
    return entry;
  }
}
