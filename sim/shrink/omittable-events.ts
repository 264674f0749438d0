/**
 * The single events of a run that a scenario's `omit` section can leave out: each fault firing,
 * each scheduled user action (a prompt, a burst, a control message), each prompt of a burst and
 * each permission answer, in the order the run met them, each named by the ordinal the world
 * counts it by. The world counts omitted ones too (sim/faults/faults.ts, sim/world/user-actor.ts),
 * so the n-th event of a kind seen in the trace has the n-th ordinal the scenario does not
 * already omit. A burst's prompt is named by the number its trace entry carries instead: the
 * prompts of a burst left out as a whole are numbered too, and never seen.
 */
import type { FaultKind, Scenario } from '../../scenarios/index.ts';
import type { TraceEntry } from '../core/index.ts';

export type OmittableKind = 'fault' | 'action' | 'answer' | 'prompt';

export interface OmittableEvent {
  kind: OmittableKind;
  /** The fault kind of a firing, the client of an action or answer. */
  owner: string;
  /** 1-based, counting the events the scenario already omits. */
  ordinal: number;
}

/** The `omit` field of each kind of event a client makes. */
const CLIENT_OMISSIONS = { action: 'actions', answer: 'answers', prompt: 'prompts' } as const;

function kindOf(entry: TraceEntry): { kind: OmittableKind; owner: string } | undefined {
  if (entry.kind.startsWith('fault.')) return { kind: 'fault', owner: entry.kind.slice('fault.'.length) };
  if (entry.kind === 'user.permission') return { kind: 'answer', owner: entry.actor };
  if (entry.kind === 'user.prompt' && typeof entry.details['promptNo'] === 'number')
    return { kind: 'prompt', owner: entry.actor };
  const isAction =
    entry.kind === 'user.burst' ||
    entry.kind === 'user.control' ||
    (entry.kind === 'user.prompt' && entry.details['inBurst'] !== true);
  return isAction ? { kind: 'action', owner: entry.actor } : undefined;
}

function omittedOf(scenario: Scenario, kind: OmittableKind, owner: string): readonly number[] {
  const { omit } = scenario;
  if (kind === 'fault') return omit?.faults?.[owner as FaultKind] ?? [];
  return omit?.[CLIENT_OMISSIONS[kind]]?.[owner] ?? [];
}

/** The events of a run of `scenario` that could be omitted, in trace order. */
export function omittableEvents(scenario: Scenario, trace: Iterable<TraceEntry>): OmittableEvent[] {
  const next = new Map<string, { ordinal: number; omitted: ReadonlySet<number> }>();
  const events: OmittableEvent[] = [];
  for (const entry of trace) {
    const found = kindOf(entry);
    if (found === undefined) continue;
    if (found.kind === 'prompt') {
      events.push({ ...found, ordinal: entry.details['promptNo'] as number });
      continue;
    }
    const key = `${found.kind} ${found.owner}`;
    let counter = next.get(key);
    if (counter === undefined) {
      counter = { ordinal: 0, omitted: new Set(omittedOf(scenario, found.kind, found.owner)) };
      next.set(key, counter);
    }
    do counter.ordinal += 1;
    while (counter.omitted.has(counter.ordinal));
    events.push({ ...found, ordinal: counter.ordinal });
  }
  return events;
}

/** `fault http-503 #2`, `c1 action #3`, `c2 answer #1`. */
export function eventName(event: OmittableEvent): string {
  return event.kind === 'fault'
    ? `fault ${event.owner} #${event.ordinal}`
    : `${event.owner} ${event.kind} #${event.ordinal}`;
}

function merged(list: readonly number[] | undefined, more: readonly number[]): number[] {
  return [...new Set([...(list ?? []), ...more])].sort((a, b) => a - b);
}

/** `scenario` with `events` left out as well as what it already omits. */
export function withOmitted(scenario: Scenario, events: readonly OmittableEvent[]): Scenario {
  const next = structuredClone(scenario);
  const omit = (next.omit ??= {});
  for (const kind of ['fault', 'action', 'answer', 'prompt'] as const) {
    const owners = new Map<string, number[]>();
    for (const event of events) {
      if (event.kind === kind) owners.set(event.owner, [...(owners.get(event.owner) ?? []), event.ordinal]);
    }
    if (owners.size === 0) continue;
    if (kind === 'fault') {
      const faults = (omit.faults ??= {});
      for (const [owner, ordinals] of owners) faults[owner as FaultKind] = merged(faults[owner as FaultKind], ordinals);
    } else {
      const map = (omit[CLIENT_OMISSIONS[kind]] ??= {});
      for (const [owner, ordinals] of owners) map[owner] = merged(map[owner], ordinals);
    }
  }
  return next;
}

/**
 * `scenario` without the omissions that can no longer name anything: those of fault kinds it no
 * longer enables and of clients it no longer has. A shrunk repro then says only what matters.
 */
export function withoutStaleOmissions(scenario: Scenario): Scenario {
  const { omit } = scenario;
  if (omit === undefined) return scenario;
  const enabled = new Set([...Object.keys(scenario.faults.request), ...Object.keys(scenario.faults.timed)]);
  const isClient = (id: string) => Number(id.slice(1)) <= scenario.clients;
  const keep = <T>(map: Record<string, T> | undefined, wanted: (key: string) => boolean) => {
    const entries = Object.entries(map ?? {}).filter(([key]) => wanted(key));
    return entries.length === 0 ? undefined : Object.fromEntries(entries);
  };
  const faults = keep(omit.faults, (kind) => enabled.has(kind));
  const faultsAfter = keep(omit.faultsAfter, (kind) => enabled.has(kind));
  const actions = keep(omit.actions, isClient);
  const answers = keep(omit.answers, isClient);
  const prompts = keep(omit.prompts, isClient);
  const next: Scenario = { ...scenario };
  delete next.omit;
  const tidy = {
    ...(faults ? { faults } : {}),
    ...(faultsAfter ? { faultsAfter } : {}),
    ...(actions ? { actions } : {}),
    ...(answers ? { answers } : {}),
    ...(prompts ? { prompts } : {}),
  };
  return Object.keys(tidy).length === 0 ? next : { ...next, omit: tidy };
}
