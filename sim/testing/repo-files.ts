/**
 * The repository's own TypeScript files, for the tests that read the code as text (the
 * determinism ban, the tidy check, the import layering). Build output, dependencies and hidden
 * folders (local scratch work, run output) are never project code.
 */
import { readdirSync } from 'node:fs';
import { join, relative, sep } from 'node:path';
import { fileURLToPath } from 'node:url';

export const REPO_ROOT = join(fileURLToPath(new URL('.', import.meta.url)), '..', '..');
const SKIPPED_DIRS = new Set(['node_modules', 'dist', 'coverage']);

/** Absolute paths of every .ts file below `dir` (declaration files excluded). */
export function tsFiles(dir: string = REPO_ROOT): string[] {
  const files: string[] = [];
  for (const entry of readdirSync(dir, { withFileTypes: true })) {
    if (entry.isDirectory()) {
      if (!SKIPPED_DIRS.has(entry.name) && !entry.name.startsWith('.')) files.push(...tsFiles(join(dir, entry.name)));
    } else if (entry.name.endsWith('.ts') && !entry.name.endsWith('.d.ts')) {
      files.push(join(dir, entry.name));
    }
  }
  return files;
}

/** A path relative to the repository, with posix separators: how the rules name files. */
export function repoPath(file: string): string {
  return relative(REPO_ROOT, file).split(sep).join('/');
}

/** Tests, test support and the reliability suites are held to the rules of tests, not of shipped code. */
export function isTestCode(path: string): boolean {
  return path.endsWith('.test.ts') || path.split('/').some((dir) => dir === 'testing' || dir === 'reliability');
}
