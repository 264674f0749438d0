/**
 * A run of the bundled transport goes first without actors following promises and, at an error
 * nobody caught, is run again with them (run.ts): its result must be the one a run that followed
 * them from the start gives. A copy of the bundled factory is not the bundled one, so it takes
 * the second way only.
 */
import { describe, expect, it } from 'vitest';
import { resolveVersion } from '../transport/index.ts';
import { campaignScenario } from './campaign/index.ts';
import { runScenario } from './run.ts';
import { runVersionOf } from './run-version.ts';
import { realTransportFactory } from './world/index.ts';

/** A generated run on the base version whose server crashes on an error its agent raised. */
function crashingRun() {
  const version = resolveVersion('base', []);
  const scenario = campaignScenario({ version: runVersionOf(version), baseSeed: 1 }, 7);
  return { scenario, seed: 8, version };
}

describe('runScenario: actors across promises', () => {
  it('gives a run with an uncaught error the result of one that followed actors throughout', async () => {
    const run = crashingRun();
    const rerun = await runScenario(run);
    const followed = await runScenario({ ...run, factory: { ...realTransportFactory } });
    const crashes = rerun.trace.filter((entry) => entry.kind === 'server.down');
    expect(crashes.map((entry) => entry.details.reason)).toEqual(['uncaught: agent of session s1 failed to interrupt']);
    expect(rerun.traceHash).toBe(followed.traceHash);
    expect(rerun.verdict).toBe(followed.verdict);
    expect(rerun.trace).toEqual(followed.trace);
  });
});
