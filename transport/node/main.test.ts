/**
 * The Node entry point as a person starts it: a real process through tsx. Every argument it
 * cannot work with (an empty or invalid host, a port out of range, a database it cannot open)
 * must end as one line on stderr and exit code 2, never a stack trace.
 */
import { spawn } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { afterAll, describe, expect, it } from 'vitest';

const here = path.dirname(fileURLToPath(import.meta.url));
const MAIN = path.join(here, 'main.ts');
const TSX = path.join(here, '..', '..', 'node_modules', '.bin', 'tsx');
/** Starting tsx takes a second or two on a busy machine; a hung process fails well before vitest's own limit. */
const PROCESS_TIMEOUT_MS = 20_000;

interface Exit {
  code: number | null;
  stdout: string;
  stderr: string;
}

function runMain(args: string[], options: { stopAfterStdout?: boolean } = {}): Promise<Exit> {
  return new Promise((resolve, reject) => {
    const child = spawn(TSX, [MAIN, ...args], { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    const timer = setTimeout(() => child.kill('SIGKILL'), PROCESS_TIMEOUT_MS);
    child.stdout.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (options.stopAfterStdout && stdout.includes('\n')) child.kill('SIGTERM');
    });
    child.stderr.setEncoding('utf8').on('data', (chunk: string) => (stderr += chunk));
    child.on('error', reject);
    child.on('close', (code) => {
      clearTimeout(timer);
      resolve({ code, stdout, stderr });
    });
  });
}

const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssesim-main-'));
afterAll(() => fs.rmSync(dir, { recursive: true, force: true }));
const db = path.join(dir, 'chat.db');
const notADatabase = path.join(dir, 'notes.txt');
fs.writeFileSync(notADatabase, 'these are notes, not SQLite\n'.repeat(20));

describe('transport/node/main.ts', () => {
  const cases: [string, string[], RegExp][] = [
    ['an empty --host', ['--db', db, '--host', ''], /--host .*empty/],
    ['a --host that is no address or name', ['--db', db, '--host', 'bad host!'], /--host .*"bad host!"/],
    // TEST-NET-3 (RFC 5737) is never a local interface, so binding to it fails.
    ['a --host that is no local interface', ['--db', db, '--host', '203.0.113.7', '--port', '0'], /203\.0\.113\.7/],
    ['a --port out of range', ['--db', db, '--port', '70000'], /--port must be 0\.\.65535, got "70000"/],
    ['an empty --port', ['--db', db, '--port', ''], /--port must be 0\.\.65535, got ""/],
    ['a --port that is no number', ['--db', db, '--port', 'abc'], /--port .*"abc"/],
    ['no --db', ['--port', '0'], /--db is required/],
    [
      'a --db in a missing directory',
      ['--db', path.join(dir, 'missing', 'x.db'), '--port', '0'],
      /cannot open database/,
    ],
    ['a --db under a plain file', ['--db', path.join(notADatabase, 'x.db'), '--port', '0'], /cannot open database/],
    ['a --db that is not a database', ['--db', notADatabase, '--port', '0'], /cannot open database .*not a database/],
    ['a --db that is a directory', ['--db', dir, '--port', '0'], /cannot open database/],
  ];

  it.each(cases)(
    'exits 2 with one line on stderr for %s',
    async (_what, args, message) => {
      const exit = await runMain(args);
      expect(exit.code).toBe(2);
      expect(exit.stdout).toBe('');
      expect(exit.stderr.endsWith('\n')).toBe(true);
      expect(exit.stderr.trimEnd().split('\n')).toHaveLength(1);
      expect(exit.stderr).toMatch(message);
      expect(exit.stderr).not.toMatch(/^\s+at /m);
    },
    PROCESS_TIMEOUT_MS + 5_000,
  );

  it(
    'binds loopback by default and stops cleanly on SIGTERM',
    async () => {
      const exit = await runMain(['--db', db, '--port', '0'], { stopAfterStdout: true });
      expect(exit.stdout).toMatch(/^ssesim chat server \(fixed\) on http:\/\/127\.0\.0\.1:\d+, db /);
      expect(exit.stderr).toBe('');
      expect(exit.code).toBe(0);
    },
    PROCESS_TIMEOUT_MS + 5_000,
  );
});
