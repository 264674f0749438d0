/**
 * Send attempts and their answers come from the network for every transport: each attempt is
 * the trace's record of a prompt POST, each answer the network's delivery of its response or its
 * failure. For the bundled client, which also logs its own attempts, both accounts agree.
 */
import { describe, expect, it } from 'vitest';
import { resolveVersion } from '../../transport/defects.ts';
import type { HistoryEntry } from '../../model/history.ts';
import { runScenario } from '../run.ts';
import { tinyWithFaults } from '../testing/tiny-scenarios.ts';

type Entry<K extends HistoryEntry['kind']> = Extract<HistoryEntry, { kind: K }>;

const SCENARIO = tinyWithFaults(
  'tiny-lossy-posts',
  { request: { 'http-503': [1, 4], 'request-lost': [1, 6], 'response-lost': [1, 6] }, timed: { 'page-reload': 6 } },
  { workload: { promptsPerClient: 6 } },
);

describe('network-derived send history', () => {
  it.each(['fixed', 'base'] as const)(
    '%s: every prompt POST and its answer, as the client counted them',
    async (name) => {
      const result = await runScenario({ scenario: SCENARIO, seed: 3, version: resolveVersion(name) });
      const byIndex = new Map(result.trace.map((entry) => [entry.index, entry]));
      const attempts = result.history.entries.filter((e): e is Entry<'send-attempt'> => e.kind === 'send-attempt');
      const outcomes = result.history.entries.filter((e): e is Entry<'send-outcome'> => e.kind === 'send-outcome');
      expect(result.faultCounts['request-lost'] + result.faultCounts['http-503']).toBeGreaterThan(0);
      for (const attempt of attempts) {
        const entry = byIndex.get(attempt.index)!;
        expect(entry.kind).toBe('net.request');
        expect(JSON.parse(String(entry.details.body))).toMatchObject({ clientMsgId: attempt.clientMsgId });
        expect(attempt.connectionId).toMatch(/^conn-[0-9a-f]{32}$/);
      }
      for (const outcome of outcomes)
        expect(['net.response', 'net.request-failed']).toContain(byIndex.get(outcome.index)!.kind);
      expect(outcomes.some((outcome) => outcome.status === null)).toBe(true);
      const fromNetwork = attempts.map((a) => `${a.client} ${a.clientMsgId} #${a.attempt}`).sort();
      const fromClient = result.trace
        .filter((entry) => entry.kind === 'client.send.attempt')
        .map((entry) => `${entry.actor} ${String(entry.details.clientMsgId)} #${String(entry.details.attempt)}`)
        .sort();
      expect(fromNetwork.length).toBeGreaterThan(0);
      expect(fromNetwork).toEqual(fromClient);
    },
  );
});

describe('the Retry-After of an answer', () => {
  it('rides on the send outcome of a 429 that carried one, and on no other outcome', async () => {
    const scenario = tinyWithFaults('tiny-429', { request: { 'http-429': [3, 10], 'http-503': [1, 10] } });
    const result = await runScenario({ scenario, seed: 1, version: resolveVersion('fixed') });
    const byIndex = new Map(result.trace.map((entry) => [entry.index, entry]));
    const outcomes = result.history.entries.filter((e): e is Entry<'send-outcome'> => e.kind === 'send-outcome');
    const limited = outcomes.filter((outcome) => outcome.status === 429);
    expect(limited.length).toBeGreaterThan(0);
    for (const outcome of limited) {
      const asked = Number(byIndex.get(outcome.index)!.details.retryAfter);
      expect(asked).toBeGreaterThanOrEqual(1);
      expect(outcome.retryAfterMs).toBe(asked * 1000);
    }
    const others = outcomes.filter((outcome) => outcome.status !== 429);
    expect(others.length).toBeGreaterThan(0);
    for (const outcome of others) expect(outcome).not.toHaveProperty('retryAfterMs');
  });
});
