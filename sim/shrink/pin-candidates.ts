/**
 * Neighbours that pin a timed fault to one moment while the request faults that fired come first.
 *
 * A failure that needs a timed fault to land shortly after some request faults (a stream drop
 * while frames after a failed apply wait for their gap to close) holds only while everything
 * that shares the fault stream stays put: cut a burst and every frame draws differently, so the
 * request faults and the timed fault's moment all move, and the failure goes with them. Such a
 * neighbour removes both dependencies at once:
 *   - every request kind that fired fires at every chance, only its first n firings taking
 *     effect (n as many as it fired), so it hits the first frames whatever is drawn around it;
 *   - one timed kind that fired once fires at every chance (the most a scenario allows), only
 *     its k-th firing taking effect: at the highest rate the k-th firing comes about k mean gaps
 *     into the chaos phase whatever the draws, a moment that moves little when the run around it
 *     changes;
 *   - kinds that did not fire are dropped.
 * Which k lands right is not known without a run, so k doubles over the chaos phase (1, 2, 4,
 * 8, 16...): a failure that needs the timed fault soon after the request faults holds for a range
 * of k, which such a spread hits in a few tries. Not smaller itself, a pin is a stepping stone
 * from which cutting the workload no longer moves the faults.
 *
 * Only a kind that fired once is pinned: the failure then hangs on that one firing's moment. Even
 * so a pin rarely holds (ten tries per kind over 100 s of chaos), so shrinkCandidates offers pins
 * after every other neighbour: a walk that spent its budget on them early did not get as far.
 */
import type { Scenario } from '../../scenarios/index.ts';
import type { FaultKind, RequestFaultKind, TimedFaultKind } from '../../scenarios/index.ts';
import { MAX_OMITTED_ORDINALS, MAX_TIMED_FAULT_RATE_PER_MINUTE } from '../../scenarios/index.ts';
import type { ShrinkCandidate } from './shrink-candidates.ts';
import { fireAtEveryChance } from './every-chance.ts';

type FaultCounts = Partial<Record<FaultKind, number>>;

const MS_PER_MINUTE = 60_000;
/** Successive pinned ordinals double: the range of k that holds is wide, and every try is a run. */
const PIN_ORDINAL_GROWTH = 2;

/** 1, 2, 4, 8... up to `last`: each value PIN_ORDINAL_GROWTH times the one before. */
export function pinOrdinals(last: number): number[] {
  const out: number[] = [];
  for (let k = 1; k <= last; k *= PIN_ORDINAL_GROWTH) out.push(k);
  return out;
}

/** Firings of a timed kind at the highest rate over `chaosMs`, on average: the last ordinal worth pinning. */
function expectedFiringsAtMaxRate(chaosMs: number): number {
  const firings = Math.floor((chaosMs * MAX_TIMED_FAULT_RATE_PER_MINUTE) / MS_PER_MINUTE);
  return Math.min(firings, MAX_OMITTED_ORDINALS + 1);
}

/**
 * Whether a timed kind is pinned or front-loaded already. Pins are offered only before: each
 * one can be a stepping stone, and re-pinning from a pinned scenario would let a walk go from
 * stone to stone through every combination of ordinals.
 */
function hasPinnedTimedKind(s: Scenario): boolean {
  const after = s.omit?.faultsAfter ?? {};
  return Object.keys(s.faults.timed).some((kind) => after[kind as TimedFaultKind] !== undefined);
}

/**
 * `s` with the request kinds that fired front-loaded, `kind` left to pin, and the kinds that did
 * not fire dropped. No timed kind has a `faultsAfter` here (pinCandidates checks), so the request
 * kinds' are all there is to set.
 */
function frontLoaded(s: Scenario, fired: FaultCounts, kind: TimedFaultKind): { scenario: Scenario; moved: string[] } {
  const next = structuredClone(s);
  const omit = (next.omit ??= {});
  const faultsAfter: Partial<Record<FaultKind, number>> = {};
  const faults = { ...omit.faults };
  const moved: string[] = [];
  for (const requestKind of Object.keys(next.faults.request) as RequestFaultKind[]) {
    const firings = fired[requestKind] ?? 0;
    delete faults[requestKind];
    if (firings === 0) {
      delete next.faults.request[requestKind];
      continue;
    }
    fireAtEveryChance(next, requestKind);
    faultsAfter[requestKind] = firings;
    moved.push(requestKind);
  }
  for (const timedKind of Object.keys(next.faults.timed) as TimedFaultKind[]) {
    // The pinned kind's old ordinals named firings of its old rate; another that fired keeps its own.
    if (timedKind === kind) delete faults[timedKind];
    else if ((fired[timedKind] ?? 0) === 0) {
      delete next.faults.timed[timedKind];
      delete faults[timedKind];
    }
  }
  omit.faults = faults;
  omit.faultsAfter = faultsAfter;
  return { scenario: next, moved };
}

/**
 * Unless a timed kind is pinned already, for each timed kind that fired once, the neighbours that
 * pin it to its k-th firing at the highest rate for each of pinOrdinals(), with the request kinds that
 * fired front-loaded. `fired` is the fault counts of the scenario's current run.
 */
export function pinCandidates(s: Scenario, fired: FaultCounts | undefined): ShrinkCandidate[] {
  if (fired === undefined || hasPinnedTimedKind(s)) return [];
  const out: ShrinkCandidate[] = [];
  for (const kind of Object.keys(s.faults.timed) as TimedFaultKind[]) {
    if ((fired[kind] ?? 0) !== 1) continue;
    const base = frontLoaded(s, fired, kind);
    for (const k of pinOrdinals(expectedFiringsAtMaxRate(s.phases.chaosMs))) {
      const next = structuredClone(base.scenario);
      fireAtEveryChance(next, kind);
      const omit = (next.omit ??= {});
      if (k > 1) omit.faults = { ...omit.faults, [kind]: Array.from({ length: k - 1 }, (_, i) => i + 1) };
      omit.faultsAfter = { ...omit.faultsAfter, [kind]: k };
      if (Object.keys(omit.faults ?? {}).length === 0) delete omit.faults;
      const first = base.moved.length === 0 ? '' : `, ${base.moved.join(', ')} at every chance first`;
      const change = `pin ${kind} to its firing #${k} at every chance${first}`;
      out.push({ change, scenario: next });
    }
  }
  return out;
}
