/**
 * One property's failure files: claimed once, rewritten with each later failure, and left alone
 * (a new name claimed) once someone else has touched one of them.
 */
import { mkdtempSync, readdirSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveVersion } from '../transport/defects.ts';
import { runScenario } from '../sim/run.ts';
import { readRepro } from '../sim/files/repro.ts';
import { TINY_CALM } from '../sim/testing/tiny-scenarios.ts';
import dropSends from '../sim/testing/transport-modules/drop-sends-transport.ts';
import { FailureFiles } from './failure-files.ts';

const failing = (seed: number) =>
  runScenario({ scenario: TINY_CALM, seed, version: resolveVersion('fixed'), factory: dropSends });

describe('FailureFiles', () => {
  it('rewrites its own files with each failure, so they hold the latest', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssesim-failure-files-'));
    const files = new FailureFiles(dir, 'property-x');
    const first = files.write(await failing(1), undefined);
    const second = files.write(await failing(2), undefined);
    expect(second).toEqual(first);
    expect(readRepro(second.repro).seed).toBe(2);
    expect(readFileSync(second.report, 'utf8')).toContain('seed 2');
    // The report names the repro beside it and the command that replays it.
    expect(readFileSync(second.report, 'utf8')).toContain(`>npx ssesim replay ${second.repro}</pre>`);
    expect(readdirSync(dir).sort()).toEqual(['property-x.html', 'property-x.json', 'property-x.trace.jsonl']);
  });

  it('claims new names once one of its files was changed by someone else, and leaves that file be', async () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssesim-failure-files-'));
    const files = new FailureFiles(dir, 'property-x');
    const first = files.write(await failing(1), undefined);
    writeFileSync(first.report, 'annotated by hand');
    const second = files.write(await failing(2), undefined);
    expect(second.repro).toBe(join(dir, 'property-x-2.json'));
    expect(second.report).toBe(join(dir, 'property-x-2.html'));
    expect(readFileSync(first.report, 'utf8')).toBe('annotated by hand');
    expect(readRepro(first.repro).seed).toBe(1);
  });
});
