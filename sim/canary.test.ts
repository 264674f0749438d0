/**
 * A deliberately broken transport must fail: if the harness let one of these pass, its checks
 * would be checking nothing. Each canary runs on a calm scenario (no faults), so the finding can
 * only come from the planted bug.
 */
import { describe, expect, it } from 'vitest';
import { resolveVersion } from '../transport/defects.ts';
import { runScenario } from './run.ts';
import type { TransportFactory } from './world/transport-factory.ts';
import {
  dawdlingClientFactory,
  droppingClientFactory,
  evictingServerFactory,
  forgetfulServerFactory,
  freshIdRefusingServerFactory,
  rateLimitingServerFactory,
} from './testing/broken-transports.ts';
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

describe('canaries for delivery, timeliness and retry-after', () => {
  it('catches a server that refuses fresh prompts, although every failure is reported to the app', async () => {
    const result = await runWith(freshIdRefusingServerFactory());
    expect(result.verdict).toBe('liveness');
    expect(propertiesNamed(result)).toEqual(['delivery']);
    expect(result.violations[0]!.message).toContain('last answer 409');
  });

  it('passes a client that waits out a Retry-After, and catches one that does not hear it', async () => {
    const honoured = await runWith(rateLimitingServerFactory({ clientHearsNoRetryAfter: false }));
    expect(
      honoured.history.entries.filter((e) => e.kind === 'send-outcome' && e.status === 429).length,
    ).toBeGreaterThan(0);
    expect(honoured.verdict).toBe('passed');
    const ignored = await runWith(rateLimitingServerFactory({ clientHearsNoRetryAfter: true }));
    expect(propertiesNamed(ignored)).toEqual(['retry-after']);
    expect(ignored.violations[0]!.message).toMatch(/was retried \d+ ms after a 429 asking 5000 ms$/);
  });

  it('catches a client that lands its prompts long after the network healed', async () => {
    const scenario = { ...TINY_CALM, phases: { chaosMs: 10_000, healMs: 100_000 } };
    const run = (factory?: TransportFactory) =>
      runScenario({ scenario, seed: SEED, version: resolveVersion('fixed'), factory });
    expect((await run()).verdict).toBe('passed');
    const late = await run(dawdlingClientFactory(70_000));
    expect(propertiesNamed(late)).toEqual(['timeliness']);
    expect(late.violations[0]!.message).toMatch(/landed \d+ ms after its client was healthy again, past its bound/);
  });
});
