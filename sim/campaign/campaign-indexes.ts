/**
 * Which run indexes a campaign (or one shard of it) makes. Shard I of N takes the indexes with
 * i % N === I - 1, so N jobs with the same seed and run count cover the campaign exactly once.
 */

export interface Shard {
  /** 1-based, as written on the command line (`--shard 2/4`). */
  index: number;
  count: number;
}

export interface IndexSequence extends Iterator<number, undefined> {
  /** How many indexes the sequence yields in all; Infinity without a run count. */
  planned: number;
}

/** `endIndex` stops a campaign without a run count (a time budget) before its seeds leave their range. */
export function campaignIndexes(runs: number | undefined, shard?: Shard, endIndex = Infinity): IndexSequence {
  const count = shard?.count ?? 1;
  const offset = (shard?.index ?? 1) - 1;
  let next = offset;
  const planned = runs === undefined ? Infinity : Math.max(0, Math.ceil((runs - offset) / count));
  return {
    planned,
    next(): IteratorResult<number, undefined> {
      if ((runs !== undefined && next >= runs) || next >= endIndex) return { done: true, value: undefined };
      const value = next;
      next += count;
      return { done: false, value };
    },
  };
}
