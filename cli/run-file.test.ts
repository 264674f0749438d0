import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { sampleRun } from '../reports/testing/sample-run.ts';
import { ReproError } from '../sim/files/repro-error.ts';
import { loadRunFile } from './run-file.ts';

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
    expect(error.message).toMatch(new RegExp(`^${path}: seed: missing field; verdict: expected a string, got 3; .*`));
    expect(error.message).toMatch(/got 0 \(expected a repro file or a run result\.json\)$/);
  });

  it('says what the file should be when it is not an object', async () => {
    expect((await problemOf(resultFile([1]))).message).toMatch(
      /: \(root\): expected an object, got \[1\] \(expected a repro file or a run result\.json\)$/,
    );
  });
});
