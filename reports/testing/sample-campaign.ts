/**
 * A small campaign summary for report tests: a failure with a hostile message, its culprit and a
 * merged signature, an unfired fault.
 */
import type { CampaignSummary } from '../campaign-summary.ts';

export function sampleCampaign(): CampaignSummary {
  return {
    baseSeed: 100,
    scenario: 'generated',
    startedAt: '2026-01-02T03:04:05.678Z',
    runs: 3,
    failures: 1,
    runsPerSec: 12.5,
    wallMs: 240,
    seedStart: 100,
    version: 'base',
    faultCoverage: {
      'request-lost': { enabledRuns: 3, fired: 5 },
      'server-crash': { enabledRuns: 2, fired: 0 },
      'http-404': { enabledRuns: 0, fired: 0 },
    },
    findings: [
      {
        signature: 'no-silent-loss:c1',
        property: 'no-silent-loss',
        count: 1,
        firstSeed: 101,
        repro: 'ssesim replay out/repro-101.json',
        message: 'prompt "<script>alert(1)</script>" & friends was accepted but neither persisted nor reported failed',
        culprits: {
          defects: { status: 'defects', sets: [['send-silent-drop']] },
          faults: { status: 'faults', fired: ['request-lost', 'server-crash'], needed: ['request-lost'] },
          runs: 20,
        },
        merged: ['liveness {client,pendingCount,problem} problem=pending'],
      },
    ],
    results: [
      { seed: 100, verdict: 'passed', traceHash: 'aa', wallMs: 80, violations: 0, signatures: [] },
      {
        seed: 101,
        verdict: 'violation',
        traceHash: 'bb',
        wallMs: 90,
        violations: 2,
        signatures: ['no-silent-loss:c1', 'liveness {client,pendingCount,problem} problem=pending'],
      },
      { seed: 102, verdict: 'passed', traceHash: 'cc', wallMs: 70, violations: 0, signatures: [] },
    ],
  };
}
