import { existsSync, mkdirSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from './testing/run-main.ts';
import { REPO_ROOT } from './testing/cli-process.ts';

const COMMANDS = ['list', 'run', 'replay', 'fuzz', 'shrink', 'score', 'report', 'merge', 'clean'];

describe('CLI conventions', () => {
  it("prints the package's version for --version and -V", async () => {
    const { version } = JSON.parse(readFileSync(join(REPO_ROOT, 'package.json'), 'utf8')) as { version: string };
    for (const flag of ['--version', '-V'])
      expect(await runMain([flag])).toEqual({ code: 0, stdout: `${version}\n`, stderr: '' });
  });

  it('takes the transport version as --transport-version, and still as --version after a command', async () => {
    const renamed = await runMain(['run', 'default', '--seed', '3', '--transport-version', 'base', '--json']);
    const old = await runMain(['run', 'default', '--seed', '3', '--version', 'base', '--json']);
    expect(renamed.code).toBe(1);
    const verdict = (stdout: string) => JSON.parse(stdout) as { version: { name: string }; traceHash: string };
    expect(verdict(renamed.stdout).version.name).toBe('base');
    expect(verdict(old.stdout).traceHash).toBe(verdict(renamed.stdout).traceHash);
    const both = await runMain(['run', 'default', '--transport-version', 'base', '--version', 'fixed']);
    expect([both.code, both.stderr]).toEqual([2, expect.stringMatching(/disagree/)]);
  });

  it('lists the exit codes and one example in the help of every command', async () => {
    for (const command of COMMANDS) {
      const help = await runMain([command, '--help']);
      expect(help.code, command).toBe(0);
      expect(help.stdout, command).toMatch(new RegExp(`Example:\\n {2}ssesim ${command}\\b`));
      expect(help.stdout, command).toContain('Exit codes:\n  0    passed');
      expect(help.stdout, command).toContain('130  interrupted');
    }
    expect((await runMain(['--help'])).stdout).toContain('Exit codes:');
  });

  it("reruns a generated campaign run from its seed alone, with the campaign's trace", async () => {
    const campaign = await runMain(['fuzz', '--runs', '3', '--seed', '1', '--shrink-runs', '0', '--json']);
    const rows = (JSON.parse(campaign.stdout) as { results: { seed: number; traceHash: string }[] }).results;
    const seed2 = rows.find((row) => row.seed === 2)!;
    for (const argv of [
      ['run', 'generated', '--seed', '2', '--json'],
      ['run', '--seed', '2', '--json'],
    ]) {
      const run = await runMain(argv);
      expect(JSON.parse(run.stdout)).toMatchObject({ seed: 2, traceHash: seed2.traceHash });
    }
    const noSeed = await runMain(['run', 'generated']);
    expect([noSeed.code, noSeed.stderr]).toEqual([2, expect.stringMatching(/needs --seed N/)]);
  });

  it('gives report --json and an error of a new command as one JSON object', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ssesim-report-json-'));
    await runMain(['run', 'default', '--seed', '3', '--out', join(out, 'run')]);
    const report = await runMain(['report', join(out, 'run', 'result.json'), '--out', join(out, 'report'), '--json']);
    expect(report.code).toBe(0);
    const body = JSON.parse(report.stdout) as { seed: number; files: { html: string } };
    expect(body.seed).toBe(3);
    expect(existsSync(body.files.html)).toBe(true);
    const merge = await runMain(['merge', join(out, 'nowhere'), '--out', join(out, 'merged'), '--json']);
    expect(merge.code).toBe(2);
    expect(JSON.parse(merge.stdout)).toMatchObject({ error: { kind: 'usage' }, exitCode: 2 });
  });
});

describe('ssesim clean', () => {
  function ssesimFolder(): string {
    const dir = join(mkdtempSync(join(tmpdir(), 'ssesim-clean-')), '.ssesim');
    for (const sub of ['latest', 'previous-1', 'repros']) mkdirSync(join(dir, sub), { recursive: true });
    writeFileSync(join(dir, 'latest', 'report.html'), 'x');
    writeFileSync(join(dir, 'repros', 'repro-fixed-1-liveness.json'), '{}');
    writeFileSync(join(dir, 'repros', 'repro-fixed-1-liveness.trace.jsonl'), '');
    writeFileSync(join(dir, 'repros', 'notes.txt'), 'mine');
    writeFileSync(join(dir, 'todo.md'), 'mine');
    return dir;
  }

  it('removes only what ssesim wrote, says what, and asks nothing', async () => {
    const dir = ssesimFolder();
    const exit = await runMain(['clean', dir, '--json']);
    expect(exit.code).toBe(0);
    expect((JSON.parse(exit.stdout) as { removed: string[] }).removed).toEqual([
      `${dir}/latest/`,
      `${dir}/previous-1/`,
      `${dir}/repros/repro-fixed-1-liveness.json`,
      `${dir}/repros/repro-fixed-1-liveness.trace.jsonl`,
    ]);
    expect(['latest', 'previous-1'].map((sub) => existsSync(join(dir, sub)))).toEqual([false, false]);
    expect(readFileSync(join(dir, 'repros', 'notes.txt'), 'utf8')).toBe('mine');
    expect(readFileSync(join(dir, 'todo.md'), 'utf8')).toBe('mine');
    expect((await runMain(['clean', dir])).stdout).toBe(`clean: nothing of ssesim's in ${dir}\n`);
  });

  it("refuses a folder that is not ssesim's and leaves it whole", async () => {
    const dir = ssesimFolder();
    const other = join(dir, 'latest');
    writeFileSync(join(other, 'repro-x.json'), '{}');
    const exit = await runMain(['clean', other]);
    expect([exit.code, exit.stderr]).toEqual([2, expect.stringMatching(/is not an ssesim folder/)]);
    expect(existsSync(join(other, 'repro-x.json'))).toBe(true);
  });
});
