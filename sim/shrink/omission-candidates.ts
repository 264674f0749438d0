/**
 * Neighbours of a scenario that leave out single events of its run (omittable-events.ts), in the
 * manner of delta debugging over the run's faults and, separately, over its user actions:
 *   1. everything after the first k events (k = 1, 2, 4...): a failure usually needs only what
 *      came before it, and a prefix keeps the run identical up to where it is cut;
 *   2. consecutive chunks of half, a quarter... of the events, down to single events.
 * Each draw of an omitted event is still made, so the rest of the run stays where it was until
 * the missing event changes what the transport does; the shrinker runs every candidate to see.
 *
 * A burst's prompts are cut only from either end of a client's list (half, three quarters...,
 * all but one): a burst of a hundred would otherwise add hundreds of candidates that every
 * fixpoint check runs, and a defect met by the last prompt of a burst needs only the cut that
 * keeps that one. These cuts come last, after the burstPrompts field has had its turn.
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

/** Each client's burst prompts without its first or its last k, k from half of them up to all but one. */
function endCuts(prompts: readonly OmittableEvent[], s: Scenario): ShrinkCandidate[] {
  const out: ShrinkCandidate[] = [];
  for (const owner of new Set(prompts.map((e) => e.owner))) {
    const own = prompts.filter((e) => e.owner === owner);
    for (let keep = Math.floor(own.length / 2); keep >= 1; keep = keep === 1 ? 0 : Math.ceil(keep / 2)) {
      const [first, last] = [own.slice(0, own.length - keep), own.slice(keep)];
      out.push({
        change: `${owner}: keep the last ${keep} of ${own.length} burst prompts`,
        scenario: withOmitted(s, first),
      });
      out.push({
        change: `${owner}: keep the first ${keep} of ${own.length} burst prompts`,
        scenario: withOmitted(s, last),
      });
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
  const prompts = events.filter((e) => e.kind === 'prompt');
  return {
    prefixes: [...prefixCuts(faults, 'faults', s), ...prefixCuts(actions, 'user actions', s)],
    chunks: [...chunkCuts(faults, s), ...chunkCuts(actions, s), ...endCuts(prompts, s)],
  };
}
