/**
 * The smaller neighbours of a scenario: without a set of fault kinds, one kind, or bursts; and
 * every numeric field at its minimum, then every field moved halfway, a quarter of the way...
 * toward its minimum, and only then every field one step down. Putting all halvings before any
 * single step means a count of 40 is not walked down one by one when a halving would do.
 * CandidateOrder says whether the fields or the fault drops come first. Each neighbour makes one
 * named change, so a shrink that keeps it can say what mattered. Neighbours that are not valid
 * scenarios are dropped here, so the shrinker never runs one.
 */
import type { Ratio, Scenario } from '../../scenarios/index.ts';
import { validateScenario } from '../../scenarios/index.ts';
import type { FaultKind, RequestFaultKind, TimedFaultKind } from '../../scenarios/index.ts';
import { MAX_BURST_PROMPTS } from '../../scenarios/index.ts';
import { omissionCandidates } from './omission-candidates.ts';
import { pinCandidates } from './pin-candidates.ts';
import { fireAtEveryChance } from './every-chance.ts';
import { withoutStaleOmissions, type OmittableEvent } from './omittable-events.ts';

type FaultCounts = Partial<Record<FaultKind, number>>;

/** Below this a timed fault barely fires in a short run; dropping the kind is the better cut. */
const MIN_HALVED_TIMED_RATE_PER_MINUTE = 0.25;
/** The smallest change to a phase: a virtual millisecond is far below what changes a run. */
const PHASE_STEP_MS = 1000;

/**
 * A heal phase shorter than recovery takes (a heartbeat, a round of retries) fails liveness by
 * itself, so shrinking it further would trade the real counterexample for a trivial one.
 */
export const MIN_SHRUNK_HEAL_MS = 75_000;

export interface ShrinkCandidate {
  /** What changed, e.g. `drop fault http-503`, `clients 3 -> 1`. */
  change: string;
  scenario: Scenario;
}

/** A field's smaller values by tier: its minimum, the halvings toward it, one step down. */
interface Tiers {
  toMin: number[];
  halvings: number[];
  steps: number[];
}

interface NumericField {
  name: string;
  value: number;
  tiers: Tiers;
  apply: (next: Scenario, value: number) => void;
  show?: (value: number) => string;
}

/**
 * Integer tiers: `min`, then `value - gap/2`, `value - gap/4`... while that cut is more than one
 * step, then `value - step`. No value appears in two tiers.
 */
export function integerTiers(value: number, min: number, step = 1): Tiers {
  if (value <= min) return { toMin: [], halvings: [], steps: [] };
  const halvings: number[] = [];
  for (let cut = Math.floor((value - min) / 2); cut > step; cut = Math.floor(cut / 2)) halvings.push(value - cut);
  return { toMin: [min], halvings, steps: value - step > min ? [value - step] : [] };
}

function clone(s: Scenario): Scenario {
  return structuredClone(s);
}

function enabledKinds(s: Scenario): FaultKind[] {
  return [...Object.keys(s.faults.request), ...Object.keys(s.faults.timed)] as FaultKind[];
}

function withoutKinds(s: Scenario, kinds: readonly FaultKind[]): Scenario {
  const next = clone(s);
  for (const kind of kinds) {
    delete next.faults.request[kind as RequestFaultKind];
    delete next.faults.timed[kind as TimedFaultKind];
  }
  return next;
}

/**
 * Fault kinds dropped as sets (all of them, those that never fired in the current run, then
 * halves, quarters... of the list, as delta debugging does) and one at a time, in either order.
 * Dropping one kind shifts the draws of the others, so a run sometimes gets smaller only when
 * several go at once, and sometimes only when they go one by one.
 */
function faultDrops(s: Scenario, fired: FaultCounts | undefined, singlesFirst: boolean): ShrinkCandidate[] {
  const kinds = enabledKinds(s);
  const sets: FaultKind[][] = kinds.length > 1 ? [kinds] : [];
  const unfired = fired ? kinds.filter((kind) => (fired[kind] ?? 0) === 0) : [];
  if (unfired.length > 1 && unfired.length < kinds.length) sets.push(unfired);
  for (let size = Math.ceil(kinds.length / 2); size > 1 && size < kinds.length; size = Math.ceil(size / 2)) {
    for (let i = 0; i < kinds.length; i += size) sets.push(kinds.slice(i, i + size));
  }
  const seen = new Set<string>();
  const out: ShrinkCandidate[] = [];
  const singles = kinds.map((kind) => [kind]);
  for (const set of singlesFirst ? [...singles, ...sets] : [...sets, ...singles]) {
    const change = set.length === 1 ? `drop fault ${set[0]}` : `drop faults ${set.join(', ')}`;
    if (seen.has(change)) continue;
    seen.add(change);
    out.push({ change, scenario: withoutKinds(s, set) });
  }
  return out;
}

/**
 * Fewer burst actions, each bigger, the same prompts in all: a volume a defect needs (one prompt
 * over a queue's cap) can then be cut down in one burst by the burstPrompts field, where spread
 * over several bursts no single cut keeps it.
 */
function burstMerges(s: Scenario): ShrinkCandidate[] {
  const { promptsPerClient, burstPrompts } = s.workload;
  if (burstPrompts === undefined || promptsPerClient <= 1) return [];
  const out: ShrinkCandidate[] = [];
  for (const actions of new Set([1, Math.ceil(promptsPerClient / 2)])) {
    if (actions >= promptsPerClient) continue;
    const next = clone(s);
    next.workload.promptsPerClient = actions;
    next.workload.burstPrompts = Math.min(MAX_BURST_PROMPTS, Math.ceil((promptsPerClient * burstPrompts) / actions));
    const [from, to] = [`${promptsPerClient} -> ${actions}`, `${burstPrompts} -> ${next.workload.burstPrompts}`];
    const change = `merge bursts: promptsPerClient ${from}, burstPrompts ${to}`;
    out.push({ change, scenario: next });
  }
  return out;
}

/**
 * One fault kind firing at every chance, only its first k firings taking effect (k as many as it
 * fired in the current run): as many faults, moved to the start of the chaos phase. Not smaller
 * itself, such a neighbour is a stepping stone: a failure that needed a rare firing to land at the
 * right moment (a 400 on the 68th prompt of a burst) may then hold while what came before it, the
 * burst included, is cut down.
 */
function frontLoads(s: Scenario, fired: FaultCounts | undefined): ShrinkCandidate[] {
  const out: ShrinkCandidate[] = [];
  for (const kind of enabledKinds(s)) {
    const firings = fired?.[kind] ?? 0;
    if (firings === 0 || s.omit?.faultsAfter?.[kind] === firings) continue;
    const next = clone(s);
    fireAtEveryChance(next, kind);
    const omit = (next.omit ??= {});
    if (omit.faults) delete omit.faults[kind];
    omit.faultsAfter = { ...omit.faultsAfter, [kind]: firings };
    out.push({ change: `fire ${kind} at every chance, only its first ${firings}`, scenario: next });
  }
  return out;
}

function burstDrop(s: Scenario): ShrinkCandidate[] {
  if (s.workload.burstPrompts === undefined && s.workload.burstChance === undefined) return [];
  const next = clone(s);
  delete next.workload.burstChance;
  delete next.workload.burstPrompts;
  return [{ change: 'drop bursts', scenario: next }];
}

/** A ratio's numerator as a field: a chance shrinks toward `min`/denominator, the denominator kept. */
function numerator(name: string, ratio: Ratio, min: number, set: (next: Scenario, r: Ratio) => void): NumericField {
  return {
    name,
    value: ratio[0],
    tiers: integerTiers(ratio[0], min),
    apply: (next, v) => set(next, [v, ratio[1]]),
    show: (v) => `${v}/${ratio[1]}`,
  };
}

function faultRateFields(s: Scenario): NumericField[] {
  const out: NumericField[] = [];
  for (const [kind, ratio] of Object.entries(s.faults.request) as [RequestFaultKind, Ratio][]) {
    // Zero is dropping the fault, which faultDrops() offers.
    out.push(numerator(`${kind} rate`, ratio, 1, (next, r) => (next.faults.request[kind] = r)));
  }
  for (const [kind, perMinute] of Object.entries(s.faults.timed) as [TimedFaultKind, number][]) {
    const min = MIN_HALVED_TIMED_RATE_PER_MINUTE;
    const smaller = (v: number) => v > min && v < perMinute;
    out.push({
      name: `${kind} rate`,
      value: perMinute,
      // A rate is a real number: halving is its only step.
      tiers: { toMin: [min].filter(smaller), halvings: [perMinute / 2].filter(smaller), steps: [] },
      apply: (next, v) => (next.faults.timed[kind] = v),
      show: (v) => `${v}/min`,
    });
  }
  return out;
}

function workloadFields(s: Scenario): NumericField[] {
  const { workload, agent } = s;
  const out: NumericField[] = [
    { name: 'clients', value: s.clients, tiers: integerTiers(s.clients, 1), apply: (n, v) => (n.clients = v) },
    { name: 'sessions', value: s.sessions, tiers: integerTiers(s.sessions, 1), apply: (n, v) => (n.sessions = v) },
    {
      name: 'promptsPerClient',
      value: workload.promptsPerClient,
      tiers: integerTiers(workload.promptsPerClient, 0),
      apply: (n, v) => (n.workload.promptsPerClient = v),
    },
    numerator('controlChance', workload.controlChance, 0, (n, r) => (n.workload.controlChance = r)),
    numerator('permissionChance', agent.permissionChance, 0, (n, r) => (n.agent.permissionChance = r)),
    {
      name: 'agent stepsMax',
      value: agent.stepsMax,
      tiers: integerTiers(agent.stepsMax, 0),
      apply: (n, v) => {
        n.agent.stepsMax = v;
        n.agent.stepsMin = Math.min(n.agent.stepsMin, v);
      },
    },
  ];
  const { burstPrompts } = workload;
  if (burstPrompts !== undefined) {
    const apply = (n: Scenario, v: number) => (n.workload.burstPrompts = v);
    out.push({ name: 'burstPrompts', value: burstPrompts, tiers: integerTiers(burstPrompts, 1), apply });
  }
  return out;
}

function phaseFields(s: Scenario): NumericField[] {
  const { chaosMs, healMs } = s.phases;
  return [
    {
      name: 'chaosMs',
      value: chaosMs,
      tiers: integerTiers(chaosMs, 0, PHASE_STEP_MS),
      apply: (n, v) => (n.phases.chaosMs = v),
    },
    {
      name: 'healMs',
      value: healMs,
      tiers: integerTiers(healMs, Math.min(healMs, MIN_SHRUNK_HEAL_MS), PHASE_STEP_MS),
      apply: (n, v) => (n.phases.healMs = v),
    },
  ];
}

function candidatesOf(s: Scenario, field: NumericField, values: number[]): ShrinkCandidate[] {
  const show = field.show ?? String;
  return values.map((v) => {
    const next = clone(s);
    field.apply(next, v);
    return { change: `${field.name} ${show(field.value)} -> ${show(v)}`, scenario: next };
  });
}

function isValid(s: Scenario): boolean {
  try {
    validateScenario(s);
    return true;
  } catch {
    return false;
  }
}

/**
 * Which neighbours come first: the numeric fields (then fault kinds in sets, then one by one),
 * or the fault kinds one by one (then in sets, then the fields). The shrinker walks both ways.
 */
export type CandidateOrder = 'fields-first' | 'drops-first';

/**
 * `fired`, the fault counts of the scenario's current run, lets the kinds that never fired go
 * together and says which kinds to move to the start or pin; `events`, the run's omittable
 * events, gives the neighbours that leave single events out (omission-candidates.ts). Cutting the
 * run after its first few faults or actions comes right after the fields' minimums: it keeps the
 * run as it was up to the cut, so it often holds where a halving reshuffles everything. Omitting
 * chunks, down to single events, comes last but for the pins (pin-candidates.ts), which rarely
 * hold and cost a run each.
 */
export function shrinkCandidates(
  s: Scenario,
  fired?: FaultCounts,
  order: CandidateOrder = 'fields-first',
  events: readonly OmittableEvent[] = [],
) {
  const fields = [...faultRateFields(s), ...workloadFields(s), ...phaseFields(s)];
  const tier = (pick: keyof Tiers) => fields.flatMap((field) => candidatesOf(s, field, field.tiers[pick]));
  const omissions = omissionCandidates(s, events);
  const numeric = [
    ...tier('toMin'),
    ...omissions.prefixes,
    ...tier('halvings'),
    ...burstMerges(s),
    ...frontLoads(s, fired),
    ...tier('steps'),
  ];
  const drops = [...faultDrops(s, fired, order === 'drops-first'), ...burstDrop(s)];
  const all = order === 'fields-first' ? [...numeric, ...drops] : [...drops, ...numeric];
  return [...all, ...omissions.chunks, ...pinCandidates(s, fired)]
    .map((c) => ({ ...c, scenario: withoutStaleOmissions(c.scenario) }))
    .filter((c) => isValid(c.scenario));
}
