/**
 * Replay runs a repro on the transport it recorded: found where it was or, moved with the project,
 * where its recorded path points from here; an error when it is gone rather than a run of another
 * transport; a warning when its content changed or another module was named.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { dirname, join, relative } from 'node:path';
import { beforeAll, describe, expect, it } from 'vitest';
import { resolveVersion } from '../../transport/defects.ts';
import { runScenario } from '../run.ts';
import type { RunResult } from '../run-result.ts';
import { TINY_CALM } from '../testing/tiny-scenarios.ts';
import { DROP_SENDS_TRANSPORT, BUNDLED_ALIAS_TRANSPORT } from '../testing/transport-modules/paths.ts';
import { readRepro, writeRepro, type Repro } from './repro.ts';
import { replayRepro, reproTransport } from './replay.ts';
import { loadTransportModule, TransportModuleError, type TransportModule } from './transport-module.ts';

let dropSends: TransportModule;
let failing: RunResult;

beforeAll(async () => {
  dropSends = await loadTransportModule(DROP_SENDS_TRANSPORT);
  failing = await runScenario({
    scenario: TINY_CALM,
    seed: 4,
    version: resolveVersion('fixed'),
    factory: dropSends.factory,
  });
});

function reproOf(result: RunResult, module?: TransportModule): Repro {
  return readRepro(
    writeRepro(mkdtempSync(join(tmpdir(), 'ssesim-replay-')), result, { transport: module?.record }).path,
  );
}

describe('replayRepro', () => {
  it('runs on the recorded module and gives the recorded trace, without a warning', async () => {
    expect(failing.verdict).toBe('violation');
    const warnings: string[] = [];
    const replay = await replayRepro(reproOf(failing, dropSends), { onWarning: (line) => warnings.push(line) });
    expect(replay.traceHash).toBe(failing.traceHash);
    expect(warnings).toEqual([]);
  });

  it('refuses to run when the recorded module is gone, naming it', async () => {
    const repro = reproOf(failing, dropSends);
    repro.transport = { ...repro.transport!, path: 'gone/drop.ts', resolvedPath: '/nowhere/gone/drop.ts' };
    const error = await replayRepro(repro, { source: 'r.json' }).catch((err: unknown) => err);
    expect(error).toBeInstanceOf(TransportModuleError);
    expect((error as TransportModuleError).field).toBe('transport');
    expect((error as Error).message).toBe(
      'r.json: transport: recorded module gone/drop.ts is missing (not at /nowhere/gone/drop.ts nor at ' +
        `${join(process.cwd(), 'gone/drop.ts')}); pass --transport <module> to replay on another`,
    );
  });

  it('finds a moved project’s module by its recorded path, and keeps that path in commands', async () => {
    const repro = reproOf(failing, dropSends);
    const cwd = dirname(dirname(DROP_SENDS_TRANSPORT));
    const given = relative(cwd, DROP_SENDS_TRANSPORT);
    repro.transport = { ...repro.transport!, path: given, resolvedPath: '/elsewhere/drop-sends-transport.ts' };
    const module = await reproTransport(repro, { cwd });
    expect(module?.factory.name).toBe('drop-sends');
    expect(module?.record).toMatchObject({ path: given, resolvedPath: DROP_SENDS_TRANSPORT });
  });

  it('warns once when the module’s content is not what was recorded, and still replays', async () => {
    const repro = reproOf(failing, dropSends);
    repro.transport = { ...repro.transport!, sha256: '0'.repeat(64) };
    const warnings: string[] = [];
    const replay = await replayRepro(repro, { onWarning: (line) => warnings.push(line) });
    expect(replay.traceHash).toBe(failing.traceHash);
    expect(warnings).toHaveLength(1);
    expect(warnings[0]).toMatch(/^warning: transport module .*drop-sends-transport\.ts differs from the recorded one/);
  });

  it('replays on a module named instead of the recorded one, and says so', async () => {
    const bundled = await runScenario({ scenario: TINY_CALM, seed: 4, version: resolveVersion('fixed') });
    const warnings: string[] = [];
    const replay = await replayRepro(reproOf(bundled), {
      transport: BUNDLED_ALIAS_TRANSPORT,
      onWarning: (line) => warnings.push(line),
    });
    // The alias is the bundled transport under another name: the same run.
    expect(replay.traceHash).toBe(bundled.traceHash);
    expect(warnings).toEqual([
      `warning: the repro was recorded on the bundled transport; replaying on ${BUNDLED_ALIAS_TRANSPORT}`,
    ]);
  });
});
