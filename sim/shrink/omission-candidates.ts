/**
 * Neighbours of a scenario that leave out single events of its run (omittable-events.ts), in the
 * manner of delta debugging over the run's faults and, separately, over its user actions:
 *   1. everything after the first k events (k = 1, 2, 4...): a failure usually needs only what
 *      came before it, and a prefix keeps the run identical up to where it is cut;
 *   2. consecutive chunks of half, a quarter... of the events, down to single events.
 * Each draw of an omitted event is still made, so the rest of the run stays where it was until
 * the missing event changes what the transport does; the shrinker runs every candidate to see.
 *
 * A burst's prompts (`omit.prompts`) are not cut here. Measured with score over the 28 defects,
 * every way tried made shrinks worse or no better: as user actions among the others they added a
 * candidate per prompt that every fixpoint check runs, and an omitted prompt keeps its number, so
 * a later cut of burstPrompts makes the omission name other prompts (cursor-on-receipt ended at
 * 4+105 instead of 1+1). The burstPrompts field cuts a burst down instead.
 */
import type { Scenario } from '../../scenarios/index.ts';
import { eventName, withOmitted, type OmittableEvent } from './omittable-events.ts';
import type { ShrinkCandidate } from './shrink-candidates.ts';

function prefixCuts(group: readonly OmittableEvent[], noun: string, s: Scenario): ShrinkCandidate[] {
  const out: ShrinkCandidate[] = [];
  for (let keep = 1; keep < group.length; keep *= 2) {
    const change = `keep the first ${keep} of ${group.length} ${noun}`;
    out.push({ change, scenario: withOmitted(s, group.slice(keep)) });
  }
  return out;
}

function chunkName(chunk: readonly OmittableEvent[]): string {
  const [first, last] = [chunk[0]!, chunk[chunk.length - 1]!];
  return chunk.length === 1
    ? `omit ${eventName(first)}`
    : `omit ${chunk.length} from ${eventName(first)} to ${eventName(last)}`;
}

function chunkCuts(group: readonly OmittableEvent[], s: Scenario): ShrinkCandidate[] {
  const out: ShrinkCandidate[] = [];
  for (let size = Math.ceil(group.length / 2); size >= 1; size = size === 1 ? 0 : Math.ceil(size / 2)) {
    for (let i = 0; i < group.length; i += size) {
      const chunk = group.slice(i, i + size);
      if (chunk.length === group.length) continue;
      out.push({ change: chunkName(chunk), scenario: withOmitted(s, chunk) });
    }
  }
  return out;
}

/**
 * The cuts of `events` by kind of cut: prefixes (cheap, and each keeps most of the run) and
 * chunks (one event at a time at the finest). Faults come before user actions in each: the size
 * order counts a fault above any number of user actions.
 */
export function omissionCandidates(s: Scenario, events: readonly OmittableEvent[]) {
  const faults = events.filter((e) => e.kind === 'fault');
  const actions = events.filter((e) => e.kind === 'action' || e.kind === 'answer');
  return {
    prefixes: [...prefixCuts(faults, 'faults', s), ...prefixCuts(actions, 'user actions', s)],
    chunks: [...chunkCuts(faults, s), ...chunkCuts(actions, s)],
  };
}
