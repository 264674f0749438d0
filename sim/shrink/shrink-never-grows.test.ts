/**
 * The shrinker's contract as a property over generated failing runs of a version with defects:
 * no shrink returns a counterexample larger than its input by the size order
 * (counterexample-size.ts), each change it keeps makes the counterexample strictly smaller than
 * the one before, and the shrunk run still fails with the signature it started from. A fixed fast-check seed and small
 * shrink budgets keep it to a few seconds.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveVersion } from '../../transport/defects.ts';
import { scenarioArb, seedArb } from '../../scenarios/generators.ts';
import { runScenario } from '../run.ts';
import { runVersionOf } from '../run-version.ts';
import { runSignatures } from '../failure-signature.ts';
import type { RunResult } from '../run-result.ts';
import { shrinkRun } from './shrink.ts';
import { compareCounterexampleSize, counterexampleSize, formatCounterexampleSize } from './counterexample-size.ts';

const FC_SEED = 20_250_301;
const FAILING_RUNS = 4;
const SHRINK_RUNS = 8;
const TIMEOUT_MS = 60_000;
/** Short runs: the property is about the shrinker, not about finding rare failures. */
const SMALL = { clientsMax: 3, sessionsMax: 2, promptsPerClientMax: 6, chaosMsMax: 40_000, healMsMax: 90_000 };

describe('shrinkRun over generated failing runs', () => {
  it(
    'never returns a larger counterexample than it was given',
    async () => {
      const version = resolveVersion('pr396');
      let shrinks = 0;
      await fc.assert(
        fc.asyncProperty(scenarioArb(SMALL), seedArb, async (scenario, seed) => {
          const initial = await runScenario({ scenario, seed, version });
          fc.pre(runSignatures(initial).length > 0);
          const kept = [counterexampleSize(initial)];
          const onAccept = (_change: string, result: RunResult) => kept.push(counterexampleSize(result));
          const shrunk = await shrinkRun({
            ...{ scenario, seed, version: runVersionOf(version), initial },
            ...{ maxRuns: SHRINK_RUNS, onAccept },
          });
          shrinks += 1;
          const sizes = kept.map(formatCounterexampleSize).join(' -> ');
          for (let i = 1; i < kept.length; i++)
            expect(compareCounterexampleSize(kept[i]!, kept[i - 1]!), sizes).toBeLessThan(0);
          const [before, after] = [counterexampleSize(initial), counterexampleSize(shrunk.result)];
          expect(compareCounterexampleSize(after, before), sizes).toBeLessThanOrEqual(0);
          expect(runSignatures(shrunk.result)).toContain(shrunk.signature);
        }),
        { numRuns: FAILING_RUNS, seed: FC_SEED },
      );
      expect(shrinks).toBe(FAILING_RUNS);
    },
    TIMEOUT_MS,
  );
});
