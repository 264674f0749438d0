/**
 * How the reliability suite judges one case. A bad input must end cleanly: exit 2, one line on
 * stderr naming the problem, nothing on stdout, no stack trace, nothing written, and promptly; a
 * case that runs past its time limit is a hang whatever it printed.
 */
import { readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';

export interface Outcome {
  /** Null when the process was killed (a hang, or a signal). */
  code: number | null;
  /** The signal that ended the process, when one did. */
  signal?: NodeJS.Signals | null;
  stdout: string;
  stderr: string;
  timedOut: boolean;
  wallMs: number;
}

export interface Judgement {
  name: string;
  /** Ended as the case expects (exit code, output, files). */
  passed: boolean;
  stackTrace: boolean;
  hang: boolean;
  /** What was wrong, for the failure list. */
  why: string[];
  wallMs: number;
}

const STACK_TRACE = /\n\s+at |internal error|^\s+at /m;

export function hasStackTrace(text: string): boolean {
  return STACK_TRACE.test(text);
}

/** Every path under `dir`, sorted: compared before and after a case to see what it wrote. */
export function treeOf(dir: string): string[] {
  const paths: string[] = [];
  const walk = (at: string, prefix: string) => {
    for (const entry of readdirSync(at, { withFileTypes: true })) {
      const path = `${prefix}${entry.name}`;
      paths.push(path);
      if (entry.isDirectory()) walk(join(at, entry.name), `${path}/`);
    }
  };
  if (statSync(dir, { throwIfNoEntry: false })?.isDirectory()) walk(dir, '');
  return paths.sort();
}

export function added(before: readonly string[], after: readonly string[]): string[] {
  const known = new Set(before);
  return after.filter((path) => !known.has(path));
}

/** Under --json the error is also one JSON object on stdout, naming it and the exit code. */
function isJsonError(stdout: string): boolean {
  try {
    const value = JSON.parse(stdout) as { error?: { message?: unknown }; exitCode?: unknown };
    return typeof value.error?.message === 'string' && value.exitCode === 2;
  } catch {
    return false;
  }
}

/**
 * The verdict on a bad input: exit 2, one `ssesim:` line on stderr, nothing written, and stdout
 * empty, or with `json` exactly one JSON object describing the error.
 */
export function judgeUsage(name: string, outcome: Outcome, written: readonly string[], json = false): Judgement {
  const why: string[] = [];
  const stackTrace = hasStackTrace(outcome.stderr) || hasStackTrace(outcome.stdout);
  if (outcome.timedOut) why.push(`no exit within the time limit (${outcome.wallMs} ms)`);
  else if (outcome.code !== 2) why.push(`exit ${outcome.code}, expected 2`);
  if (json ? !isJsonError(outcome.stdout) : outcome.stdout !== '')
    why.push(`stdout is not ${json ? 'one JSON error' : 'empty'}: ${JSON.stringify(outcome.stdout.slice(0, 120))}`);
  if (!/^ssesim: [^\n]+\n$/.test(outcome.stderr))
    why.push(`stderr is not one "ssesim:" line: ${JSON.stringify(outcome.stderr.slice(0, 200))}`);
  if (stackTrace) why.push('stack trace');
  if (written.length > 0) why.push(`wrote ${written.slice(0, 3).join(', ')}`);
  return { name, passed: why.length === 0, stackTrace, hang: outcome.timedOut, why, wallMs: outcome.wallMs };
}
