import { mkdirSync, mkdtempSync, utimesSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { freshCompiledWorker } from './compiled-worker.ts';

function write(path: string, atSec: number): void {
  mkdirSync(join(path, '..'), { recursive: true });
  writeFileSync(path, '');
  utimesSync(path, atSec, atSec);
}

/** A repository with two sources, their build, and a test file the build leaves out. */
function repository(sourceSec: number, buildSec: number): string {
  const root = mkdtempSync(join(tmpdir(), 'ssesim-compiled-'));
  write(join(root, 'sim', 'campaign', 'campaign-worker.ts'), sourceSec);
  write(join(root, 'model', 'history.ts'), sourceSec);
  write(join(root, 'model', 'history.test.ts'), buildSec + 100);
  write(join(root, 'dist', 'sim', 'campaign', 'campaign-worker.js'), buildSec);
  write(join(root, 'dist', 'model', 'history.js'), buildSec);
  return root;
}

describe('freshCompiledWorker', () => {
  it('names the compiled entry when the build is no older than any source it compiles', () => {
    const root = repository(1_000, 2_000);
    expect(freshCompiledWorker(root)).toBe(pathToFileURL(join(root, 'dist/sim/campaign/campaign-worker.js')).href);
  });

  it('refuses a build older than one source, or missing one', () => {
    const stale = repository(1_000, 2_000);
    write(join(stale, 'model', 'history.ts'), 3_000);
    expect(freshCompiledWorker(stale)).toBeNull();
    const missing = repository(1_000, 2_000);
    write(join(missing, 'transport', 'env.ts'), 1_000);
    expect(freshCompiledWorker(missing)).toBeNull();
  });

  it('refuses when there is no build', () => {
    expect(freshCompiledWorker(mkdtempSync(join(tmpdir(), 'ssesim-compiled-')))).toBeNull();
  });
});
