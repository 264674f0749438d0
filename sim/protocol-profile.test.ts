/**
 * The protocol profile is the only place the simulator learns a transport's wire and limits: the
 * bundled transport under a copy of its own profile runs identically, its judgment follows the
 * limits the profile states, and a transport with other endpoint names, frames and limits is
 * driven, faulted and judged through its profile alone.
 */
import { describe, expect, it } from 'vitest';
import { resolveVersion } from '../transport/defects.ts';
import { resolveScenario } from '../scenarios/index.ts';
import type { HistoryEntry } from '../model/history.ts';
import { runScenario } from './run.ts';
import { BUNDLED_PROFILE, type ProtocolProfile } from './net/protocol-profile.ts';
import { realTransportFactory } from './world/transport-factory.ts';
import { relayTransportFactory } from './testing/relay-transport.ts';
import { TINY_CALM, TINY_FAULTY, tinyWithFaults } from './testing/tiny-scenarios.ts';
import type { RunResult } from './run-result.ts';

/** A profile equal to the bundled one, sharing no object with it. */
function copyOfBundledProfile(patch: Partial<ProtocolProfile['limits']> = {}): ProtocolProfile {
  return {
    ...BUNDLED_PROFILE,
    paths: { ...BUNDLED_PROFILE.paths },
    limits: { ...BUNDLED_PROFILE.limits, ...patch },
  };
}

function messagesOf(result: RunResult, property?: string): string[] {
  return result.violations.filter((v) => property === undefined || v.property === property).map((v) => v.message);
}

function entriesOf<K extends HistoryEntry['kind']>(result: RunResult, kind: K): Extract<HistoryEntry, { kind: K }>[] {
  return result.history.entries.filter((e): e is Extract<HistoryEntry, { kind: K }> => e.kind === kind);
}

describe('the bundled transport under a copy of its profile', () => {
  it.each([
    ['default', resolveScenario('default'), 3, 'fixed'],
    ['tiny-faulty', TINY_FAULTY, 1, 'base'],
  ] as const)('runs %s identically: same trace hash, same violations', async (_, scenario, seed, name) => {
    const version = resolveVersion(name);
    const plain = await runScenario({ scenario, seed, version });
    const factory = { ...realTransportFactory, profile: copyOfBundledProfile() };
    const copied = await runScenario({ scenario, seed, version, factory });
    expect(copied.traceHash).toBe(plain.traceHash);
    expect(messagesOf(copied)).toEqual(messagesOf(plain));
    expect(copied.properties).toEqual(plain.properties);
  });

  it('is judged by the limits its profile states, with the trace unchanged', async () => {
    const scenario = tinyWithFaults('tiny-503', { request: { 'http-503': [1, 3] } });
    const version = resolveVersion('fixed');
    const plain = await runScenario({ scenario, seed: 2, version });
    const strict = { ...realTransportFactory, profile: copyOfBundledProfile({ sendAttemptBudget: 1 }) };
    const judged = await runScenario({ scenario, seed: 2, version, factory: strict });
    expect(judged.traceHash).toBe(plain.traceHash);
    expect(messagesOf(plain, 'bounded-retries')).toEqual([]);
    expect(messagesOf(judged, 'bounded-retries')[0]).toMatch(/was attempted 2 times \(budget 1\)$/);
  });
});

describe('a transport with its own wire names and limits (the relay)', () => {
  const refusals = tinyWithFaults('relay-refusals', { request: { 'http-503': [1, 1] } });
  const fixed = resolveVersion('fixed');

  it('is faulted on its own endpoints and its attempts are read off the network', async () => {
    const result = await runScenario({
      scenario: refusals,
      seed: 4,
      version: fixed,
      factory: relayTransportFactory({ maxAttempts: 3, sendAttemptBudget: 3 }),
    });
    expect(result.faultCounts['http-503']).toBeGreaterThan(0);
    const attempts = entriesOf(result, 'send-attempt');
    expect(attempts.length).toBeGreaterThan(0);
    expect(new Set(attempts.map((a) => a.attempt))).toEqual(new Set([1, 2, 3]));
    expect(attempts.every((a) => /^link-\d+$/.test(a.connectionId ?? ''))).toBe(true);
    expect(entriesOf(result, 'send-outcome').every((o) => o.status === 503)).toBe(true);
    expect(entriesOf(result, 'welcome').length).toBeGreaterThan(0);
    // Every prompt was refused and reported failed to the app, within the stated budget.
    expect(result.verdict).toBe('passed');
    expect(result.properties['bounded-retries']).toEqual({ status: 'passed' });
    expect(result.properties['cursor-monotonic']).toEqual({ status: 'not-checked', needs: ['cursor'] });
    expect(result.properties['bounded-queue']).toEqual({ status: 'not-checked', needs: ['buffer-length'] });
  });

  it('is held to its own attempt budget, not the bundled transport’s', async () => {
    const run = (sendAttemptBudget: number) =>
      runScenario({
        scenario: refusals,
        seed: 4,
        version: fixed,
        factory: relayTransportFactory({ maxAttempts: 4, sendAttemptBudget }),
      });
    const ownBudget = await run(3);
    expect(ownBudget.verdict).toBe('violation');
    expect(messagesOf(ownBudget, 'bounded-retries')[0]).toMatch(/was attempted 4 times \(budget 3\)$/);
    const bundledBudget = await run(BUNDLED_PROFILE.limits.sendAttemptBudget);
    expect(bundledBudget.traceHash).toBe(ownBudget.traceHash);
    expect(messagesOf(bundledBudget, 'bounded-retries')).toEqual([]);
  });

  it('delivers, persists and is checked end to end on a calm network', async () => {
    const result = await runScenario({
      scenario: TINY_CALM,
      seed: 5,
      version: fixed,
      factory: relayTransportFactory({ maxAttempts: 3, sendAttemptBudget: 3 }),
    });
    expect(messagesOf(result)).toEqual([]);
    expect(result.history.end.userMessages.length).toBe(TINY_CALM.clients * TINY_CALM.workload.promptsPerClient);
    const applied = entriesOf(result, 'applied');
    expect(applied.length).toBe(TINY_CALM.clients * result.history.end.userMessages.length);
    expect(entriesOf(result, 'frame-received').length).toBeGreaterThanOrEqual(applied.length);
    for (const id of ['no-silent-loss', 'session-order', 'no-silent-gap', 'liveness'] as const)
      expect(result.properties[id]).toEqual({ status: 'passed' });
  });
});
