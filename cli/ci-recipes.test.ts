/**
 * The CI recipes in examples/ci/ are read as text (no YAML dependency): their ssesim commands must
 * be ones the CLI accepts, their shard counts must agree with their matrix and completions, and
 * the merge must name every shard's folder.
 */
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from './testing/run-main.ts';
import { REPO_ROOT } from './testing/cli-process.ts';

const recipe = (name: string) => readFileSync(join(REPO_ROOT, 'examples', 'ci', name), 'utf8');
/** Folded YAML scalars (`>-`) put one command on several lines: joined here. */
const joined = (text: string) => text.replace(/\n\s+(?=[-\w/"$])/g, ' ');

/** Every `--flag` of each `npx ssesim <command>` in the text is one that command's --help lists. */
async function unknownFlags(text: string): Promise<string[]> {
  const unknown: string[] = [];
  for (const [, command, args] of joined(text).matchAll(/npx ssesim (\w+)([^\n|]*)/g)) {
    const help = (await runMain([command!, '--help'])).stdout;
    for (const [flag] of args!.matchAll(/--[\w-]+/g))
      if (!help.includes(`${flag} `)) unknown.push(`${command} ${flag}`);
  }
  return unknown;
}

describe('the GitHub Actions recipe', () => {
  const text = recipe('github-actions.yml');

  it('runs one shard per matrix entry and merges every shard after them all', () => {
    const shards = /shard: \[([\d, ]+)\]/.exec(text)![1]!.split(',').map(Number);
    expect(shards).toEqual([1, 2, 3, 4]);
    expect(text).toContain(`--shard \${{ matrix.shard }}/${shards.length} --out out/shard-\${{ matrix.shard }}`);
    expect(text).toMatch(/merge:\n\s+needs: fuzz\n\s+if: always\(\)/);
    const merged = /ssesim merge ([^\n]*) --out out\/merged/.exec(text)![1]!.split(' ');
    expect(merged).toEqual(shards.map((shard) => `out/ssesim-shard-${shard}`));
  });

  it('uploads each shard folder and the merged one, and publishes the merged JUnit', () => {
    expect(text).toContain('name: ssesim-shard-${{ matrix.shard }}\n          path: out/shard-${{ matrix.shard }}');
    expect(text).toContain('pattern: ssesim-shard-*');
    expect(text).toMatch(/name: ssesim-merged\n\s+path: out\/merged/);
    expect(text).toMatch(/uses: mikepenz\/action-junit-report@v\d+[\s\S]*report_paths: out\/merged\/junit\.xml/);
  });

  it('uses only flags the CLI accepts', async () => {
    expect(await unknownFlags(text.replace(/\$SSESIM_CAMPAIGN/g, /SSESIM_CAMPAIGN: (.*)/.exec(text)![1]!))).toEqual([]);
  });
});

describe('the Kubernetes recipe', () => {
  const job = recipe('kubernetes-indexed-job.yaml');
  const merge = recipe('kubernetes-merge-job.yaml');

  it('is an Indexed Job whose completion index picks the shard, on a volume the merge Job reads', () => {
    expect(job).toContain('completionMode: Indexed');
    const completions = Number(/completions: (\d+)/.exec(job)![1]);
    expect(joined(job)).toContain(`SHARD=$((JOB_COMPLETION_INDEX + 1));`);
    expect(joined(job)).toContain(`--shard "$SHARD"/${completions} --out /results/shard-"$SHARD"`);
    for (const text of [job, merge]) {
      expect(text).toContain('mountPath: /results');
      expect(text).toContain('claimName: ssesim-results');
    }
    const folders = /ssesim merge ([^\n]*?) --out/.exec(joined(merge))![1]!.split(' ');
    expect(folders).toEqual(Array.from({ length: completions }, (_, k) => `/results/shard-${k + 1}`));
  });

  it('uses only flags the CLI accepts', async () => {
    expect(await unknownFlags(job + merge)).toEqual([]);
    expect(await unknownFlags('npx ssesim fuzz --no-such-flag')).toEqual(['fuzz --no-such-flag']);
  });
});
