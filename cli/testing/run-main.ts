/**
 * Runs the CLI's `main(argv)` in this process with stdout and stderr captured: the exit code and
 * the output a spawned `ssesim` would give, at a fraction of a process start. For tests and the
 * reliability suite; cases that need a real process (signals, hangs) spawn one instead.
 */
import { main } from '../program.ts';

export interface MainExit {
  code: number;
  stdout: string;
  stderr: string;
}

export async function runMain(argv: readonly string[]): Promise<MainExit> {
  const out: string[] = [];
  const err: string[] = [];
  const writeOut = process.stdout.write;
  const writeErr = process.stderr.write;
  const capture =
    (into: string[]) =>
    (chunk: string | Uint8Array): boolean => {
      into.push(typeof chunk === 'string' ? chunk : Buffer.from(chunk).toString('utf8'));
      return true;
    };
  process.stdout.write = capture(out) as typeof process.stdout.write;
  process.stderr.write = capture(err) as typeof process.stderr.write;
  try {
    const code = await main(argv);
    return { code, stdout: out.join(''), stderr: err.join('') };
  } finally {
    process.stdout.write = writeOut;
    process.stderr.write = writeErr;
  }
}
