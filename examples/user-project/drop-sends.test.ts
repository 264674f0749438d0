/**
 * The same property on a broken transport. This test fails, by design: its failure shows what a
 * user sees when their transport has a bug (the violation, the repro and report written under
 * .ssesim/repros, and the command that replays the failure).
 */
import fc from 'fast-check';
import { test } from 'vitest';
import { scenarioArb, seedArb } from 'ssesim';
import { transportProperty } from 'ssesim/vitest';
import transport from './drop-sends-transport.ts';

test('a client that drops every send fails, with a command to replay the failure', { timeout: 120_000 }, async () => {
  const scenario = scenarioArb({ clientsMax: 2, sessionsMax: 1, promptsPerClientMax: 3, chaosMsMax: 20_000 });
  const property = transportProperty({
    transport,
    transportModule: './drop-sends-transport.ts',
    scenario,
    seed: seedArb,
  });
  await fc.assert(property, { numRuns: 5, seed: 1 });
});
