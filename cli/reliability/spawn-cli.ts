/**
 * Real `ssesim` processes for the cases an in-process call cannot show (a hang, a signal): the CLI
 * started with `node --import tsx cli.ts`, a time limit after which it is killed and counted as a
 * hang, and a pool that keeps at most POOL_SIZE of them running at once.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import * as timers from 'node:timers';
import { fileURLToPath } from 'node:url';
import { wallClockMs } from '../../sim/core/clock.ts';
import type { Outcome } from './outcome.ts';

/** Two processes at once: the suite must finish in minutes on a two-core machine. */
export const POOL_SIZE = 2;
export const CLI_PATH = fileURLToPath(new URL('../../cli.ts', import.meta.url));
/** Resolved here, so a process can run in any working directory (a scratch one, to see what it writes). */
const TSX_LOADER = import.meta.resolve('tsx');

export interface SpawnOptions {
  cwd: string;
  timeoutMs: number;
  /** Called with the process once it runs, to send it signals. */
  onStart?: (child: ChildProcess, output: { stdout: () => string; stderr: () => string }) => void;
}

export function spawnCli(args: readonly string[], options: SpawnOptions): Promise<Outcome> {
  const startMs = wallClockMs();
  const child = spawn(process.execPath, ['--import', TSX_LOADER, CLI_PATH, ...args], {
    cwd: options.cwd,
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  let stdout = '';
  let stderr = '';
  child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString('utf8')));
  child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString('utf8')));
  let timedOut = false;
  const timer = timers.setTimeout(() => {
    timedOut = true;
    child.kill('SIGKILL');
  }, options.timeoutMs);
  options.onStart?.(child, { stdout: () => stdout, stderr: () => stderr });
  return new Promise((resolve) => {
    // 'close', not 'exit': the output may still be arriving when the process has exited.
    child.on('close', (code) => {
      timers.clearTimeout(timer);
      resolve({ code, stdout, stderr, timedOut, wallMs: Math.round(wallClockMs() - startMs) });
    });
  });
}

/** Runs the tasks with at most `size` at once, keeping their order in the results. */
export async function inPool<T>(tasks: readonly (() => Promise<T>)[], size = POOL_SIZE): Promise<T[]> {
  const results: T[] = new Array(tasks.length);
  let next = 0;
  const worker = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.min(size, tasks.length) }, worker));
  return results;
}
