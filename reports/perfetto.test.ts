import { describe, expect, it } from 'vitest';
import { toChromeTrace } from './perfetto.ts';
import { sampleRun } from './testing/sample-run.ts';

describe('toChromeTrace', () => {
  const result = sampleRun();
  const trace = JSON.parse(JSON.stringify(toChromeTrace(result))) as ReturnType<typeof toChromeTrace>;

  it('survives JSON and names one thread per actor', () => {
    const names = trace.traceEvents.filter((e) => e.ph === 'M' && e.name === 'thread_name').map((e) => e.args?.name);
    expect(names).toEqual(['sim', 'server', 'c1', 'net:c1', 'c2', 'net:c2', 'faults']);
    const tids = trace.traceEvents.filter((e) => e.name === 'thread_name').map((e) => e.tid);
    expect(new Set(tids).size).toBe(tids.length);
    expect(trace.traceEvents.every((e) => e.pid === 1)).toBe(true);
  });

  it('has one instant per trace entry, in microseconds of virtual time', () => {
    const instants = trace.traceEvents.filter((e) => e.ph === 'i' && e.cat !== 'violation');
    expect(instants).toHaveLength(result.trace.length);
    const lost = instants.find((e) => e.name === 'fault.request-lost');
    expect(lost).toMatchObject({ ts: 230_000, cat: 'fault' });
  });

  it('has sane timestamps: metadata first, then never decreasing, spans with non-negative durations', () => {
    const events = trace.traceEvents;
    const firstNonMeta = events.findIndex((e) => e.ph !== 'M');
    expect(events.slice(firstNonMeta).some((e) => e.ph === 'M')).toBe(false);
    const timed = events.slice(firstNonMeta);
    for (let i = 1; i < timed.length; i++) expect(timed[i]!.ts).toBeGreaterThanOrEqual(timed[i - 1]!.ts);
    for (const e of timed) {
      expect(Number.isFinite(e.ts) && e.ts >= 0).toBe(true);
      if (e.ph === 'X') expect(e.dur).toBeGreaterThanOrEqual(0);
    }
  });

  it('turns requests with a start and an end into spans, and phases too', () => {
    const spans = trace.traceEvents.filter((e) => e.ph === 'X');
    expect(spans.map((e) => e.name)).toEqual(expect.arrayContaining(['phase chaos', 'phase heal']));
    const post = spans.find((e) => e.args?.requestId === 'r4');
    expect(post).toMatchObject({ ts: 402_000, dur: 23_000 });
  });

  it('marks each violation as a global instant', () => {
    const v = trace.traceEvents.filter((e) => e.cat === 'violation');
    expect(v).toHaveLength(1);
    expect(v[0]).toMatchObject({ name: 'violation no-silent-loss', s: 'g', ts: 231_000 });
  });

  it('is deterministic', () => {
    expect(JSON.stringify(toChromeTrace(sampleRun()))).toBe(JSON.stringify(toChromeTrace(sampleRun())));
  });
});
