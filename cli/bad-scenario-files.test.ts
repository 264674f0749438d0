/**
 * `ssesim run <file>` with a scenario file that is wrong in each way a person gets one wrong:
 * every case must exit 2 with one line on stderr that names the file and the field, and no stack
 * trace. The table runs through the CLI's `main` in this process (fast); one case also runs as a
 * real process, so the exit code reaching the shell is tested too.
 */
import { execFile } from 'node:child_process';
import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterEach, beforeAll, describe, expect, it, vi } from 'vitest';
import { TINY_CALM } from '../sim/testing/tiny-scenarios.ts';
import { main, USAGE_EXIT_CODE } from './program.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const TSX = join(ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');

type Json = Record<string, unknown>;
const calm = TINY_CALM as unknown as Json;

function without(value: Json, key: string): Json {
  const copy = { ...value };
  delete copy[key];
  return copy;
}

function withFaults(request: unknown, timed: unknown = {}): Json {
  return { ...calm, faults: { request, timed } };
}

/** [case, file text, what the one line must say] */
const CASES: [string, string, RegExp][] = [
  ['invalid JSON', '{ "name": "broken", ', /invalid JSON at line 1 column \d+/],
  ['an empty file', '', /invalid JSON/],
  ['a duplicate key', '{"name": "a", "name": "b"}', /duplicate key "name"/],
  ['an array instead of an object', '[1, 2]', /expected an object/i],
  ['clients as a string', JSON.stringify({ ...calm, clients: '2' }), /clients: .*integer/],
  ['clients as a fraction', JSON.stringify({ ...calm, clients: 1.5 }), /clients: .*integer/],
  ['faults as null', JSON.stringify({ ...calm, faults: null }), /faults: expected an object, got null/],
  [
    'a phase length as a boolean',
    JSON.stringify({ ...calm, phases: { chaosMs: true, healMs: 1000 } }),
    /phases\.chaosMs: expected an integer .*got true/,
  ],
  [
    'an unknown request fault',
    JSON.stringify(withFaults({ 'http-418': [1, 10] })),
    /faults\.request\.http-418: unknown fault/,
  ],
  [
    'an unknown timed fault',
    JSON.stringify(withFaults({}, { 'server-crsh': 2 })),
    /faults\.timed\.server-crsh: unknown fault/,
  ],
  [
    'a negative timed rate',
    JSON.stringify(withFaults({}, { 'server-crash': -1 })),
    /faults\.timed\.server-crash: expected a number greater than 0.*got -1$/,
  ],
  [
    'a negative request chance',
    JSON.stringify(withFaults({ 'http-503': [-1, 10] })),
    /faults\.request\.http-503: .*got \[-1,10\]$/,
  ],
  [
    'a chance above one',
    JSON.stringify(withFaults({ 'http-503': [11, 10] })),
    /faults\.request\.http-503: .*got \[11,10\]$/,
  ],
  [
    'a chance that is not a ratio',
    JSON.stringify(withFaults({ 'http-503': 0.1 })),
    /faults\.request\.http-503: .*got 0\.1$/,
  ],
  ['a missing top-level field', JSON.stringify(without(calm, 'phases')), /phases: missing field/],
  [
    'a missing nested field',
    JSON.stringify({ ...calm, workload: without(calm.workload as Json, 'promptsPerClient') }),
    /workload\.promptsPerClient: missing field/,
  ],
  [
    'min above max',
    JSON.stringify({ ...calm, network: { latencyMsMin: 50, latencyMsMax: 10 } }),
    /network\.latencyMsMin: 50 is greater than network\.latencyMsMax/,
  ],
  ['an unknown field', JSON.stringify({ ...calm, clientz: 2 }), /clientz: unknown field/],
];

let dir: string;

beforeAll(() => {
  dir = mkdtempSync(join(tmpdir(), 'ssesim-bad-scenario-'));
});

afterEach(() => {
  vi.restoreAllMocks();
});

/** Runs `ssesim run <path>` in this process and returns its exit code and what it wrote. */
async function runInProcess(path: string): Promise<{ code: number; stdout: string; stderr: string }> {
  let stdout = '';
  let stderr = '';
  vi.spyOn(process.stdout, 'write').mockImplementation(
    (chunk: string | Uint8Array) => ((stdout += String(chunk)), true),
  );
  vi.spyOn(process.stderr, 'write').mockImplementation(
    (chunk: string | Uint8Array) => ((stderr += String(chunk)), true),
  );
  const code = await main(['run', path]);
  vi.restoreAllMocks();
  return { code, stdout, stderr };
}

function fileFor(name: string, text: string): string {
  const path = join(dir, `${name.replace(/[^a-z0-9]+/gi, '-')}.json`);
  writeFileSync(path, text);
  return path;
}

describe('ssesim run with a bad scenario file', () => {
  it.each(CASES)('%s: exit 2, one line naming the file and the field', async (name, text, says) => {
    const path = fileFor(name, text);
    const exit = await runInProcess(path);
    expect(exit.code).toBe(USAGE_EXIT_CODE);
    expect(exit.stdout).toBe('');
    const lines = exit.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toContain(path);
    expect(lines[0]).toMatch(says);
    expect(lines[0]).not.toMatch(/internal error|\bat .*\.ts:\d+/);
  });

  it('names all three problems of a file with three, on one line, from a real process', async () => {
    const text = JSON.stringify({
      ...calm,
      clients: 0,
      network: { latencyMsMin: 50, latencyMsMax: 10 },
      faults: { request: { 'http-418': [1, 10] }, timed: {} },
    });
    const path = fileFor('three-problems', text);
    const exit = await new Promise<{ code: number; stdout: string; stderr: string }>((resolve) => {
      execFile(process.execPath, [TSX, join(ROOT, 'cli.ts'), 'run', path], { cwd: ROOT }, (error, stdout, stderr) => {
        resolve({ code: error ? Number(error.code) : 0, stdout, stderr });
      });
    });
    expect(exit.code).toBe(USAGE_EXIT_CODE);
    expect(exit.stdout).toBe('');
    const lines = exit.stderr.trimEnd().split('\n');
    expect(lines).toHaveLength(1);
    expect(lines[0]).toMatch(new RegExp(`^ssesim: ${path}: `));
    expect(lines[0]).toContain('clients: expected an integer from 1 to 8, got 0');
    expect(lines[0]).toContain('network.latencyMsMin: 50 is greater than network.latencyMsMax (10)');
    expect(lines[0]).toContain('faults.request.http-418: unknown fault kind');
    expect(exit.stderr).not.toMatch(/internal error|\n\s+at /);
  });

  it('exits 2 from a real process too', async () => {
    const path = fileFor('process-negative-rate', JSON.stringify(withFaults({}, { 'stream-drop': -3 })));
    const exit = await new Promise<{ code: number; stderr: string }>((resolve) => {
      execFile(process.execPath, [TSX, join(ROOT, 'cli.ts'), 'run', path], { cwd: ROOT }, (error, _stdout, stderr) => {
        resolve({ code: error ? Number(error.code) : 0, stderr });
      });
    });
    expect(exit.code).toBe(USAGE_EXIT_CODE);
    expect(exit.stderr.trimEnd().split('\n')).toEqual([expect.stringMatching(/faults\.timed\.stream-drop: /)]);
  });
});
