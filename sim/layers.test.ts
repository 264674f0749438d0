/**
 * The import layering, as a test: arrows point one way, from the command line down to the
 * simulator's kernel, and the system under test imports none of the harness. A folder's
 * internals are reached from outside only through its index.ts, so a reader can take in one
 * layer (the simulator without the campaign machinery, say) by reading its index. Tests may reach
 * any layer (a fault's test runs whole runs), except that the transport's tests, like the
 * transport, stay free of the harness.
 */
import { readFileSync } from 'node:fs';
import { dirname, join, normalize } from 'node:path';
import { describe, expect, it } from 'vitest';
import { isTestCode, repoPath, tsFiles } from './testing/repo-files.ts';

/** Lowest first: a unit may import units of a lower level only. Two units may share a level. */
const LEVELS: [unit: string, level: number][] = [
  ['transport', 0],
  ['model', 1],
  ['scenarios', 2],
  ['sim/core', 3],
  ['sim/net', 4],
  ['sim/faults', 5],
  ['sim/world', 6],
  ['sim', 7],
  ['sim/shrink', 8],
  ['sim/files', 8],
  ['sim/campaign', 9],
  ['reports', 10],
  ['cli', 11],
  ['(package)', 12],
  ['bench', 13],
  ['examples', 13],
];

/** The unit a file belongs to: the longest unit folder that holds it. */
export function unitOf(path: string): string | null {
  if (path === 'cli.ts') return 'cli';
  if (path === 'index.ts' || path === 'vitest.ts') return '(package)';
  let best: string | null = null;
  for (const [unit] of LEVELS) if (path.startsWith(`${unit}/`) && (!best || unit.length > best.length)) best = unit;
  return best;
}

const levelOf = (unit: string): number => LEVELS.find(([name]) => name === unit)![1];

/** The package's entries (`ssesim`, `ssesim/vitest`) are its index; any other unit has one index.ts. */
const isIndexOf = (unit: string, target: string): boolean =>
  unit === '(package)' ? unitOf(target) === unit : target === `${unit}/index.ts`;

export function relativeImports(path: string, source: string): string[] {
  const specifiers = [...source.matchAll(/(?:\bfrom\s+|\bimport\s*\(\s*|\bnew URL\(\s*)'(\.{1,2}\/[^']+)'/g)];
  return specifiers.map((match) =>
    normalize(join(dirname(path), match[1]!))
      .split('\\')
      .join('/'),
  );
}

/** Each import of `path` that points up the layers or reaches past another unit's index. */
export function layerOffences(path: string, source: string): string[] {
  const from = unitOf(path);
  if (from === null) return [];
  const found: string[] = [];
  const test = isTestCode(path);
  for (const target of relativeImports(path, source)) {
    const to = unitOf(target);
    if (from === 'examples' && to !== null && to !== from && to !== '(package)') {
      // An example is a user's project: it sees ssesim only as the package's entries.
      found.push(`${path}: examples use only the package's entries, not ${to} (${target})`);
      continue;
    }
    if (to === null || to === from || (test && from !== 'transport')) continue;
    if (levelOf(to) >= levelOf(from)) found.push(`${path}: ${from} must not import ${to} (${target})`);
    else if (!test && !isIndexOf(to, target)) found.push(`${path}: reaches into ${to} past its index (${target})`);
  }
  return found;
}

describe('import layering', () => {
  it('points every import down the layers, through each folder’s index', () => {
    const files = tsFiles();
    expect(files.length).toBeGreaterThan(50);
    const offences = files.flatMap((file) => layerOffences(repoPath(file), readFileSync(file, 'utf8')));
    expect(offences).toEqual([]);
  });

  it('catches an import up the layers and one past an index', () => {
    expect(layerOffences('transport/server/x.ts', "import { run } from '../../sim/run.ts';")).toEqual([
      'transport/server/x.ts: transport must not import sim (sim/run.ts)',
    ]);
    expect(layerOffences('sim/world/x.ts', "import { Trace } from '../core/trace.ts';")).toEqual([
      'sim/world/x.ts: reaches into sim/core past its index (sim/core/trace.ts)',
    ]);
    expect(layerOffences('sim/world/x.ts', "import { Trace } from '../core/index.ts';")).toEqual([]);
    expect(layerOffences('sim/files/x.ts', "import type { S } from '../shrink/index.ts';")).toHaveLength(1);
    expect(layerOffences('sim/world/x.test.ts', "import { Trace } from '../core/trace.ts';")).toEqual([]);
    expect(layerOffences('examples/x/transport.ts', "import { runCampaign } from '../../index.ts';")).toEqual([]);
    expect(layerOffences('examples/x/transport.ts', "import { transportProperty } from '../../vitest.ts';")).toEqual(
      [],
    );
    expect(layerOffences('examples/x/transport.ts', "import { BASE_URL } from '../../sim/world/index.ts';")).toEqual([
      "examples/x/transport.ts: examples use only the package's entries, not sim/world (sim/world/index.ts)",
    ]);
    expect(layerOffences('transport/x.test.ts', "import { run } from '../sim/run.ts';")).toHaveLength(1);
  });
});
