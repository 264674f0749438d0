/**
 * Strings from a repro reach the terminal escaped: a version name carrying escape sequences
 * (retitle the window, clear the screen, the one-byte CSI) is printed as visible text.
 */
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runScenario } from '../sim/run.ts';
import { toRepro } from '../sim/files/repro.ts';
import { resolveVersion } from '../transport/defects.ts';
import { TINY_CALM } from '../sim/testing/tiny-scenarios.ts';
import { runMain } from './testing/run-main.ts';

const HOSTILE_NAME = 'fixed\u001b]0;owned\u0007\u001b[2J\u009b31m\u202e';

describe('terminal output of file-supplied strings', () => {
  it('replay prints a crafted version name with its control characters made visible', async () => {
    const result = await runScenario({ scenario: TINY_CALM, seed: 1, version: resolveVersion('fixed') });
    const file = join(mkdtempSync(join(tmpdir(), 'ssesim-terminal-')), 'repro.json');
    const repro = toRepro(result, file);
    writeFileSync(file, JSON.stringify({ ...repro, version: { ...repro.version, name: HOSTILE_NAME } }));
    for (const argv of [
      ['replay', file],
      ['replay', file, '--json'],
    ]) {
      const exit = await runMain(argv);
      expect(exit.code).toBe(0);
      expect(exit.stdout + exit.stderr).not.toMatch(/[\u0000-\u0009\u000b-\u001f\u007f-\u009f\u202e]/);
    }
    const text = await runMain(['replay', file]);
    expect(text.stdout).toContain('version fixed\\x1b]0;owned\\x07\\x1b[2J\\x9b31m\\u202e');
  });
});
