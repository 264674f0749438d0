/**
 * `ssesim clean [DIR]`: removes what ssesim wrote in its working folder (`.ssesim/` by default):
 * the main job's `latest/` and `previous-N/` folders and the repros (with their traces) in
 * `repros/`. It asks nothing, so it touches nothing else: a file a user put there stays, a
 * folder not named `.ssesim` is refused, and every removal is listed.
 */
import { existsSync, readdirSync, rmSync, rmdirSync, statSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { SSESIM_DIR } from './paths.ts';
import { printJson, printOut } from './output.ts';
import { UsageError } from './usage-error.ts';

export interface CleanOptions {
  json?: boolean;
}

/** Folders the main job makes and fills with its own files only. */
const JOB_DIR = /^(latest|previous-\d+)$/;
/** Repro files and their trace sidecars (sim/files/repro.ts names them). */
const REPRO_FILE = /^repro-.*(\.json|\.trace\.jsonl)$/;
const REPROS_DIR = 'repros';

export function cleanCommand(dirArg: string | undefined, options: CleanOptions): number {
  const dir = dirArg ?? SSESIM_DIR;
  if (basename(resolve(dir)) !== basename(SSESIM_DIR))
    throw new UsageError(`clean: ${dir} is not an ssesim folder (only a folder named ${SSESIM_DIR} is cleaned)`);
  const removed = existsSync(dir) ? removeOwnEntries(dir) : [];
  if (options.json) printJson({ dir, removed });
  else if (removed.length === 0) printOut(`clean: nothing of ssesim's in ${dir}`);
  else printOut([`clean: removed from ${dir}:`, ...removed.map((path) => `  ${path}`)].join('\n'));
  return 0;
}

function removeOwnEntries(dir: string): string[] {
  if (!statSync(dir).isDirectory()) throw new UsageError(`clean: ${dir} is not a folder`);
  const removed: string[] = [];
  for (const name of readdirSync(dir).sort()) {
    const path = join(dir, name);
    if (JOB_DIR.test(name) && statSync(path).isDirectory()) {
      rmSync(path, { recursive: true });
      removed.push(`${path}/`);
    }
  }
  const repros = join(dir, REPROS_DIR);
  if (existsSync(repros) && statSync(repros).isDirectory()) {
    for (const name of readdirSync(repros).sort()) {
      const path = join(repros, name);
      if (!REPRO_FILE.test(name) || !statSync(path).isFile()) continue;
      rmSync(path);
      removed.push(path);
    }
    // The folder goes too once nothing is left in it; anything a user put there keeps it.
    if (readdirSync(repros).length === 0) rmdirSync(repros);
  }
  return removed;
}
