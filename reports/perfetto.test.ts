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

  it('draws each delivered message as a flow from the sender thread to the receiver thread', () => {
    const tid = (name: string) => trace.traceEvents.find((e) => e.name === 'thread_name' && e.args?.name === name)!.tid;
    const starts = trace.traceEvents.filter((e) => e.ph === 's');
    const ends = trace.traceEvents.filter((e) => e.ph === 'f');
    expect(starts.length).toBeGreaterThan(5);
    expect(ends.map((e) => e.id).sort()).toEqual(starts.map((e) => e.id).sort());
    // The frame the server wrote at 430 ms reaches c1's network at 445 ms.
    const frame = starts.find((e) => e.cat === 'message.frame' && e.ts === 430_000 && e.name === 'agent_step seq 1')!;
    const end = ends.find((e) => e.id === frame.id)!;
    expect([frame.tid, end.tid, end.ts, end.bp]).toEqual([tid('server'), tid('net:c1'), 445_000, 'e']);
    // Each end sits in a slice on its thread, which is what a flow binds to.
    for (const e of [...starts, ...ends])
      expect(
        trace.traceEvents.some((s) => s.ph === 'X' && s.tid === e.tid && s.ts <= e.ts && e.ts <= s.ts + s.dur!),
      ).toBe(true);
    // The POST a fault lost never arrives: no flow starts from it.
    expect(starts.some((e) => e.cat === 'message.post' && e.ts === 202_000)).toBe(false);
  });

  it('has counter tracks for queue length and cursor lag', () => {
    const counters = trace.traceEvents.filter((e) => e.ph === 'C');
    const c1Queue = counters.filter((e) => e.name === 'queue length c1').map((e) => [e.ts, e.args?.messages]);
    expect(c1Queue).toEqual([
      [0, 0],
      [201_000, 1],
      [231_000, 0],
    ]);
    const lag = counters.filter((e) => e.name === 'cursor lag c2 s1');
    expect(lag.length).toBeGreaterThan(0);
    expect(lag.some((e) => (e.args?.events as number) > 0)).toBe(true);
  });

  it('is deterministic', () => {
    expect(JSON.stringify(toChromeTrace(sampleRun()))).toBe(JSON.stringify(toChromeTrace(sampleRun())));
  });
});
