/**
 * A user's property test of their transport: generated scenarios and seeds from ssesim's public
 * arbitraries, run against the transport by fc.assert. It passes for a transport that keeps its
 * promises under every fault the scenarios switch on.
 */
import fc from 'fast-check';
import { test } from 'vitest';
import { scenarioArb } from 'ssesim';
import { transportProperty } from 'ssesim/vitest';
import transport from './bundled-transport.ts';

/** Small scenarios run fast, so the property can try many of them. */
const smallScenarios = scenarioArb({ clientsMax: 2, sessionsMax: 2, promptsPerClientMax: 4, chaosMsMax: 30_000 });

test('the transport passes every property under chaos', { timeout: 120_000 }, async () => {
  const property = transportProperty({
    transport,
    transportModule: './bundled-transport.ts',
    scenario: smallScenarios,
  });
  await fc.assert(property, { numRuns: 8, seed: 1 });
});
