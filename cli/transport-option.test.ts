/**
 * `--transport <module>` through real processes (`tsx cli.ts ...`): a module's runs, its repros
 * (which record it and whose replay command names it), replay on the recorded module or a clear
 * exit 2 when it is gone, campaigns whose worker threads load it by path, shrinking, and one line
 * on stderr for each way a module can be wrong.
 */
import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join, relative } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';
import { runCliProcess, type CliExit } from './testing/cli-process.ts';
import { TINY_CALM } from '../sim/testing/tiny-scenarios.ts';
import { DROP_SENDS_TRANSPORT, BUNDLED_ALIAS_TRANSPORT } from '../sim/testing/transport-modules/paths.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
/** The module as a user in the repository's root would name it. */
const DROP_SENDS = relative(ROOT, DROP_SENDS_TRANSPORT);

type Exit = CliExit;
const cli = (...args: string[]): Promise<Exit> => runCliProcess(args);

function expectOneLineError(exit: Exit, pattern: RegExp): void {
  expect(exit.code).toBe(2);
  expect(exit.stdout).toBe('');
  expect(exit.stderr.trimEnd().split('\n')).toHaveLength(1);
  expect(exit.stderr).toMatch(pattern);
}

let dir: string;
let calm: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ssesim-transport-cli-'));
  calm = join(dir, 'tiny-calm.json');
  writeFileSync(calm, JSON.stringify(TINY_CALM));
});

const freshDir = (name: string) => mkdtempSync(join(dir, `${name}-`));
const runJson = async (...args: string[]) =>
  JSON.parse((await cli('run', calm, '--seed', '4', '--json', ...args)).stdout);

describe('ssesim run --transport', () => {
  it('runs the module: the bundled transport under another name gives the bundled run', async () => {
    const [bundled, alias] = await Promise.all([runJson(), runJson('--transport', BUNDLED_ALIAS_TRANSPORT)]);
    expect(alias.traceHash).toBe(bundled.traceHash);
    expect(alias.transport).toMatchObject({ path: BUNDLED_ALIAS_TRANSPORT, resolvedPath: BUNDLED_ALIAS_TRANSPORT });
  });

  it('writes a repro that records the module and whose replay command names it', async () => {
    const exit = await cli('run', calm, '--seed', '4', '--out', freshDir('run'), '--transport', DROP_SENDS);
    expect(exit.code).toBe(1);
    const repro = /repro (\S+)/.exec(exit.stdout)![1]!;
    expect(exit.stdout).toContain(`replay with: npx ssesim replay ${repro} --transport ${DROP_SENDS}`);
    const written = JSON.parse(readFileSync(repro, 'utf8'));
    expect(written.transport).toMatchObject({ path: DROP_SENDS, resolvedPath: DROP_SENDS_TRANSPORT });
    const replay = await cli('replay', repro);
    expect(replay.code).toBe(1);
    expect(replay.stdout).toMatch(/^identical: /);
    expect(replay.stderr).toBe('');
  });

  it.each([
    ['missing', null, /^ssesim: no-such\.mjs: transport module not found: no file at \//],
    ['without a default export', 'export const x = 1;', /has no default export/],
    [
      'missing a member',
      'export default { name: "x", createStore() {}, createServer() {} };',
      /createClient is missing/,
    ],
    ['throwing on load', 'throw new Error("boom");', /transport module failed to load: Error: boom/],
  ])('exits 2 with one line for a module %s', { concurrent: true }, async (_, body, pattern) => {
    const module = join(freshDir('bad'), 'no-such.mjs');
    if (body !== null) writeFileSync(module, body);
    const exit = await runCliProcess(['run', calm, '--transport', 'no-such.mjs'], { cwd: join(module, '..') });
    expectOneLineError(exit, pattern);
  });
});

describe('ssesim replay of a transport module’s repro', () => {
  async function droppedRepro(): Promise<string> {
    const json = await runJson('--out', freshDir('replay'), '--transport', DROP_SENDS);
    return json.repro;
  }

  it('exits 2 with one line when the recorded module is gone, instead of running another transport', async () => {
    const repro = await droppedRepro();
    const value = JSON.parse(readFileSync(repro, 'utf8'));
    value.transport = { ...value.transport, path: 'moved.ts', resolvedPath: '/nowhere/moved.ts' };
    writeFileSync(repro, JSON.stringify(value));
    expectOneLineError(await cli('replay', repro), /transport: recorded module moved\.ts is missing/);
  });

  it('warns on one line when the module differs from the recorded one, and replays it', async () => {
    const repro = await droppedRepro();
    const exit = await cli('replay', repro, '--transport', BUNDLED_ALIAS_TRANSPORT);
    expect(exit.code).toBe(0);
    expect(exit.stdout).toMatch(/^DIVERGED/);
    expect(exit.stderr).toMatch(
      /^warning: transport module .*bundled-alias-transport\.ts differs from the recorded one .*\n$/,
    );
  });
});

describe('ssesim fuzz and shrink --transport', () => {
  const fuzzJson = async (workers: string) => {
    const args = ['--scenario', calm, '--runs', '4', '--shrink-runs', '0', '--json', '--workers', workers];
    const exit = await cli('fuzz', ...args, '--out', freshDir(`fuzz${workers}`), '--transport', DROP_SENDS);
    expect(exit.code).toBe(1);
    return JSON.parse(exit.stdout);
  };

  it('loads the module in every worker thread, and finds the same as one thread', async () => {
    const [one, two] = await Promise.all([fuzzJson('1'), fuzzJson('2')]);
    expect(two.failures).toBe(4);
    const withoutRepro = (json: { findings: { repro: string }[] }) =>
      json.findings.map(({ repro: _, ...rest }) => rest);
    expect(withoutRepro(two)).toEqual(withoutRepro(one));
    const repro = JSON.parse(readFileSync(two.findings[0].repro, 'utf8'));
    expect(repro.transport.path).toBe(DROP_SENDS);
  });

  it('shrinks on the recorded module and records it in the shrunk repro', async () => {
    const json = await runJson('--out', freshDir('shrink'), '--transport', DROP_SENDS);
    const exit = await cli('shrink', json.repro, '--runs', '5', '--json');
    expect(exit.code).toBe(1);
    const shrunk = JSON.parse(readFileSync(JSON.parse(exit.stdout).repro, 'utf8'));
    expect(shrunk.transport.path).toBe(DROP_SENDS);
    expect(shrunk.command).toContain(`--transport ${DROP_SENDS}`);
  });

  it('refuses to promote a run of another transport to a regression of the bundled one', async () => {
    const exit = await cli('score', '--promote', '--transport', DROP_SENDS, '--defect', 'send-silent-drop');
    expectOneLineError(exit, /--promote saves regressions of the bundled transport/);
  });
});
