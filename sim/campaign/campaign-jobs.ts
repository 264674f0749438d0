/**
 * The runs a campaign makes, in order. Unsteered, they are its indexes (campaign-indexes.ts). A
 * steered campaign (steering.ts) learns each epoch's weights from every run of the epochs before,
 * so a shard also makes the other shards' runs of each earlier epoch, to learn from only: its own
 * runs then are exactly those of the unsharded campaign, and it reports only those.
 */
import { campaignIndexes, type IndexSequence, type Shard } from './campaign-indexes.ts';
import { STEER_EPOCH_RUNS } from './steering.ts';

export interface CampaignJob {
  index: number;
  /** False for a run of another shard, made only for the steering to learn from. */
  own: boolean;
}

export interface JobSequence extends Iterator<CampaignJob, undefined> {
  /** The campaign's own runs, as campaignIndexes counts them. */
  planned: number;
}

export function campaignJobs(
  runs: number | undefined,
  shard: Shard | undefined,
  endIndex: number,
  steered: boolean,
): JobSequence {
  const own = campaignIndexes(runs, shard, endIndex);
  if (!steered || shard === undefined || shard.count === 1) return ownJobs(own);
  return learningJobs(runs ?? Infinity, shard, endIndex);
}

function ownJobs(indexes: IndexSequence): JobSequence {
  return {
    planned: indexes.planned,
    next() {
      const next = indexes.next();
      return next.done ? next : { done: false, value: { index: next.value, own: true } };
    },
  };
}

/** Epoch by epoch: the other shards' runs of the epoch before, then this shard's runs of this one. */
function learningJobs(runs: number, shard: Shard, endIndex: number): JobSequence {
  const end = Math.min(runs, endIndex);
  const owns = (index: number) => index % shard.count === shard.index - 1;
  function* jobs(): Generator<CampaignJob, undefined> {
    for (let start = 0; start < end; start += STEER_EPOCH_RUNS) {
      if (start > 0)
        for (let index = start - STEER_EPOCH_RUNS; index < start; index++)
          if (!owns(index)) yield { index, own: false };
      for (let index = start; index < Math.min(end, start + STEER_EPOCH_RUNS); index++)
        if (owns(index)) yield { index, own: true };
    }
    return undefined;
  }
  const sequence = jobs();
  return { planned: campaignIndexes(runs === Infinity ? undefined : runs, shard).planned, next: () => sequence.next() };
}
