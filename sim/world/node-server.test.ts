import { existsSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { resolveVersion } from '../../transport/index.ts';
import { runScenario } from '../run.ts';
import { runJson, runText } from '../../cli/run-output.ts';
import { renderTextTimeline } from '../../reports/text-timeline.ts';
import { tinyWithFaults } from '../testing/tiny-scenarios.ts';
import { tinyNodeServerFactory as tinyNodeServer, tinyServerLife } from '../testing/tiny-node-server.ts';

const version = resolveVersion('fixed');

/** Both capability-bound kinds switched on, often; a server crash now and then. */
const SCENARIO = tinyWithFaults(
  'capability-faults',
  { request: { 'interrupt-reject': [1, 1] }, timed: { 'forget-connection': 30, 'server-crash': 6 } },
  { workload: { controlChance: [1, 2] } },
);

describe('a node server without the optional capabilities', () => {
  it('never draws the faults it cannot take, and the run says which and why', async () => {
    const life = tinyServerLife();
    const result = await runScenario({ scenario: SCENARIO, seed: 3, version, factory: tinyNodeServer(life) });
    expect(result.faultsNotApplicable).toEqual({
      'interrupt-reject': ['interrupts'],
      'forget-connection': ['forgetConnection', 'connectionIds'],
    });
    expect(result.faultCounts['forget-connection']).toBe(0);
    expect(result.faultCounts['interrupt-reject']).toBe(0);
    expect(result.trace.filter((entry) => entry.kind.startsWith('fault.')).length).toBeGreaterThan(0);
    expect(result.trace.some((entry) => entry.kind === 'fault.forget-connection')).toBe(false);
    expect(life.interruptDecisions.length).toBeGreaterThan(0);
    expect(life.interruptDecisions.every((fails) => !fails)).toBe(true);
    expect(runText(result)).toContain(
      '  not applicable (the server lacks what they need): ' +
        'interrupt-reject (needs interrupts), forget-connection (needs forgetConnection, connectionIds)',
    );
    expect(runJson(result).faultsNotApplicable).toEqual(result.faultsNotApplicable);
    expect(renderTextTimeline(result)).toContain(
      'forget-connection=not-applicable(needs forgetConnection,connectionIds)',
    );
  });

  it('is no accident of the scenario: the bundled server takes both kinds in the same run', async () => {
    const result = await runScenario({ scenario: SCENARIO, seed: 3, version });
    expect(result.faultsNotApplicable).toBeUndefined();
    expect(result.faultCounts['forget-connection']).toBeGreaterThan(0);
  });

  it('does not check liveness without the end state it reads, and says what is missing', async () => {
    const life = tinyServerLife();
    const result = await runScenario({ scenario: SCENARIO, seed: 3, version, factory: tinyNodeServer(life) });
    expect(result.properties.liveness).toEqual({
      status: 'not-checked',
      needs: ['pending-count', 'server-connections', 'open-permission-requests'],
    });
  });

  it('starts again over the same file after each crash, releasing the dead app, and removes the file after', async () => {
    const life = tinyServerLife();
    const result = await runScenario({ scenario: SCENARIO, seed: 3, version, factory: tinyNodeServer(life) });
    const crashes = result.faultCounts['server-crash'];
    expect(crashes).toBeGreaterThan(0);
    expect(life.dbPaths).toHaveLength(crashes + 1);
    expect(new Set(life.dbPaths).size).toBe(1);
    expect(life.dbPaths[0]).toMatch(/store\.sqlite$/);
    // Each crash released its app; the last one was released when the world was torn down.
    expect(life.releases).toBe(crashes + 1);
    expect(existsSync(life.dbPaths[0]!)).toBe(false);
  });

  it('hands a named file on as it is, every start', async () => {
    const life = tinyServerLife();
    await runScenario({ scenario: SCENARIO, seed: 3, version, factory: tinyNodeServer(life), storePath: ':memory:' });
    expect(new Set(life.dbPaths)).toEqual(new Set([':memory:']));
  });
});
