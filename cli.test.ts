/**
 * The CLI contract, tested through real processes (`tsx cli.ts ...`): exit codes, one JSON
 * object with --json, one-line errors without stack traces, repro files that replay identically
 * and are never overwritten, worker- and shard-independent campaigns, shrinking.
 */
import { createHash } from 'node:crypto';
import { spawn } from 'node:child_process';
import { existsSync, mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess, type CliExit } from './cli/testing/cli-process.ts';
import { TINY_CALM, TINY_FAULTY } from './sim/testing/tiny-scenarios.ts';
import { compareCounterexampleSize } from './sim/shrink/counterexample-size.ts';
import type { RunSize } from './sim/shrink/shrink.ts';

const ROOT = fileURLToPath(new URL('.', import.meta.url));

type Exit = CliExit;
const cli = (...args: string[]): Promise<Exit> => runCliProcess(args);

function expectUsageError(exit: Exit, pattern: RegExp): void {
  expect(exit.code).toBe(2);
  expect(exit.stdout).toBe('');
  const lines = exit.stderr.trimEnd().split('\n');
  expect(lines).toHaveLength(1);
  expect(lines[0]).toMatch(pattern);
  expect(exit.stderr).not.toMatch(/\n\s+at /);
}

let dir: string;
let faulty: string;
let calm: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ssesim-cli-'));
  faulty = join(dir, 'tiny-faulty.json');
  calm = join(dir, 'tiny-calm.json');
  writeFileSync(faulty, JSON.stringify(TINY_FAULTY));
  writeFileSync(calm, JSON.stringify(TINY_CALM));
});

function freshDir(name: string): string {
  return mkdtempSync(join(dir, `${name}-`));
}

describe('ssesim run', () => {
  it('exits 0 for a passing run and prints exactly one JSON object without the trace', async () => {
    const exit = await cli('run', calm, '--seed', '3', '--json');
    expect(exit.code).toBe(0);
    const json = JSON.parse(exit.stdout);
    expect(json).toMatchObject({ verdict: 'passed', violations: [], seed: 3, version: { name: 'fixed' } });
    for (const key of ['traceHash', 'virtualMs', 'wallMs']) expect(json).toHaveProperty(key);
    expect(json).not.toHaveProperty('trace');
  });

  it('exits 1 for a failure, writes a repro, and replay says identical', async () => {
    const out = freshDir('run');
    const exit = await cli('run', faulty, '--seed', '1', '--version', 'base', '--out', out, '--json');
    expect(exit.code).toBe(1);
    const json = JSON.parse(exit.stdout);
    expect(json.verdict).not.toBe('passed');
    expect(existsSync(json.repro)).toBe(true);
    expect(existsSync(join(out, 'report.html'))).toBe(true);
    const replay = await cli('replay', json.repro);
    expect(replay.code).toBe(1);
    expect(replay.stdout.split('\n')[0]).toBe(`identical: trace ${json.traceHash}`);
    const replayJson = JSON.parse((await cli('replay', json.repro, '--json')).stdout);
    expect(replayJson).toMatchObject({ identical: true, traceHash: json.traceHash });
  });

  it('replay tells a repro whose trace an older serialisation wrote from a run that changed', async () => {
    const out = freshDir('older');
    const json = JSON.parse(
      (await cli('run', faulty, '--seed', '1', '--version', 'base', '--out', out, '--json')).stdout,
    );
    const sidecar = json.repro.replace(/\.json$/, '.trace.jsonl');
    // The same entries with every details object's keys sorted, hashed as such.
    const sortKeys = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(sortKeys);
      if (value === null || typeof value !== 'object') return value;
      return Object.fromEntries(
        Object.keys(value)
          .sort()
          .map((k) => [k, sortKeys((value as Record<string, unknown>)[k])]),
      );
    };
    const older = readFileSync(sidecar, 'utf8')
      .split('\n')
      .filter((line) => line !== '')
      .map((line) => `${JSON.stringify(sortKeys(JSON.parse(line)))}\n`)
      .join('');
    expect(older).not.toBe(readFileSync(sidecar, 'utf8'));
    writeFileSync(sidecar, older);
    const repro = JSON.parse(readFileSync(json.repro, 'utf8'));
    writeFileSync(
      json.repro,
      JSON.stringify({ ...repro, traceHash: createHash('sha256').update(older).digest('hex') }),
    );
    const replay = await cli('replay', json.repro);
    expect(replay.stdout).toMatch(/^DIVERGED/);
    expect(replay.stdout).toMatch(/the run is unchanged: the sidecar trace holds the same entries/);
    expect(JSON.parse((await cli('replay', json.repro, '--json')).stdout)).toMatchObject({
      identical: false,
      sameEntries: true,
    });
  });

  it('replay reads a sidecar an older ssesim wrote, one object per line, and warns a divergence may be its format', async () => {
    const out = freshDir('object-lines');
    const json = JSON.parse(
      (await cli('run', faulty, '--seed', '1', '--version', 'base', '--out', out, '--json')).stdout,
    );
    const sidecar = json.repro.replace(/\.json$/, '.trace.jsonl');
    const lines = readFileSync(sidecar, 'utf8')
      .split('\n')
      .filter((line) => line !== '');
    const asObjects = (withLevel: boolean) =>
      lines
        .map((line, index) => {
          const [t, actor, kind, details] = JSON.parse(line) as [number, string, string, Record<string, unknown>];
          const written =
            withLevel && kind.startsWith('client.') && details.level === undefined
              ? { level: 'info', ...details }
              : details;
          return `${JSON.stringify({ actor, details: written, index, kind, t })}\n`;
        })
        .join('');
    const repro = JSON.parse(readFileSync(json.repro, 'utf8'));
    const withSidecar = (text: string) => {
      writeFileSync(sidecar, text);
      writeFileSync(
        json.repro,
        JSON.stringify({ ...repro, traceHash: createHash('sha256').update(text).digest('hex') }),
      );
    };
    withSidecar(asObjects(false));
    expect((await cli('replay', json.repro)).stdout).toMatch(
      /the run is unchanged: the sidecar trace holds the same entries/,
    );
    withSidecar(asObjects(true));
    const replay = await cli('replay', json.repro);
    expect(replay.stdout).toMatch(/^DIVERGED/);
    expect(replay.stdout).toMatch(/an older ssesim wrote the sidecar trace/);
    expect(JSON.parse((await cli('replay', json.repro, '--json')).stdout)).toMatchObject({
      identical: false,
      olderTraceFormat: true,
    });
  });

  it('never overwrites an existing repro', async () => {
    const out = freshDir('twice');
    const first = JSON.parse(
      (await cli('run', faulty, '--seed', '2', '--version', 'base', '--out', out, '--json')).stdout,
    );
    const before = readFileSync(first.repro, 'utf8');
    const second = JSON.parse(
      (await cli('run', faulty, '--seed', '2', '--version', 'base', '--out', out, '--json')).stdout,
    );
    expect(second.repro).not.toBe(first.repro);
    expect(second.repro).toMatch(/-2\.json$/);
    expect(readFileSync(first.repro, 'utf8')).toBe(before);
  });

  it('passes --check-determinism for a run', async () => {
    const exit = await cli('run', faulty, '--seed', '4', '--check-determinism', '--json');
    expect(JSON.parse(exit.stdout).deterministic).toBe(true);
  });
});

describe('bad input exits 2 with one line', () => {
  it.each([
    [['run', 'default', '--bogus'], /unknown option '--bogus'/],
    [['run', 'default', '--seed', 'seven'], /--seed/],
    [['run', 'default', '--version', 'v9'], /unknown version; known: base, pr396-r1, pr396, fixed/],
    [['run', 'default', '--defect', 'nope'], /unknown defect.*send-silent-drop/],
    [['run', 'no-such-scenario'], /no scenario named "no-such-scenario" \(known: .*default/],
    [['replay', '/no/such/repro.json'], /no such file/],
    [['fuzz', '--runs', '3', '--time', '2'], /cannot be used with/],
    [['fuzz', '--shard', '3/2'], /--shard/],
    [['frobnicate'], /unknown command 'frobnicate'/],
  ])('%j', { concurrent: true }, async (args, pattern) => {
    expectUsageError(await cli(...args), pattern);
  });

  it('names the bad field of a malformed repro', async () => {
    const broken = join(dir, 'broken.json');
    writeFileSync(broken, JSON.stringify({ format: 'ssesim-repro', formatVersion: 1 }));
    expectUsageError(await cli('replay', broken), /broken\.json: scenario: missing/);
    const notJson = join(dir, 'not-json.json');
    writeFileSync(notJson, '{ "format": ');
    expectUsageError(await cli('shrink', notJson), /not-json\.json: invalid JSON/);
  });

  it('--help works on every command', async () => {
    const commands = ['list', 'run', 'replay', 'fuzz', 'shrink', 'report'];
    const exits = await Promise.all(commands.map((command) => cli(command, '--help')));
    exits.forEach((exit, i) => {
      expect(exit.code).toBe(0);
      expect(exit.stdout).toContain(`Usage: ssesim ${commands[i]}`);
    });
  });
});

describe('ssesim fuzz', () => {
  const fuzzJson = async (...args: string[]) => {
    // Culprit experiments are tested on their own (sim/campaign/culprits.test.ts); these are about runs.
    const exit = await cli(
      'fuzz',
      '--version',
      'base',
      '--seed',
      '20',
      '--shrink-runs',
      '0',
      '--culprit-runs',
      '0',
      '--json',
      ...args,
    );
    expect([0, 1]).toContain(exit.code);
    return JSON.parse(exit.stdout);
  };
  const findings = (json: { findings: { repro: string }[] }) => json.findings.map(({ repro: _repro, ...rest }) => rest);

  it('finds the same with --workers 2 as with --workers 1', async () => {
    const [one, two] = await Promise.all([
      fuzzJson('--runs', '6', '--workers', '1', '--out', freshDir('w1')),
      fuzzJson('--runs', '6', '--workers', '2', '--force-workers', '--out', freshDir('w2')),
    ]);
    expect(one.findings.length).toBeGreaterThan(0);
    expect(findings(two)).toEqual(findings(one));
    expect(two.results).toEqual(
      one.results.map((row: object, i: number) => ({ ...row, wallMs: two.results[i].wallMs })),
    );
  });

  it('--shard 1/2 and 2/2 together cover exactly the unsharded runs', async () => {
    const args = ['--runs', '5', '--scenario', faulty];
    const [whole, a, b] = await Promise.all([
      fuzzJson(...args, '--out', freshDir('s0')),
      fuzzJson(...args, '--shard', '1/2', '--out', freshDir('s1')),
      fuzzJson(...args, '--shard', '2/2', '--out', freshDir('s2')),
    ]);
    const key = (row: { seed: number; traceHash: string }) => `${row.seed}:${row.traceHash}`;
    const merged = [...a.results, ...b.results].map(key).sort();
    expect(merged).toEqual(whole.results.map(key).sort());
    expect(a.results.length + b.results.length).toBe(whole.results.length);
  });

  it('writes JUnit and a summary with --out, and exits 0 when nothing fails', async () => {
    const out = freshDir('calm');
    const exit = await cli('fuzz', '--runs', '2', '--scenario', calm, '--out', out);
    expect(exit.code).toBe(0);
    expect(exit.stdout).toContain('campaign: 2 runs on fixed');
    expect(readdirSync(out)).toEqual(expect.arrayContaining(['junit.xml', 'summary.txt']));
  });

  it('on Ctrl-C keeps the repros written so far, prints the summary and exits 130', async () => {
    const out = freshDir('sigint');
    const child = spawn(
      process.execPath,
      [
        // tsx's loader in this process rather than its CLI, which relays signals through a parent
        // process of its own and, under load, can end the child before it has handled the signal.
        ...['--import', 'tsx', join(ROOT, 'cli.ts')],
        ...['fuzz', '--time', '60', '--version', 'base', '--scenario', faulty, '--out', out],
      ],
      { cwd: ROOT },
    );
    let stdout = '';
    child.stdout.on('data', (chunk) => (stdout += chunk));
    await new Promise<void>((resolve) => {
      let stderr = '';
      child.stderr.on('data', (chunk) => {
        stderr += chunk;
        if (stderr.includes('new failure')) resolve();
      });
    });
    child.kill('SIGINT');
    // 'close', not 'exit': the process may exit before its stdout has reached us.
    const code = await new Promise<number | null>((resolve) => child.on('close', (c) => resolve(c)));
    expect(code).toBe(130);
    expect(stdout).toContain('interrupted');
    expect(stdout).toMatch(/campaign: \d+ runs on base/);
    expect(readdirSync(out).some((name) => /^repro-base-.*\.json$/.test(name))).toBe(true);
  });
});

describe('ssesim shrink and report', () => {
  it('shrinks a repro into a smaller one that still fails', async () => {
    const out = freshDir('shrink');
    const run = JSON.parse(
      (await cli('run', faulty, '--seed', '1', '--version', 'base', '--out', out, '--json')).stdout,
    );
    const exit = await cli('shrink', run.repro, '--runs', '30', '--json');
    expect(exit.code).toBe(1);
    const shrunk = JSON.parse(exit.stdout);
    expect(shrunk.changes.length).toBeGreaterThan(0);
    // Smaller in the shrinker's order: faults fired, then user actions, then simulator steps.
    const inOrder = (size: RunSize) => ({ ...size, simSteps: size.steps });
    expect(compareCounterexampleSize(inOrder(shrunk.after), inOrder(shrunk.before))).toBeLessThan(0);
    expect(shrunk.property).toBe(run.violations[0].property);
    const violated = [...new Set(run.violations.map((v: { property: string }) => v.property))].join(', ');
    const wrong = await cli('shrink', run.repro, '--property', 'bounded-queue');
    expectUsageError(wrong, new RegExp(`--property bounded-queue: .* violates ${violated}$`));
    const replay = await cli('replay', shrunk.repro);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toMatch(/^identical/);
  });

  it('report renders a repro into a folder', async () => {
    const out = freshDir('report');
    const run = JSON.parse(
      (await cli('run', faulty, '--seed', '5', '--version', 'base', '--out', out, '--json')).stdout,
    );
    const reportDir = join(out, 'again');
    const exit = await cli('report', run.repro, '--out', reportDir);
    expect(exit.code).toBe(0);
    expect(existsSync(join(reportDir, 'report.html'))).toBe(true);
  });
});
