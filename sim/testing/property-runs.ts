/**
 * Generated runs for the property tests: scenarioArb kept small (few clients, short chaos) so
 * hundreds of runs fit in seconds, with every fault kind still reachable.
 */
import fc from 'fast-check';
import type { Scenario } from '../../scenarios/scenario.ts';
import { scenarioArb, seedArb, type ScenarioArbOptions } from '../../scenarios/generators.ts';

export const PROPERTY_RUN_OPTIONS: ScenarioArbOptions = {
  clientsMax: 3,
  sessionsMax: 2,
  promptsPerClientMax: 6,
  chaosMsMax: 30_000,
};

export interface PropertyRun {
  scenario: Scenario;
  seed: number;
}

export function propertyRunArb(options: ScenarioArbOptions = PROPERTY_RUN_OPTIONS): fc.Arbitrary<PropertyRun> {
  return fc.record({ scenario: scenarioArb(options), seed: seedArb });
}
