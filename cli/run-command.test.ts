/** What `--check-determinism` prints: nothing for identical runs, else the first differing entry. */
import { describe, expect, it } from 'vitest';
import { resolveVersion } from '../transport/defects.ts';
import { runScenario } from '../sim/run.ts';
import { TINY_CALM } from '../sim/testing/tiny-scenarios.ts';
import { determinismLines } from './run-command.ts';

const run = (seed: number) => runScenario({ scenario: TINY_CALM, seed, version: resolveVersion('fixed') });

describe('determinismLines (--check-determinism)', () => {
  it('says nothing for two runs of one seed and names the first differing entry otherwise', async () => {
    const first = await run(3);
    const again = await run(3);
    const other = await run(4);
    expect(determinismLines(first, again)).toEqual([]);
    const lines = determinismLines(first, other);
    expect(lines[0]).toBe(`  NOT deterministic: trace ${first.traceHash} then ${other.traceHash}`);
    expect(lines[1]).toMatch(/^ {2}first divergence at trace index \d+:$/);
    expect(lines[2]).toMatch(/^ {4}first +\[\d+,"/);
    expect(lines[3]).toMatch(/^ {4}second +\[\d+,"/);
  });
});
