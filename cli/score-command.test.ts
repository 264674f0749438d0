/** `ssesim score` through a real process: JSON shape, exit codes, one-line usage errors. */
import { describe, expect, it } from 'vitest';
import { runCliProcess } from './testing/cli-process.ts';

const cli = (...args: string[]) => runCliProcess(args);

describe('ssesim score', () => {
  it('scores chosen defects as one JSON object and exits 0 when all are found', async () => {
    const exit = await cli(
      'score',
      '--defect',
      'send-silent-drop',
      '--defect',
      'flush-while-loop',
      '--runs',
      '200',
      '--shrink-runs',
      '3',
      '--json',
    );
    expect(exit.code).toBe(0);
    const result = JSON.parse(exit.stdout);
    expect(result.method.length).toBeGreaterThan(0);
    expect(result.defects.map((d: { defect: string }) => d.defect)).toEqual(['send-silent-drop', 'flush-while-loop']);
    for (const d of result.defects) {
      expect(d).toMatchObject({ found: true, property: 'no-silent-loss', fixedAlsoFailed: expect.any(Number) });
      expect(d.runs).toBeGreaterThanOrEqual(1);
      expect(d.shrunk.steps).toBe(d.shrunk.faultsFired + d.shrunk.userActions);
    }
    expect(result.foundCount).toBe(2);
    expect(result).toMatchObject({ maxRuns: 200, budgetS: null });
    expect(result.versions).toEqual([]);
    const steps = result.defects.map((d: { shrunk: { steps: number } }) => d.shrunk.steps);
    expect(result.maxShrunkSteps.steps).toBe(Math.max(...steps));
    expect(result.target).toMatchObject({ medianStepsMax: 5, stepsMax: 20, medianMet: result.medianShrunkSteps <= 5 });
  }, 60_000);

  it('exits 1 when a defect is not found within the run budget, and prints the table', async () => {
    const exit = await cli('score', '--defect', 'sync-on-is-active', '--runs', '2', '--shrink-runs', '0');
    expect(exit.code).toBe(1);
    expect(exit.stdout).toMatch(/^score: seed base 1, budget 2 runs per defect and per version/m);
    expect(exit.stdout).toMatch(/^sync-on-is-active\s+NO\s+-\s+2\s/m);
    expect(exit.stdout).toMatch(/found 0 of 1; median shrunk steps -, max -;/);
    expect(exit.stdout).toMatch(
      /^target: median shrunk steps <= 5: no shrunk counterexample; over 20 steps .*: none$/m,
    );
  }, 30_000);

  it('also gives up at a wall-time budget when one is given, and says both', async () => {
    const exit = await cli('score', '--defect', 'sync-on-is-active', '--budget-s', '0.2', '--shrink-runs', '0');
    expect(exit.code).toBe(1);
    expect(exit.stdout).toMatch(/budget 1000 runs or 0\.2 s, whichever comes first, per defect/);
    expect(exit.stdout).toMatch(/^sync-on-is-active\s+NO\s/m);
  }, 30_000);

  it('rejects a bad budget or an unknown defect with one line and exit 2', async () => {
    for (const args of [
      ['--budget-s', 'soon'],
      ['--runs', '0'],
      ['--defect', 'no-such-defect'],
    ]) {
      const exit = await cli('score', ...args);
      expect(exit.code).toBe(2);
      expect(exit.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(exit.stdout).toBe('');
    }
  }, 30_000);
});
