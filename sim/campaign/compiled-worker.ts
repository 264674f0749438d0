/**
 * Whether a worker started from the sources can run the compiled worker entry in `dist/` instead
 * of loading every module through tsx, which more than doubled a worker's start-up CPU. Only a
 * build at least as new as every source file it compiles is used: a stale build would run other
 * code than the main thread, and a campaign's results must not depend on its worker count.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { fileURLToPath, pathToFileURL } from 'node:url';

/** The folders and files `npm run build` compiles (tsconfig.build.json's include). */
const BUILT_FROM = ['index.ts', 'vitest.ts', 'cli.ts', 'cli', 'transport', 'sim', 'model', 'scenarios', 'reports'];
const WORKER_ENTRY = join('sim', 'campaign', 'campaign-worker.js');

/** The file URL of the compiled worker entry when the build beside `root` is fresh, else null. */
export function freshCompiledWorker(root: string): string | null {
  const dist = join(root, 'dist');
  const entry = join(dist, WORKER_ENTRY);
  if (!existsSync(entry)) return null;
  for (const item of BUILT_FROM) {
    if (!builtAfter(root, dist, item)) return null;
  }
  return pathToFileURL(entry).href;
}

/** Every compiled TypeScript source under `relative` has its .js in dist, modified no earlier. */
function builtAfter(root: string, dist: string, relative: string): boolean {
  const source = join(root, relative);
  if (!existsSync(source)) return true;
  const stat = statSync(source);
  if (stat.isDirectory()) {
    for (const name of readdirSync(source)) {
      if (name === 'node_modules' || name === 'testing' || name === 'dist') continue;
      if (!builtAfter(root, dist, join(relative, name))) return false;
    }
    return true;
  }
  if (!relative.endsWith('.ts') || relative.endsWith('.test.ts') || relative.endsWith('.d.ts')) return true;
  const compiled = join(dist, relative.replace(/\.ts$/, '.js'));
  return existsSync(compiled) && statSync(compiled).mtimeMs >= stat.mtimeMs;
}

/** The repository root of these sources: two folders up from sim/campaign/. */
export function sourceRoot(): string {
  return fileURLToPath(new URL('../../', import.meta.url));
}
