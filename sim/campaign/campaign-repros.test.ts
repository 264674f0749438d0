import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveVersion } from '../../transport/defects.ts';
import { runVersionOf } from '../run-version.ts';
import { TINY_FAULTY } from '../testing/tiny-scenarios.ts';
import { CampaignRepros } from './campaign-repros.ts';
import { outcomeOf, runCampaignIndex, type CampaignSpec } from './campaign-run.ts';

const SPEC: CampaignSpec = { version: runVersionOf(resolveVersion('base')), baseSeed: 3, scenario: TINY_FAULTY };

async function failingIndex(): Promise<number> {
  for (let index = 0; index < 40; index++) {
    const result = await runCampaignIndex(SPEC, index, undefined, undefined, 'hash');
    if (result.verdict !== 'passed') return index;
  }
  throw new Error('no failing run of TINY_FAULTY on base in 40 seeds');
}

describe('a campaign run keeps only its trace hash', () => {
  it('hashes as the full run does, and its trace cannot be read', async () => {
    const full = await runCampaignIndex(SPEC, 0);
    const hashOnly = await runCampaignIndex(SPEC, 0, undefined, undefined, 'hash');
    expect(hashOnly.traceHash).toBe(full.traceHash);
    expect(hashOnly.traceLength).toBe(full.traceLength);
    expect(full.traceKept).toBe(true);
    expect(full.trace).toHaveLength(full.traceLength);
    expect(hashOnly.traceKept).toBe(false);
    expect(() => hashOnly.trace).toThrow(/kept only its hash/);
  });

  it('is rerun with its trace for a repro, and the rerun must hash as the run did', async () => {
    const index = await failingIndex();
    const outcome = outcomeOf(await runCampaignIndex(SPEC, index, undefined, undefined, 'hash'), index);
    const repros = new CampaignRepros(SPEC, mkdtempSync(join(tmpdir(), 'ssesim-repros-')));
    const written = await repros.note(outcome);
    expect(written.length).toBeGreaterThan(0);
    expect((await repros.result(index)).trace.length).toBeGreaterThan(0);

    const forged = { ...outcome, traceHash: '0'.repeat(64) };
    const other = new CampaignRepros(SPEC, mkdtempSync(join(tmpdir(), 'ssesim-repros-')));
    await expect(other.note(forged)).rejects.toThrow(/not deterministic/);
  });
});
