import { mkdtempSync, readFileSync, readdirSync, writeFileSync, mkdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { runMain, type MainExit } from './testing/run-main.ts';
import { junitSchemaErrors } from '../reports/testing/junit-schema.ts';
import type { CampaignSummary } from '../reports/index.ts';

/** Small and quick, with failures to merge: no shrinking and no culprit experiments, so findings group by signature. */
const CAMPAIGN = ['fuzz', '--transport-version', 'pr396', '--runs', '12', '--shrink-runs', '0', '--culprit-runs', '0'];

function summaryOf(dir: string): CampaignSummary {
  return JSON.parse(readFileSync(join(dir, 'summary.json'), 'utf8')) as CampaignSummary;
}

/** What must not depend on sharding: everything but wall times, and repro paths only by file name. */
function comparable(summary: CampaignSummary): unknown {
  const { wallMs: _w, runsPerSec: _r, startedAt: _s, ...rest } = summary;
  return {
    ...rest,
    results: rest.results.map(({ wallMs: _, ...row }) => row),
    findings: rest.findings.map((finding) => ({ ...finding, repro: finding.repro?.split('/').pop() })),
  };
}

function comparableJUnit(xml: string, dir: string): string {
  return xml.replace(/ (time|timestamp)="[^"]*"/g, '').replaceAll(`${dir}/`, '');
}

function failuresAndErrors(xml: string): number {
  const head = /<testsuites [^>]*failures="(\d+)" errors="(\d+)"/.exec(xml);
  return Number(head?.[1]) + Number(head?.[2]);
}

describe('ssesim merge', () => {
  const root = mkdtempSync(join(tmpdir(), 'ssesim-merge-'));
  const dir = (name: string) => join(root, name);
  let whole: MainExit;
  let shards: MainExit[];
  let merged: MainExit;

  beforeAll(async () => {
    whole = await runMain([...CAMPAIGN, '--out', dir('whole')]);
    shards = [];
    for (const shard of ['1/3', '2/3', '3/3'])
      shards.push(await runMain([...CAMPAIGN, '--shard', shard, '--out', dir(`shard-${shard[0]}`)]));
    merged = await runMain(['merge', dir('shard-1'), dir('shard-2'), dir('shard-3'), '--out', dir('merged')]);
  }, 600_000);

  it('gives the summary and JUnit of the unsharded campaign: same findings, counts and names', () => {
    expect(whole.code).toBe(1);
    expect(merged.code).toBe(whole.code);
    const wholeSummary = summaryOf(dir('whole'));
    expect(wholeSummary.findings.length).toBeGreaterThan(1);
    expect(comparable(summaryOf(dir('merged')))).toEqual(comparable(wholeSummary));
    const junit = (name: string) => comparableJUnit(readFileSync(join(dir(name), 'junit.xml'), 'utf8'), dir(name));
    expect(junit('merged')).toBe(junit('whole'));
  });

  it('merges a finding several shards found into one, counting the runs of every shard', () => {
    const perShard = [1, 2, 3].map((i) => summaryOf(dir(`shard-${i}`)).findings);
    const mergedFindings = summaryOf(dir('merged')).findings;
    expect(perShard.flat().length).toBeGreaterThan(mergedFindings.length);
    for (const finding of mergedFindings) {
      const same = perShard.flat().filter((f) => f.signature === finding.signature);
      expect(finding.count).toBe(same.reduce((sum, f) => sum + f.count, 0));
    }
  });

  it('copies the repros of the merged findings beside the merged summary, with their reports and the index', () => {
    const merged = summaryOf(dir('merged')).findings;
    expect(readFileSync(join(dir('merged'), 'index.html'), 'utf8')).toContain('href="finding-1/report.html"');
    for (let k = 1; k <= merged.length; k++)
      expect(readdirSync(join(dir('merged'), `finding-${k}`))).toContain('report.html');
    const files = readdirSync(dir('merged'));
    for (const finding of summaryOf(dir('merged')).findings) {
      expect(finding.repro!.startsWith(dir('merged'))).toBe(true);
      expect(files).toContain(finding.repro!.split('/').pop());
    }
  });

  it('writes JUnit that validates, counting what the text summary counts', async () => {
    const xml = readFileSync(join(dir('merged'), 'junit.xml'), 'utf8');
    expect(await junitSchemaErrors(xml)).toEqual([]);
    const textCount = Number(/findings \((\d+)\):/.exec(merged.stdout)?.[1]);
    expect(failuresAndErrors(xml)).toBe(textCount);
  });

  it('names in each shard header the seeds that shard really ran', () => {
    expect(shards[0]!.stdout).toContain('shard 1/3: seeds 1, 4, 7, 10 ');
    expect(shards[1]!.stdout).toContain('shard 2/3: seeds 2, 5, 8, 11 ');
    expect(shards[1]!.stdout).toContain('campaign: 4 runs on pr396, seeds 2, 5, 8, 11\n');
    expect(summaryOf(dir('shard-2')).results.map((run) => run.seed)).toEqual([2, 5, 8, 11]);
  });

  it('refuses shards of different campaigns, a folder twice, and a folder without a summary, with exit 2', async () => {
    const twice = await runMain(['merge', dir('shard-1'), dir('shard-1'), '--out', dir('bad')]);
    expect([twice.code, twice.stderr]).toEqual([2, expect.stringMatching(/named twice/)]);
    const overlap = await runMain(['merge', dir('whole'), dir('shard-2'), '--out', dir('bad'), '--json']);
    expect(overlap.code).toBe(2);
    expect(JSON.parse(overlap.stdout)).toMatchObject({
      error: { message: expect.stringMatching(/seed 2 is in both/) },
    });
    const empty = mkdtempSync(join(root, 'empty-'));
    const missing = await runMain(['merge', empty, '--out', dir('bad')]);
    expect([missing.code, missing.stderr]).toEqual([2, expect.stringMatching(/summary\.json: cannot read it/)]);
  });

  it('names the field of a summary that is not one', async () => {
    const bad = join(root, 'bad-summary');
    mkdirSync(bad);
    writeFileSync(join(bad, 'summary.json'), JSON.stringify({ ...summaryOf(dir('shard-1')), runs: 'many' }));
    const exit = await runMain(['merge', bad, '--out', dir('bad')]);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(/summary\.json: field runs: expected an integer/);
    expect(exit.stderr).not.toMatch(/\n\s+at /);
  });
});

describe('ssesim merge, with culprits found by experiment', () => {
  // One defect: its culprit experiments are few, and its signatures share a culprit, so the
  // campaign merges them into one finding; each shard meets them on different runs.
  const CULPRITS = ['fuzz', '--defect', 'cursor-on-receipt', '--runs', '9', '--shrink-runs', '20'];

  it("groups the shards' signatures by culprit as the unsharded campaign does", async () => {
    const root = mkdtempSync(join(tmpdir(), 'ssesim-merge-culprits-'));
    await runMain([...CULPRITS, '--out', join(root, 'whole')]);
    for (const i of [1, 2, 3]) await runMain([...CULPRITS, '--shard', `${i}/3`, '--out', join(root, `shard-${i}`)]);
    const shards = [1, 2, 3].map((i) => join(root, `shard-${i}`));
    expect((await runMain(['merge', ...shards, '--out', join(root, 'merged')])).code).toBe(1);
    const whole = summaryOf(join(root, 'whole'));
    expect(whole.findings[0]!.culprits.defects).toEqual({ status: 'defects', sets: [['cursor-on-receipt']] });
    expect(whole.findings[0]!.merged.length).toBeGreaterThan(0);
    expect(comparable(summaryOf(join(root, 'merged')))).toEqual(comparable(whole));
    const junit = (name: string) =>
      comparableJUnit(readFileSync(join(root, name, 'junit.xml'), 'utf8'), join(root, name));
    expect(junit('merged')).toBe(junit('whole'));
  }, 600_000);
});
