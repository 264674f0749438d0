/**
 * A campaign of a transport module through the library: given by path, its runs, shrinks and
 * culprit experiments use the module, and every repro it leaves (the first failure's and the
 * shrunk one) records the module.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveVersion } from '../../transport/defects.ts';
import { readRepro } from '../files/repro.ts';
import { runVersionOf } from '../run-version.ts';
import { TINY_CALM } from '../testing/tiny-scenarios.ts';
import { DROP_SENDS_TRANSPORT } from '../testing/transport-modules/paths.ts';
import { runCampaign } from './campaign.ts';

describe('runCampaign with a transport module', () => {
  it('runs the module and records it in every repro', async () => {
    const result = await runCampaign({
      version: runVersionOf(resolveVersion('fixed')),
      baseSeed: 1,
      scenario: TINY_CALM,
      runs: 2,
      shrinkRuns: 3,
      transport: DROP_SENDS_TRANSPORT,
      outDir: mkdtempSync(join(tmpdir(), 'ssesim-campaign-transport-')),
    });
    expect(result.transport?.factory.name).toBe('drop-sends');
    expect(result.spec.transport?.resolvedPath).toBe(DROP_SENDS_TRANSPORT);
    const [finding] = result.findings;
    expect(finding?.property).toBe('no-silent-loss');
    const repros = [finding!.repro, ...(finding!.shrunk ? [finding!.shrunk.repro] : [])];
    expect(repros.length).toBe(2);
    for (const repro of repros) expect(readRepro(repro).transport?.resolvedPath).toBe(DROP_SENDS_TRANSPORT);
    // The culprit experiments reproduced the failure, so they ran the module too: the bundled transport passes.
    expect(finding!.culprits.defects.status).toBe('no-defect');
  });
});
