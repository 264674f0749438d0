/**
 * The properties, checked over generated runs: the fixed transport passes every one of them in
 * hundreds of swarm-generated runs in which every fault kind fires, and the base transport fails
 * within the same budget, with a counterexample fast-check shrank to something a person can read
 * and replay from the command line. Fixed fast-check seeds: the runs are the same every time.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveVersion } from '../transport/defects.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { FAULT_KINDS, type FaultKind } from '../scenarios/fault-kinds.ts';
import { runScenario } from './run.ts';
import { propertyRunArb, type PropertyRun } from './testing/property-runs.ts';

const FC_SEED = 20_240_601;
const RUNS = 500;
/** Measured at about 20 s for the fixed campaign on one core; the margin is for a loaded CI machine. */
const CAMPAIGN_TIMEOUT_MS = 120_000;

function enabledKinds(scenario: Scenario): string[] {
  return [...Object.keys(scenario.faults.request), ...Object.keys(scenario.faults.timed)];
}

/** Writes the scenario where a person can run it and returns the command that replays the run. */
function replayCommand(run: PropertyRun, version: string): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ssesim-property-')), 'counterexample.json');
  writeFileSync(path, `${JSON.stringify(run.scenario, null, 2)}\n`);
  return `npx tsx cli.ts run ${path} --seed ${run.seed} --version ${version}`;
}

describe('generated runs', () => {
  it(
    `fixed passes every property over ${RUNS} runs, and every fault kind fires in them`,
    async () => {
      const fixed = resolveVersion('fixed');
      const fired = Object.fromEntries(FAULT_KINDS.map((kind) => [kind, 0])) as Record<FaultKind, number>;
      let runs = 0;
      await fc.assert(
        fc.asyncProperty(propertyRunArb(), async (run) => {
          const result = await runScenario({ ...run, version: fixed });
          runs += 1;
          for (const kind of FAULT_KINDS) fired[kind] += result.faultCounts[kind];
          const why = result.violations.map((v) => `${v.property}: ${v.message}`).join('\n');
          expect(result.verdict, `${why}\nreplay: ${replayCommand(run, 'fixed')}`).toBe('passed');
        }),
        { numRuns: RUNS, seed: FC_SEED },
      );
      expect(runs).toBe(RUNS);
      // A property that never met its fault proves nothing about it.
      const neverFired = FAULT_KINDS.filter((kind) => fired[kind] === 0);
      expect(neverFired).toEqual([]);
    },
    CAMPAIGN_TIMEOUT_MS,
  );

  it(
    `base fails within ${RUNS} runs, shrunk to a smaller scenario that replays from the CLI`,
    async () => {
      const base = resolveVersion('base');
      let original: PropertyRun | undefined;
      const details = await fc.check(
        fc.asyncProperty(propertyRunArb(), async (run) => {
          const passed = (await runScenario({ ...run, version: base })).verdict === 'passed';
          original ??= passed ? undefined : run;
          return passed;
        }),
        { numRuns: RUNS, seed: FC_SEED },
      );
      expect(details.failed).toBe(true);
      const [shrunk] = details.counterexample!;
      const rerun = await runScenario({ ...shrunk, version: base });
      expect(rerun.verdict).not.toBe('passed');

      const before = original!.scenario;
      const after = shrunk.scenario;
      const smaller =
        enabledKinds(after).length < enabledKinds(before).length ||
        after.clients < before.clients ||
        after.phases.chaosMs + after.phases.healMs < before.phases.chaosMs + before.phases.healMs;
      expect(smaller).toBe(true);
      expect(enabledKinds(after).length).toBeLessThanOrEqual(enabledKinds(before).length);
      expect(after.clients).toBeLessThanOrEqual(before.clients);

      console.log(
        [
          `base fails after ${details.numRuns} generated run(s); shrunk in ${details.numShrinks} step(s):`,
          `  violations: ${rerun.violations.map((v) => `${v.property}: ${v.message}`).join(' | ')}`,
          `  faults ${enabledKinds(before).length} -> ${enabledKinds(after).length}, clients ${before.clients} -> ${after.clients}, ` +
            `chaos ${before.phases.chaosMs} -> ${after.phases.chaosMs} ms, heal ${before.phases.healMs} -> ${after.phases.healMs} ms`,
          `  seed ${shrunk.seed}, scenario ${JSON.stringify(after)}`,
          `  replay: ${replayCommand(shrunk, 'base')}`,
        ].join('\n'),
      );
    },
    CAMPAIGN_TIMEOUT_MS,
  );
});
