import { describe, expect, it } from 'vitest';
import { renderCampaignSummary } from './campaign-summary.ts';
import { unfiredFaults } from './campaign-summary-findings.ts';
import { seedsText } from './campaign-summary-seeds.ts';
import { sampleCampaign } from './testing/sample-campaign.ts';

describe('renderCampaignSummary', () => {
  const text = renderCampaignSummary(sampleCampaign());

  it('gives runs, failures, throughput and seeds', () => {
    expect(text).toContain('campaign: 3 runs on base, seeds 100..102');
    expect(text).toContain('failures: 1  (0.2s wall, 12.5 runs/s)');
  });

  it('lists fault coverage and flags an enabled fault that never fired as a finding', () => {
    expect(unfiredFaults(sampleCampaign())).toEqual(['server-crash']);
    expect(text).toMatch(/server-crash +2 \/ +0 {2}<- enabled but never fired/);
    expect(text).toMatch(/request-lost +3 \/ +5$/m);
    expect(text).toContain('findings (2):');
    expect(text).toContain('2. fault-coverage: server-crash was enabled in 2 runs and never fired');
  });

  it('gives each finding with its first seed, culprit, needed faults, merged signatures and repro', () => {
    expect(text).toContain('1. no-silent-loss x1 (first seed 101)');
    expect(text).toContain('repro ssesim replay out/repro-101.json');
    expect(text).toContain('culprit: send-silent-drop\n');
    expect(text).toContain('faults needed: request-lost (also fired: server-crash)\n');
    expect(text).toContain('merged liveness {client,pendingCount,problem} problem=pending\n');
    expect(text).not.toContain('suspects');
  });

  it('is deterministic', () => {
    expect(renderCampaignSummary(sampleCampaign())).toBe(text);
  });

  it('lists the properties no run could check, after the findings, and nothing when all were checked', () => {
    const summary = { ...sampleCampaign(), notChecked: { 'bounded-queue': ['buffer-length', 'queue-length'] } };
    const lines = renderCampaignSummary(summary).trimEnd().split('\n');
    expect(lines.slice(-2)).toEqual([
      'not checked (the transport does not report what they need):',
      '  bounded-queue: needs buffer-length, queue-length',
    ]);
    expect(text).not.toContain('not checked');
  });
});

describe('the seeds a campaign summary names', () => {
  const withSeeds = (seeds: number[]) => ({
    ...sampleCampaign(),
    runs: seeds.length,
    seedStart: seeds[0] ?? 1,
    results: seeds.map((seed) => ({
      seed,
      verdict: 'passed',
      traceHash: 'h',
      wallMs: 1,
      violations: 0,
      signatures: [],
    })),
  });

  it('are the seeds it ran: a range, a shard every Nth, or a short list', () => {
    expect(seedsText(withSeeds([4, 5, 6, 7]))).toBe('seeds 4..7');
    expect(seedsText(withSeeds([2, 5, 8, 11]))).toBe('seeds 2, 5, 8, 11');
    const shard = Array.from({ length: 33 }, (_, i) => 2 + 3 * i);
    expect(seedsText(withSeeds(shard))).toBe('seeds 2, 5, 8, ..., 98 (every 3rd)');
    expect(seedsText(withSeeds([9]))).toBe('seed 9');
    expect(renderCampaignSummary(withSeeds(shard))).toContain('campaign: 33 runs on base, seeds 2, 5, 8, ..., 98');
  });
});

describe('renderCampaignSummary: coverage probes', () => {
  const probes = {
    catalogue: ['client.a', 'client.b', 'server.c'],
    hit: { 'server.c': { runs: 3, hits: 9 }, 'client.a': { runs: 1, hits: 2 } },
    neverHit: ['client.b'],
  };

  it('lists the probes hit, rarest first, and names those never hit', () => {
    const lines = renderCampaignSummary({ ...sampleCampaign(), probes }).split('\n');
    const at = lines.indexOf('coverage probes: 2 of 3 hit (runs / hits):');
    expect(at).toBeGreaterThan(0);
    expect(lines.slice(at + 1, at + 4)).toEqual([
      '  client.a       1 /      2',
      '  server.c       3 /      9',
      '  never hit: client.b',
    ]);
  });

  it('says nothing of probes for a transport that declares and hits none', () => {
    const none = { catalogue: [], hit: {}, neverHit: [] };
    expect(renderCampaignSummary({ ...sampleCampaign(), probes: none })).not.toContain('probes');
  });
});
