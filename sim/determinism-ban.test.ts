/**
 * Enforces the determinism rule: wall time, real timers and unseeded randomness enter only
 * through transport/env.ts, transport/node/ and sim/core/clock.ts. Scans every .ts file of the repo
 * (comments stripped, so prose may name the banned calls) and lists each offence as file:line.
 */
import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { repoPath, tsFiles } from './testing/repo-files.ts';

interface Ban {
  name: string;
  pattern: RegExp;
  /** Whether the ban applies to this repo-relative path (posix separators). */
  appliesTo: (path: string) => boolean;
}

function isExempt(path: string): boolean {
  return (
    path === 'transport/env.ts' ||
    path.startsWith('transport/node/') ||
    path.startsWith('transport/testing/') ||
    path === 'sim/core/clock.ts' ||
    // An app's client written against browser globals: the simulator virtualises them (usesGlobals).
    path === 'examples/naive-chat-client/client.ts' ||
    path.endsWith('.test.ts')
  );
}

const everywhere = (path: string) => !isExempt(path);
const immediateScope = (path: string) =>
  everywhere(path) &&
  path !== 'sim/core/loop.ts' &&
  ['sim/', 'transport/', 'model/'].some((dir) => path.startsWith(dir));

/**
 * A global timer reference: the bare name or a member of a global object. A member of anything
 * else (`env.timers.setTimeout(...)`), an object key (`setTimeout: ...`) and a typed method
 * declaration (`setTimeout(fn: ...)`) are not references to the global.
 */
function globalName(name: string): RegExp {
  const bare = `(?<![\\w$.])${name}\\b(?!\\s*\\??\\s*:)(?!\\s*\\(\\s*[\\w$]+\\s*\\??\\s*:)`;
  const member = `\\b(?:globalThis|window|global|self)\\s*\\.\\s*${name}\\b`;
  return new RegExp(`${bare}|${member}`);
}

const BANS: Ban[] = [
  { name: 'Date.now', pattern: /\bDate\s*\.\s*now\b/, appliesTo: everywhere },
  { name: 'Math.random', pattern: /\bMath\s*\.\s*random\b/, appliesTo: everywhere },
  { name: 'performance.now', pattern: /\bperformance\s*\.\s*now\b/, appliesTo: everywhere },
  { name: 'randomUUID', pattern: /\brandomUUID\s*\(|\bcrypto\s*\.\s*randomUUID\b/, appliesTo: everywhere },
  { name: 'setTimeout', pattern: globalName('setTimeout'), appliesTo: everywhere },
  { name: 'setInterval', pattern: globalName('setInterval'), appliesTo: everywhere },
  { name: 'setImmediate', pattern: globalName('setImmediate'), appliesTo: immediateScope },
];

/** Blanks out comments, keeping line breaks so line numbers stay right; strings are kept. */
export function stripComments(source: string): string {
  let out = '';
  let i = 0;
  let quote: string | null = null;
  while (i < source.length) {
    const char = source[i]!;
    const next = source[i + 1];
    if (quote) {
      out += char;
      if (char === '\\') {
        out += next ?? '';
        i += 2;
        continue;
      }
      if (char === quote) quote = null;
      i += 1;
    } else if (char === '/' && next === '/') {
      while (i < source.length && source[i] !== '\n') i += 1;
    } else if (char === '/' && next === '*') {
      const end = source.indexOf('*/', i + 2);
      const stop = end === -1 ? source.length : end + 2;
      out += source.slice(i, stop).replace(/[^\n]/g, ' ');
      i = stop;
    } else {
      if (char === '"' || char === "'" || char === '`') quote = char;
      out += char;
      i += 1;
    }
  }
  return out;
}

export function findViolations(path: string, source: string): string[] {
  const bans = BANS.filter((ban) => ban.appliesTo(path));
  if (bans.length === 0) return [];
  const found: string[] = [];
  stripComments(source)
    .split('\n')
    .forEach((line, index) => {
      for (const ban of bans) {
        if (ban.pattern.test(line)) found.push(`${path}:${index + 1}: ${ban.name}: ${line.trim()}`);
      }
    });
  return found;
}

describe('determinism ban', () => {
  it('finds no wall time, real timers or unseeded randomness outside the allowed files', () => {
    const files = tsFiles();
    expect(files.length).toBeGreaterThan(10);
    const violations = files.flatMap((file) => {
      const path = repoPath(file);
      return findViolations(path, readFileSync(file, 'utf8'));
    });
    expect(violations, `banned calls:\n${violations.join('\n')}`).toEqual([]);
  });

  it('flags global uses and names file:line', () => {
    const source = [
      'const a = 1;',
      'const t = Date.now();',
      'setTimeout(() => a, 5);',
      'globalThis.setInterval(f, 1);',
      'const id = crypto.randomUUID();',
    ].join('\n');
    expect(findViolations('transport/server/x.ts', source)).toEqual([
      'transport/server/x.ts:2: Date.now: const t = Date.now();',
      'transport/server/x.ts:3: setTimeout: setTimeout(() => a, 5);',
      'transport/server/x.ts:4: setInterval: globalThis.setInterval(f, 1);',
      'transport/server/x.ts:5: randomUUID: const id = crypto.randomUUID();',
    ]);
    expect(findViolations('model/x.ts', 'const r = Math.random() + performance.now();')).toHaveLength(2);
    expect(findViolations('model/x.ts', 'const { randomUUID } = c; randomUUID();')).toHaveLength(1);
  });

  it('allows the injected timers, keys, typed declarations and comments', () => {
    const source = [
      'this.env.timers.setTimeout(() => flush(), delayMs);',
      'const timers = { setTimeout: (fn, ms) => clock.setTimeout(fn, ms) };',
      'setInterval(fn: () => void, intervalMs: number): TimerHandle {',
      '// never call Date.now or setTimeout here',
      '/* Math.random() is banned',
      '   performance.now() too */',
      "const url = 'http://example.test'; // setTimeout",
    ].join('\n');
    expect(findViolations('transport/client/x.ts', source)).toEqual([]);
  });

  it('exempts the seam files and tests, and bans setImmediate outside sim/core/loop.ts', () => {
    const source = 'Date.now(); setTimeout(f, 1);';
    for (const path of [
      'transport/env.ts',
      'transport/node/adapter.ts',
      'transport/testing/fake-env.ts',
      'sim/core/clock.ts',
      'sim/x.test.ts',
    ]) {
      expect(findViolations(path, source), path).toEqual([]);
    }
    expect(findViolations('sim/core/loop.ts', 'setImmediate(resolve);')).toEqual([]);
    expect(findViolations('sim/network.ts', 'setImmediate(resolve);')).toHaveLength(1);
    expect(findViolations('transport/server/x.ts', 'await new Promise((r) => setImmediate(r));')).toHaveLength(1);
    expect(findViolations('cli.ts', 'setImmediate(r);')).toEqual([]);
    expect(findViolations('cli.ts', 'setTimeout(r, 1);')).toHaveLength(1);
  });

  it('keeps strings intact while stripping comments, line numbers unchanged', () => {
    const stripped = stripComments('const a = \'// not a comment\';\n/* x\ny */ const b = "/*";\nc(); // gone');
    expect(stripped.split('\n')).toEqual(["const a = '// not a comment';", '    ', '     const b = "/*";', 'c(); ']);
  });
});
