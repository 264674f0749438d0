/**
 * Reading a history's entries whichever way it holds them: over a HistoryLog (a run's) or as an
 * array (one written by hand, or read back from a run file). Checks read through these, so a
 * long run's entries are built one at a time and only for the kinds a check asks for.
 */
import type { EntryOf, History, HistoryEntry, HistoryKind } from './history.ts';
import type { HistoryLog } from './history-log.ts';
import { kindCode, kindMask, maskHas, type KindMask } from './history-kind-codes.ts';

/** What reading a history needs: positions, kinds, a length and trace-order iteration. */
export interface HistoryEntries {
  readonly length: number;
  at(position: number): HistoryEntry | undefined;
  /** The first position from `from` on whose kind is in the mask, or the length when there is none. */
  nextOfKinds(mask: KindMask, from: number): number;
  [Symbol.iterator](): Iterator<HistoryEntry>;
}

const logs = new WeakMap<History, HistoryLog>();

/**
 * A History over a log. Its `entries` array is built on first read, for the readers that want
 * one (reports, run files); the properties read the log itself (`entriesOf`).
 */
export function historyOfLog(log: HistoryLog, rest: Omit<History, 'entries'>): History {
  let built: HistoryEntry[] | undefined;
  const history: History = {
    get entries(): HistoryEntry[] {
      return (built ??= log.toArray());
    },
    set entries(entries: HistoryEntry[]) {
      built = entries;
      logs.delete(history);
    },
    ...rest,
  };
  logs.set(history, log);
  return history;
}

/** A history's array read as HistoryEntries. */
class ArrayEntries implements HistoryEntries {
  constructor(private readonly entries: readonly HistoryEntry[]) {}

  get length(): number {
    return this.entries.length;
  }

  at(position: number): HistoryEntry | undefined {
    return this.entries.at(position);
  }

  nextOfKinds(mask: KindMask, from: number): number {
    const entries = this.entries;
    let position = Math.max(from, 0);
    while (position < entries.length && !maskHas(mask, kindCode(entries[position]!.kind))) position += 1;
    return position;
  }

  [Symbol.iterator](): Iterator<HistoryEntry> {
    return this.entries[Symbol.iterator]();
  }
}

const arrays = new WeakMap<readonly HistoryEntry[], HistoryEntries>();

/** The entries of a history to read: its log when it has one, else its array. */
export function entriesOf(history: History): HistoryEntries {
  const log = logs.get(history);
  if (log !== undefined) return log;
  let read = arrays.get(history.entries);
  if (read === undefined) arrays.set(history.entries, (read = new ArrayEntries(history.entries)));
  return read;
}

/**
 * The entries of some kinds, in trace order. Entries of other kinds are skipped by their kind
 * alone, never built: most checks read a few rare kinds of a history made mostly of frames.
 */
export function entriesOfKinds<K extends HistoryKind>(
  history: History,
  kinds: readonly K[],
): IterableIterator<EntryOf<K>> {
  return new EntriesOfKinds<K>(entriesOf(history), kindMask(kinds));
}

const DONE: IteratorReturnResult<undefined> = { done: true, value: undefined };

/**
 * `entriesOfKinds` as an iterator that hands out one result object, refilled per entry: a
 * generator's fresh result per entry read was a tenth of what a run's checks allocated.
 * `for...of` and spreading read a result before asking for the next, so the reuse is unseen.
 */
class EntriesOfKinds<K extends HistoryKind> implements IterableIterator<EntryOf<K>> {
  private position: number;
  private readonly result: IteratorYieldResult<EntryOf<K>> = { done: false, value: undefined as never };

  constructor(
    private readonly entries: HistoryEntries,
    private readonly mask: KindMask,
  ) {
    this.position = entries.nextOfKinds(mask, 0);
  }

  next(): IteratorResult<EntryOf<K>, undefined> {
    const position = this.position;
    if (position >= this.entries.length) return DONE;
    this.result.value = this.entries.at(position) as EntryOf<K>;
    this.position = this.entries.nextOfKinds(this.mask, position + 1);
    return this.result;
  }

  [Symbol.iterator](): IterableIterator<EntryOf<K>> {
    return this;
  }
}
