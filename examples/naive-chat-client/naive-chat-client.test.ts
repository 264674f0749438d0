/**
 * The naive chat client under ssesim, as its own project would test it: through the package's
 * public entries only (`'../../index.ts'` is `'ssesim'`, `'../../vitest.ts'` is `'ssesim/vitest'`).
 * The client has deliberate bugs (client.ts), so every test here expects ssesim to find them: a
 * fast-check property that fails with a command to replay the failure, and a fuzz campaign whose
 * findings are distinct bugs with shrunk repros that replay identically, whatever the worker
 * count or sharding.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import fc from 'fast-check';
import { beforeAll, describe, expect, it } from 'vitest';
import {
  readRepro,
  replayRepro,
  resolveVersion,
  runCampaign,
  runVersionOf,
  scenarioArb,
  seedArb,
  type CampaignOptions,
  type CampaignResult,
} from '../../index.ts';
import { transportProperty } from '../../vitest.ts';
import transport from './transport.ts';

/** The module path as a user types it from the project root: repro commands name it. */
const MODULE = 'examples/naive-chat-client/transport.ts';

const outDir = (): string => mkdtempSync(join(tmpdir(), 'naive-chat-client-'));

/**
 * Seeds 1..4 of the generated campaign hold four distinct failures (lost prompt, reordered
 * prompts, out-of-order and missed events); a small shrink budget keeps the suite short.
 */
const CAMPAIGN: Omit<CampaignOptions, 'outDir'> = {
  transport: MODULE,
  version: runVersionOf(resolveVersion('fixed')),
  baseSeed: 1,
  runs: 4,
  shrinkRuns: 40,
};

/** What a campaign found, without where it wrote its files (each campaign has its own folder). */
function findingsOf(result: CampaignResult) {
  return result.findings.map((finding) => ({
    property: finding.property,
    signatures: finding.signatures,
    count: finding.count,
    firstSeed: finding.firstSeed,
    culprits: finding.culprits.faults,
    shrunk: finding.shrunk === undefined ? null : { changes: finding.shrunk.changes, after: finding.shrunk.after },
  }));
}

describe('the naive chat client under a transport property', () => {
  it('fails a transport property, and the failure names the command that replays it', async () => {
    const property = transportProperty({
      transport,
      transportModule: MODULE,
      scenario: scenarioArb({ clientsMax: 2, sessionsMax: 1, promptsPerClientMax: 4, chaosMsMax: 20_000 }),
      seed: seedArb,
      outDir: outDir(),
    });
    // fast-check's own shrinking is capped: the point is the failure and its command, not the minimum.
    const run = fc.assert(property, {
      numRuns: 10,
      seed: 1,
      includeErrorInReport: true,
      interruptAfterTimeLimit: 8_000,
    });
    await expect(run).rejects.toThrow(
      /npx ssesim replay \S+\.json --transport examples\/naive-chat-client\/transport\.ts/,
    );
  });
});

describe('the naive chat client under a fuzz campaign through the library', () => {
  let campaign: CampaignResult;
  // The campaign shrinks each finding and runs its culprit experiments: on a busy machine that outlasts
  // the default 30 s hook time.
  beforeAll(async () => {
    campaign = await runCampaign({ ...CAMPAIGN, outDir: outDir() });
  }, 180_000);

  it('finds at least two distinct bugs, each with its culprit faults', () => {
    const properties = new Set(campaign.findings.map((finding) => finding.property));
    expect(properties.size).toBeGreaterThanOrEqual(2);
    expect([...properties]).toEqual(expect.arrayContaining(['no-silent-loss', 'send-order']));
    for (const finding of campaign.findings) expect(finding.culprits.faults.status).toBe('faults');
  });

  it('leaves a shrunk repro of every finding that replays identically', async () => {
    for (const finding of campaign.findings) {
      expect(finding.shrunk, finding.property).toBeDefined();
      const repro = readRepro(finding.shrunk!.repro);
      expect(repro.transport?.path).toBe(MODULE);
      const replayed = await replayRepro(repro);
      expect(replayed.traceHash).toBe(repro.traceHash);
      expect(replayed.violations.map((violation) => violation.property)).toContain(finding.property);
      // The client keeps no queue count or pending count: those properties say so, never pass.
      expect(replayed.properties['bounded-queue']).toEqual({
        status: 'not-checked',
        needs: ['queue-length', 'buffer-length'],
      });
      expect(replayed.properties.liveness).toEqual({ status: 'not-checked', needs: ['pending-count'] });
    }
  });

  it('finds the same with two worker threads', async () => {
    const two = await runCampaign({ ...CAMPAIGN, workers: 2, outDir: outDir() });
    expect(findingsOf(two)).toEqual(findingsOf(campaign));
  });

  it('finds the same split into shards 1/2 and 2/2', async () => {
    // One after the other: runs of a transport on globals share this process's globals.
    const shard = (index: number) =>
      // Runs and signatures are what sharding could change; shrinking and culprits work on those alone.
      runCampaign({ ...CAMPAIGN, shard: { index, count: 2 }, shrinkRuns: 0, culpritRuns: 0, outDir: outDir() });
    const first = await shard(1);
    const second = await shard(2);
    const merged = [...first.outcomes, ...second.outcomes].sort((a, b) => a.index - b.index);
    expect(merged.map((run) => [run.seed, run.verdict, run.traceHash])).toEqual(
      campaign.outcomes.map((run) => [run.seed, run.verdict, run.traceHash]),
    );
    const signatures = (result: CampaignResult) => result.findings.flatMap((finding) => finding.signatures).sort();
    expect([...new Set([...signatures(first), ...signatures(second)])].sort()).toEqual(signatures(campaign));
  });
});
