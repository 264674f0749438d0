/**
 * Runs the CLI as a real process, as a user's shell would, for tests that need one (exit codes
 * from a process, output a process flushes): the sources through tsx, from the repository root
 * unless told otherwise. In-process calls (run-main.ts) are faster where a process is not needed.
 */
import { execFile } from 'node:child_process';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = fileURLToPath(new URL('../..', import.meta.url));
const TSX_CLI = join(REPO_ROOT, 'node_modules', 'tsx', 'dist', 'cli.mjs');
/** Enough for the largest --json output a test reads (a campaign's rows). */
const MAX_OUTPUT_BYTES = 64 * 1024 * 1024;

export interface CliExit {
  code: number;
  stdout: string;
  stderr: string;
}

export function runCliProcess(args: readonly string[], options: { cwd?: string } = {}): Promise<CliExit> {
  return new Promise((resolve) => {
    execFile(
      process.execPath,
      [TSX_CLI, join(REPO_ROOT, 'cli.ts'), ...args],
      { cwd: options.cwd ?? REPO_ROOT, maxBuffer: MAX_OUTPUT_BYTES },
      (error, stdout, stderr) => {
        const code = error ? (typeof error.code === 'number' ? error.code : -1) : 0;
        resolve({ code, stdout, stderr });
      },
    );
  });
}
