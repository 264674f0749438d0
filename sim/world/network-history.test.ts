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
