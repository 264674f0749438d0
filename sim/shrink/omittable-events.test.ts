import { describe, expect, it } from 'vitest';
import type { Scenario } from '../../scenarios/scenario.ts';
import { validateScenario } from '../../scenarios/validate-scenario.ts';
import { resolveVersion } from '../../transport/defects.ts';
import { runScenario } from '../run.ts';
import type { TraceEntry } from '../core/trace.ts';
import { TINY_FAULTY } from '../testing/tiny-scenarios.ts';
import {
  eventName,
  omittableEvents,
  withOmitted,
  withoutStaleOmissions,
  type OmittableEvent,
} from './omittable-events.ts';

const FIXED = resolveVersion('fixed');
const SEED = 7;
const SCENARIO: Scenario = {
  ...TINY_FAULTY,
  faults: { ...TINY_FAULTY.faults, request: { ...TINY_FAULTY.faults.request, 'http-429': [1, 10] } },
  agent: { ...TINY_FAULTY.agent, permissionChance: [1, 2] },
  workload: { ...TINY_FAULTY.workload, controlChance: [1, 4] },
};

async function traceOf(scenario: Scenario): Promise<readonly TraceEntry[]> {
  return (await runScenario({ scenario, seed: SEED, version: FIXED })).trace;
}

/** Where the run met `event`: the entry of the trace its ordinal names (events and their entries line up). */
function entryOf(scenario: Scenario, trace: readonly TraceEntry[], event: OmittableEvent): TraceEntry {
  const at = omittableEvents(scenario, trace).findIndex((e) => eventName(e) === eventName(event));
  expect(at).toBeGreaterThanOrEqual(0);
  return trace.filter((entry) => omittableEvents(scenario, [entry]).length > 0)[at]!;
}

describe('omitting single events of a run', () => {
  it('leaves the run as it was up to the omitted event, and that event out', async () => {
    const trace = await traceOf(SCENARIO);
    const events = omittableEvents(SCENARIO, trace);
    for (const kind of ['fault', 'action', 'answer'] as const) {
      const event = events.filter((e) => e.kind === kind)[1];
      expect(event, `the run has a second ${kind}`).toBeDefined();
      const entry = entryOf(SCENARIO, trace, event!);
      const omitted = withOmitted(SCENARIO, [event!]);
      expect(validateScenario(omitted)).toEqual(omitted);
      const after = await traceOf(omitted);
      const show = (e: TraceEntry) => JSON.stringify([e.t, e.actor, e.kind, e.details]);
      // A user action is recorded after the client has taken it, so compare what came before its moment.
      const before = (t: readonly TraceEntry[]) => t.filter((e) => e.t < entry.t).map(show);
      expect(before(after), `${kind}: the run before it`).toEqual(before(trace));
      const atMoment = (t: readonly TraceEntry[]) => t.filter((e) => e.t === entry.t).map(show);
      expect(atMoment(after), `${kind}: the event itself`).not.toContain(show(entry));
      const later = omittableEvents(omitted, after).filter((e) => e.kind === kind && e.owner === event!.owner);
      expect(later.map((e) => e.ordinal)).not.toContain(event!.ordinal);
    }
  });

  it('numbers events by the ordinals the world counts, the omitted ones included', async () => {
    const trace = await traceOf(SCENARIO);
    const first = omittableEvents(SCENARIO, trace).find((e) => e.kind === 'fault')!;
    const omitted = withOmitted(SCENARIO, [first]);
    const next = omittableEvents(omitted, await traceOf(omitted)).find(
      (e) => e.kind === 'fault' && e.owner === first.owner,
    );
    expect(next?.ordinal).toBe(first.ordinal + 1);
  });

  it('leaves out every firing of a kind after its first N, the run the same until the first left out', async () => {
    const trace = await traceOf(SCENARIO);
    const faults = omittableEvents(SCENARIO, trace).filter((e) => e.kind === 'fault');
    const kind = faults[0]!.owner as keyof NonNullable<NonNullable<Scenario['omit']>['faultsAfter']>;
    const ofKind = faults.filter((e) => e.owner === kind);
    expect(ofKind.length, `the run fires ${kind} more than once`).toBeGreaterThan(1);
    const capped = validateScenario({ ...SCENARIO, omit: { faultsAfter: { [kind]: 1 } } });
    const after = await traceOf(capped);
    const left = omittableEvents(capped, after).filter((e) => e.kind === 'fault' && e.owner === kind);
    expect(left.map((e) => e.ordinal)).toEqual([1]);
    const second = entryOf(SCENARIO, trace, ofKind[1]!);
    const show = (e: TraceEntry) => JSON.stringify([e.t, e.actor, e.kind, e.details]);
    const before = (t: readonly TraceEntry[]) => t.filter((e) => e.t < second.t).map(show);
    expect(before(after)).toEqual(before(trace));
  });

  it('leaves single prompts out of a burst, the others keeping their names', async () => {
    const bursty: Scenario = {
      ...SCENARIO,
      workload: { ...SCENARIO.workload, controlChance: [0, 4], burstChance: [1, 1], burstPrompts: 5 },
    };
    const prompts = (trace: readonly TraceEntry[]) =>
      trace.filter((e) => e.kind === 'user.prompt' && e.actor === 'c1').map((e) => String(e.details['prompt']));
    const trace = await traceOf(bursty);
    const events = omittableEvents(bursty, trace).filter((e) => e.kind === 'prompt' && e.owner === 'c1');
    expect(events.slice(0, 5).map(eventName)).toEqual([1, 2, 3, 4, 5].map((n) => `c1 prompt #${n}`));
    const omitted = withOmitted(bursty, [events[2]!]);
    expect(omitted.omit).toEqual({ prompts: { c1: [3] } });
    const after = await traceOf(validateScenario(omitted));
    expect(prompts(after).slice(0, 4)).toEqual(['c1-p1', 'c1-p2', 'c1-p4', 'c1-p5']);
    expect(prompts(trace).slice(0, 5)).toEqual(['c1-p1', 'c1-p2', 'c1-p3', 'c1-p4', 'c1-p5']);
    const left = omittableEvents(omitted, after).filter((e) => e.kind === 'prompt' && e.owner === 'c1');
    expect(left.map((e) => e.ordinal)).not.toContain(3);
  });

  it('writes each list once, in increasing order, merged with what the scenario omits', () => {
    const a: OmittableEvent = { kind: 'action', owner: 'c2', ordinal: 5 };
    const b: OmittableEvent = { kind: 'action', owner: 'c2', ordinal: 2 };
    const once = withOmitted(SCENARIO, [a]);
    expect(withOmitted(once, [b, a]).omit).toEqual({ actions: { c2: [2, 5] } });
    expect(() => validateScenario({ ...SCENARIO, omit: { actions: { c2: [5, 2] } } })).toThrow(/increasing order/);
    expect(() => validateScenario({ ...SCENARIO, omit: { faults: { nope: [1] } } as never })).toThrow(/nope/);
  });

  it('drops omissions of fault kinds no longer on and of clients no longer there', () => {
    const omit = {
      faults: { 'http-503': [1], 'page-reload': [2] },
      actions: { c1: [1], c3: [2] },
      answers: { c4: [1] },
      prompts: { c5: [3] },
    };
    const tidy = withoutStaleOmissions({ ...SCENARIO, omit });
    expect(tidy.omit).toEqual({ faults: { 'http-503': [1] }, actions: { c1: [1] } });
    expect(withoutStaleOmissions({ ...SCENARIO, omit: { answers: { c9: [1] } } })).not.toHaveProperty('omit');
  });
});
