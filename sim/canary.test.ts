/**
 * A deliberately broken transport must fail: if the harness let one of these pass, its checks
 * would be checking nothing. Each canary runs on a calm scenario (no faults), so the finding can
 * only come from the planted bug.
 */
import { describe, expect, it } from 'vitest';
import { resolveVersion } from '../transport/defects.ts';
import { runScenario } from './run.ts';
import type { TransportFactory } from './world/transport-factory.ts';
import { droppingClientFactory, evictingServerFactory, forgetfulServerFactory } from './testing/broken-transports.ts';
import { TINY_CALM } from './testing/tiny-scenarios.ts';

const SEED = 5;

function runWith(factory?: TransportFactory) {
  return runScenario({ scenario: TINY_CALM, seed: SEED, version: resolveVersion('fixed'), factory });
}

function propertiesNamed(result: Awaited<ReturnType<typeof runWith>>): string[] {
  return [...new Set(result.violations.map((violation) => violation.property))].sort();
}

describe('canary transports', () => {
  it('the real transport passes the same calm run', async () => {
    const result = await runWith();
    expect(result.verdict).toBe('passed');
  });

  it('catches a client that drops every third session event before the app sees it', async () => {
    const result = await runWith(droppingClientFactory(3));
    expect(result.verdict).toBe('violation');
    expect(propertiesNamed(result)).toEqual(expect.arrayContaining(['session-order', 'no-silent-gap']));
  });

  it('catches a server that acknowledges prompts without persisting them', async () => {
    const result = await runWith(forgetfulServerFactory());
    expect(result.verdict).toBe('violation');
    expect(propertiesNamed(result)).toContain('no-silent-loss');
  });

  it('catches a server that forgets connections without closing their streams', async () => {
    const result = await runWith(evictingServerFactory());
    expect(result.verdict).not.toBe('passed');
    const stale = result.violations.filter((violation) => violation.subject.problem === 'stale-connection');
    expect(stale.length).toBeGreaterThan(0);
    expect(stale[0]!.property).toBe('liveness');
  });
});
