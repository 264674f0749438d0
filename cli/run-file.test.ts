import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleRun } from '../reports/testing/sample-run.ts';
import { ReproError } from '../sim/files/repro-error.ts';
import { loadRunFile } from './run-file.ts';
import { MAX_RESULT_VIRTUAL_MS } from './run-result-schema.ts';

function resultFile(value: unknown): string {
  const path = join(mkdtempSync(join(tmpdir(), 'ssesim-run-file-')), 'result.json');
  writeFileSync(path, JSON.stringify(value));
  return path;
}

async function problemOf(path: string): Promise<ReproError> {
  try {
    await loadRunFile(path);
  } catch (err) {
    if (err instanceof ReproError) return err;
    throw err;
  }
  throw new Error('expected a ReproError');
}

describe('loadRunFile with a run result', () => {
  it('returns a result as written', async () => {
    const result = JSON.parse(JSON.stringify(sampleRun()));
    expect(await loadRunFile(resultFile(result))).toEqual(result);
  });

  it('names every field the renderers need that is missing or wrong, then what the file should be', async () => {
    const { seed: _seed, trace: _trace, ...rest } = JSON.parse(JSON.stringify(sampleRun()));
    const path = resultFile({ ...rest, verdict: 3, history: {}, scenario: { ...rest.scenario, clients: 0 } });
    const error = await problemOf(path);
    expect(error.problems.map((p) => p.field)).toEqual([
      'seed',
      'verdict',
      'trace',
      'history.entries',
      'scenario.clients',
    ]);
    expect(error.message).toMatch(
      new RegExp(`^${path}: seed: missing field; verdict: expected one of passed, .*, got 3; .*`),
    );
    expect(error.message).toMatch(/got 0 \(expected a repro file or a run result\.json\)$/);
  });

  it('says what the file should be when it is not an object', async () => {
    expect((await problemOf(resultFile([1]))).message).toMatch(
      /: \(root\): expected an object, got \[1\] \(expected a repro file or a run result\.json\)$/,
    );
  });

  it('refuses markup where a number belongs and times no run can reach, naming each', async () => {
    const run = JSON.parse(JSON.stringify(sampleRun()));
    run.steps = '<script>alert(1)</script>';
    run.trace[2].index = '<img src=x>';
    run.violations[0].evidence.push('9<b>');
    run.faultCounts['request-lost'] = '1<i>';
    run.history.entries.find((entry: { kind: string }) => entry.kind === 'queue').length = '<s>';
    run.virtualMs = 1e15;
    const error = await problemOf(resultFile(run));
    expect(error.problems.map((p) => p.field)).toEqual([
      'faultCounts.request-lost',
      'violations[0].evidence[4]',
      'trace[2].index',
      expect.stringMatching(/^history\.entries\[\d+\]\.length$/),
      'virtualMs',
      'steps',
    ]);
    expect(error.message).toContain(`virtualMs: expected an integer from 0 to ${MAX_RESULT_VIRTUAL_MS}`);
  });
});
