/**
 * The package as a user gets it: `npm pack`, installed into a fresh project that has none of our
 * dev tools (only vitest, fast-check and TypeScript from the registry, as a user's project would),
 * and used there through its public entries only: the `ssesim` executable, `import 'ssesim'`, a
 * type-check of the declarations with skipLibCheck off, and the user-project example's property
 * tests, one passing and one failing with a replay command that then replays the failure.
 *
 * Slow (better-sqlite3 compiles from source during the install), so it runs on its own:
 * `npm run test:package`, never in `npm test`.
 */
import { execFile } from 'node:child_process';
import { cpSync, mkdtempSync, readFileSync, readdirSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { beforeAll, describe, expect, it } from 'vitest';

const ROOT = fileURLToPath(new URL('.', import.meta.url));
const EXAMPLE = join(ROOT, 'examples', 'user-project');
/** What a user's Node project would have next to ours (zod's declarations need Node's globals, like URL). */
const USER_DEV_DEPENDENCIES = ['vitest@^4.1.0', 'fast-check@^4.0.0', 'typescript@^5.9.0', '@types/node@^20'];
/** As in our own package.json: the dependencies whose install scripts build what they need. */
const ALLOW_SCRIPTS = { 'better-sqlite3': true, esbuild: true };

interface Exit {
  code: number;
  stdout: string;
  stderr: string;
}

/** The environment a user's shell would have: none of the variables `npm run` sets for our own package. */
function userEnv(): NodeJS.ProcessEnv {
  const env: NodeJS.ProcessEnv = { ...process.env, NO_COLOR: '1', FORCE_COLOR: '0' };
  for (const key of Object.keys(env)) if (/^npm_(package|lifecycle)_|^INIT_CWD$/.test(key)) delete env[key];
  return env;
}

function sh(cwd: string, command: string, args: string[]): Promise<Exit> {
  return new Promise((resolve) => {
    execFile(command, args, { cwd, env: userEnv(), maxBuffer: 64 * 1024 * 1024 }, (error, stdout, stderr) => {
      resolve({ code: error ? (typeof error.code === 'number' ? error.code : -1) : 0, stdout, stderr });
    });
  });
}

/** Fails with the command's own output, which is what explains a failed install or build. */
function expectExit(exit: Exit, code: number): void {
  if (exit.code !== code) throw new Error(`exit ${exit.code}, expected ${code}\n${exit.stdout}\n${exit.stderr}`);
}

let project: string;
let packedFiles: string[];

beforeAll(async () => {
  const work = mkdtempSync(join(tmpdir(), 'ssesim-package-'));
  expectExit(await sh(ROOT, 'npm', ['run', 'build']), 0);
  const pack = await sh(ROOT, 'npm', ['pack', '--json', '--ignore-scripts', '--pack-destination', work]);
  expectExit(pack, 0);
  const [packed] = JSON.parse(pack.stdout) as { filename: string; files: { path: string }[] }[];
  packedFiles = packed!.files.map((file) => file.path);
  project = join(work, 'user-project');
  cpSync(EXAMPLE, project, { recursive: true });
  writeFileSync(
    join(project, 'package.json'),
    JSON.stringify({ name: 'user-project', private: true, type: 'module', allowScripts: ALLOW_SCRIPTS }),
  );
  const install = ['install', '--no-audit', '--no-fund', '--prefer-offline'];
  expectExit(await sh(project, 'npm', [...install, join(work, packed!.filename), ...USER_DEV_DEPENDENCIES]), 0);
}, 900_000);

describe('the packed package', () => {
  it('ships the compiled entries and no test code', () => {
    for (const entry of ['dist/index.js', 'dist/index.d.ts', 'dist/vitest.js', 'dist/vitest.d.ts', 'bin/ssesim.js'])
      expect(packedFiles).toContain(entry);
    // Sources and tests stay home; transport/testing ships, since the transport's index offers its fake env.
    expect(packedFiles.filter((path) => /\.test\.|\.ts$/.test(path) && !path.endsWith('.d.ts'))).toEqual([]);
  });

  it('runs as `npx ssesim`', async () => {
    const exit = await sh(project, 'npx', ['ssesim', 'list']);
    expectExit(exit, 0);
    expect(exit.stdout).toContain('scenarios:');
  });

  it('imports from node, both entries', async () => {
    const script =
      "const m = await import('ssesim'); const v = await import('ssesim/vitest');" +
      'console.log(typeof m.runScenario, typeof m.scenarioArb, typeof v.transportProperty)';
    const exit = await sh(project, process.execPath, ['--input-type=module', '-e', script]);
    expectExit(exit, 0);
    expect(exit.stdout.trim()).toBe('function function function');
  });

  it('type-checks in a strict project with skipLibCheck off', async () => {
    expectExit(await sh(project, 'npx', ['tsc', '--noEmit', '-p', 'tsconfig.json']), 0);
  });
});

describe("a user's property tests", () => {
  it('pass for a transport that re-exports the bundled one', async () => {
    const exit = await sh(project, 'npx', ['vitest', 'run', 'bundled.test.ts']);
    expectExit(exit, 0);
    expect(exit.stdout).toMatch(/Tests\s+1 passed/);
  });

  let replay: string[];

  it('fail for a client that drops every send, with the command that replays the failure', async () => {
    const exit = await sh(project, 'npx', ['vitest', 'run', 'drop-sends.test.ts']);
    expectExit(exit, 1);
    const output = exit.stdout + exit.stderr;
    expect(output).toMatch(/no-silent-loss( x\d+)?: prompt /);
    const command = /replay: (npx ssesim replay \S+ --transport \.\/drop-sends-transport\.ts)/.exec(output);
    expect(command).not.toBeNull();
    replay = command![1]!.split(' ');
    expect(readdirSync(join(project, '.ssesim', 'repros')).sort()).toEqual([
      'property-drop-sends.html',
      'property-drop-sends.json',
      'property-drop-sends.trace.jsonl',
    ]);
  });

  it('without a TypeScript loader, that replay says in one line how to get one', async () => {
    const exit = await sh(project, replay[0]!, replay.slice(1));
    expectExit(exit, 2);
    expect(exit.stderr.trimEnd().split('\n')).toHaveLength(1);
    expect(exit.stderr).toContain('./drop-sends-transport.ts: transport module is TypeScript');
    expect(exit.stderr).toContain('npm install --save-dev tsx');
  });

  it('with tsx in the project, the replay command replays the failure identically', async () => {
    expectExit(await sh(project, 'npm', ['install', '--no-audit', '--no-fund', '--prefer-offline', 'tsx@^4']), 0);
    const exit = await sh(project, replay[0]!, replay.slice(1));
    expectExit(exit, 1);
    expect(exit.stdout).toMatch(/^identical: trace [0-9a-f]{64}/);
  });

  it('with tsx in the project, campaign worker threads load the TypeScript module too', async () => {
    const args = ['--scenario', 'calm', '--runs', '4', '--workers', '2', '--shrink-runs', '0', '--json'];
    const exit = await sh(project, 'npx', ['ssesim', 'fuzz', ...args, '--transport', './drop-sends-transport.ts']);
    expectExit(exit, 1);
    expect(JSON.parse(exit.stdout)).toMatchObject({ runs: 4, failures: 4, workers: 2 });
  });

  it("the replay command a finding's report shows, pasted into the project, replays it identically", async () => {
    const args = ['--transport-version', 'pr396', '--runs', '3', '--shrink-runs', '10', '--culprit-runs', '0'];
    expectExit(await sh(project, 'npx', ['ssesim', 'fuzz', ...args, '--out', 'campaign']), 1);
    const html = readFileSync(join(project, 'campaign', 'finding-1', 'report.html'), 'utf8');
    const shown = /<pre class="command" id="replay-command">([^<]+)<\/pre>/.exec(html)?.[1];
    expect(shown).toMatch(/^npx ssesim replay \S+\.json$/);
    const command = shown!.replaceAll('&quot;', '"').replaceAll('&amp;', '&').split(' ');
    const exit = await sh(project, command[0]!, command.slice(1));
    expectExit(exit, 1);
    expect(exit.stdout).toMatch(/^identical: trace [0-9a-f]{64}/);
  });
});
