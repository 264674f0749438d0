/**
 * The package's types as a user's compiler sees them (strict, skipLibCheck off): each public
 * entry and the types a transport author writes against.
 */
import {
  bundledTransport,
  loadTransportModule,
  readRepro,
  replayRepro,
  resolveVersion,
  runCampaign,
  runScenario,
  scenarioArb,
  shrinkRun,
  writeReportFiles,
  type ClientLike,
  type RunResult,
  type Scenario,
  type TransportFactory,
  type Violation,
} from 'ssesim';
import { transportProperty, type TransportPropertyOptions } from 'ssesim/vitest';

export const factory: TransportFactory = bundledTransport;
export const options: TransportPropertyOptions = { transport: './bundled-transport.ts', scenario: scenarioArb() };
export const property = transportProperty(options);

export async function runOnce(scenario: Scenario): Promise<Violation[]> {
  const result: RunResult = await runScenario({ scenario, seed: 1, version: resolveVersion('fixed'), factory });
  return result.violations;
}

export const api = { loadTransportModule, readRepro, replayRepro, runCampaign, shrinkRun, writeReportFiles };
export type Client = ClientLike;
