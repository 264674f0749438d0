import { describe, expect, it } from 'vitest';
import { PROBE_NAMES, resolveVersion } from '../../transport/index.ts';
import { resolveScenario, type Scenario } from '../../scenarios/index.ts';
import { runScenario } from '../index.ts';
import { realTransportFactory } from './transport-factory.ts';
import { ProbeCounts } from './probe-counts.ts';

describe('ProbeCounts', () => {
  it('counts hits per name, sorted, leaving out probes never hit', () => {
    const counts = new ProbeCounts();
    for (const name of ['b', 'a', 'b']) counts.hit(name);
    expect(counts.counts()).toEqual({ a: 1, b: 2 });
    expect(Object.keys(counts.counts())).toEqual(['a', 'b']);
  });
});

describe('the bundled transport’s probes', () => {
  const chaotic = resolveScenario('default');
  const run = (scenario: Scenario) => runScenario({ scenario, seed: 3, version: resolveVersion('fixed') });

  it('are declared, counted per run from its log events, and never written to the trace', async () => {
    expect(realTransportFactory.probes).toEqual(PROBE_NAMES);
    const result = await run(chaotic);
    const hit = Object.keys(result.probes);
    expect(hit.length).toBeGreaterThan(0);
    for (const name of hit) expect(PROBE_NAMES).toContain(name);
    // A probe log event passed on to the trace would be a line of kind `probe` naming it. (A probe's
    // name may also be the name of another log event, such as client.apply.failed, which is traced.)
    const probeLines = result.trace.filter(
      (entry) => entry.kind === 'probe' || hit.includes(String((entry.details as { name?: unknown }).name)),
    );
    expect(probeLines).toEqual([]);
  });

  it('count the same for the same run, and differ when the run reaches other decision points', async () => {
    const first = await run(chaotic);
    expect((await run(chaotic)).probes).toEqual(first.probes);
    const calm: Scenario = { ...chaotic, faults: { request: {}, timed: {} } };
    expect((await run(calm)).probes).not.toEqual(first.probes);
  });
});
