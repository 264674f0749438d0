/**
 * The self-check the whole product rests on: a seed names exactly one run. The same seed gives
 * the same trace twice in one process and in two separate processes (the CLI run as a child
 * process), different seeds give different runs, and firstDivergence finds where two traces
 * part (what `--check-determinism` prints; its wording is tested with the CLI).
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../scenarios/load-scenario.ts';
import { scenarioArb } from '../scenarios/generators.ts';
import { resolveVersion } from '../transport/defects.ts';
import { runScenario } from './run.ts';
import type { RunResult } from './run-result.ts';
import { firstDivergence, lineOf } from './core/trace.ts';
import { TINY_CALM } from './testing/tiny-scenarios.ts';
import type { Scenario } from '../scenarios/scenario.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

function run(scenario: Scenario, seed: number): Promise<RunResult> {
  return runScenario({ scenario, seed, version: resolveVersion('fixed') });
}

function canonicalLines(result: RunResult): string[] {
  return result.trace.map(lineOf);
}

async function expectSameRunTwice(scenario: Scenario, seed: number): Promise<void> {
  const first = await run(scenario, seed);
  const second = await run(scenario, seed);
  expect(first.trace.length).toBeGreaterThan(10);
  expect(second.traceHash).toBe(first.traceHash);
  expect(canonicalLines(second)).toEqual(canonicalLines(first));
}

/** The traceHash that `tsx cli.ts run default --seed 7 --json` prints in a fresh process. */
function hashFromChildProcess(): Promise<string> {
  return new Promise((resolve, reject) => {
    execFile(
      process.execPath,
      [TSX, join(ROOT, 'cli.ts'), 'run', 'default', '--seed', '7', '--json'],
      { cwd: ROOT, maxBuffer: 64 * 1024 * 1024 },
      (error, stdout) => {
        // A failing run exits 1 and still prints its JSON; only a missing hash is an error here.
        const hash = (JSON.parse(stdout || '{}') as { traceHash?: string }).traceHash;
        if (hash) resolve(hash);
        else reject(error ?? new Error(`no traceHash in ${stdout}`));
      },
    );
  });
}

describe('determinism', () => {
  it('runs the default scenario twice in one process with identical traces', async () => {
    await expectSameRunTwice(resolveScenario('default'), 7);
  });

  it('runs a generated scenario twice in one process with identical traces', async () => {
    const [scenario] = fc.sample(scenarioArb(), { seed: 20_240, numRuns: 1 });
    await expectSameRunTwice(scenario!, 11);
  });

  it('gives the same trace hash for one seed in two separate processes', { timeout: 60_000 }, async () => {
    const [first, second] = await Promise.all([hashFromChildProcess(), hashFromChildProcess()]);
    expect(first).toMatch(/^[0-9a-f]{64}$/);
    expect(second).toBe(first);
    expect((await run(resolveScenario('default'), 7)).traceHash).toBe(first);
  });

  it('gives 100 different seeds of the default scenario 100 different traces', { timeout: 60_000 }, async () => {
    const scenario = resolveScenario('default');
    const hashes = new Set<string>();
    for (let seed = 1; seed <= 100; seed++) hashes.add((await run(scenario, seed)).traceHash);
    expect(hashes.size).toBe(100);
  });
});

describe('firstDivergence', () => {
  it('finds none for two runs of one seed and the first differing entry otherwise', async () => {
    const first = await run(TINY_CALM, 3);
    const again = await run(TINY_CALM, 3);
    const other = await run(TINY_CALM, 4);
    expect(firstDivergence(first.trace, again.trace)).toBeNull();
    const divergence = firstDivergence(first.trace, other.trace);
    expect(divergence).not.toBeNull();
    const { index, left, right } = divergence!;
    expect(canonicalLines(other).slice(0, index)).toEqual(canonicalLines(first).slice(0, index));
    expect(left).toEqual(first.trace[index]);
    expect(right).toEqual(other.trace[index]);
    expect(lineOf(left!)).not.toBe(lineOf(right!));
  });
});
