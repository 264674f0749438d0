import { mkdtempSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { ScenarioError } from './scenario-error.ts';
import {
  listScenarioFiles,
  loadScenarioFile,
  resolveScenario,
  scenarioHash,
  canonicalJson,
  SCENARIOS_DIR,
} from './load-scenario.ts';

const tmp = mkdtempSync(join(tmpdir(), 'ssesim-scenarios-'));
afterAll(() => rmSync(tmp, { recursive: true, force: true }));

function writeTmp(name: string, text: string): string {
  const path = join(tmp, name);
  writeFileSync(path, text);
  return path;
}

function thrown(fn: () => unknown): ScenarioError {
  try {
    fn();
  } catch (err) {
    expect(err).toBeInstanceOf(ScenarioError);
    return err as ScenarioError;
  }
  throw new Error('expected a ScenarioError');
}

describe('the named scenario files', () => {
  it('are the four standard ones', () => {
    expect(listScenarioFiles().map((f) => f.name)).toEqual(['calm', 'crash-storm', 'default', 'flaky-posts']);
  });

  it.each(listScenarioFiles())('$name validates and is named after its file', ({ name, path }) => {
    expect(loadScenarioFile(path).name).toBe(name);
  });

  it('default is the standard scenario', () => {
    const s = resolveScenario('default');
    expect([s.clients, s.sessions, s.phases.chaosMs, s.phases.healMs, s.stepLimit]).toEqual([
      3, 2, 120_000, 60_000, 200_000,
    ]);
    expect([s.network.latencyMsMin, s.network.latencyMsMax, s.agent.stepsMin, s.agent.stepsMax]).toEqual([5, 80, 3, 8]);
    expect([s.agent.stepDelayMsMin, s.agent.stepDelayMsMax, s.agent.permissionChance]).toEqual([50, 400, [1, 5]]);
  });

  it('calm has no faults; the others do', () => {
    const calm = resolveScenario('calm');
    expect(calm.faults).toEqual({ request: {}, timed: {} });
    expect(Object.keys(resolveScenario('crash-storm').faults.timed)).toContain('server-crash');
    expect(Object.keys(resolveScenario('flaky-posts').faults.request)).toContain('http-429');
  });
});

describe('loadScenarioFile', () => {
  it('names the path of a missing file', () => {
    const path = join(tmp, 'absent.json');
    const err = thrown(() => loadScenarioFile(path));
    expect(err.message).toBe(`${path}: no such file`);
    expect(err.value).toBe(path);
  });

  it('gives the line and column of invalid JSON', () => {
    const path = writeTmp('broken.json', '{\n  "name": "x",\n    "clients" 3\n}');
    const err = thrown(() => loadScenarioFile(path));
    expect(err.message).toMatch(new RegExp(`^${path}: invalid JSON at line 3 column 15: expected ':'`));
  });

  it('rejects a duplicate key', () => {
    const err = thrown(() => loadScenarioFile(writeTmp('dup.json', '{"name": "a", "name": "b"}')));
    expect(err.message).toContain('line 1 column 15: duplicate key "name"');
  });

  it('prefixes validation errors with the path', () => {
    const path = writeTmp('bad.json', JSON.stringify({ ...resolveScenario('calm'), clients: 0 }));
    expect(thrown(() => loadScenarioFile(path)).message).toBe(
      `${path}: clients: expected an integer from 1 to 8, got 0`,
    );
  });

  it('reports every bad field of a file at once', () => {
    const calm = resolveScenario('calm');
    const path = writeTmp('three.json', JSON.stringify({ ...calm, clients: 0, sessions: 9, clientz: 2 }));
    const err = thrown(() => loadScenarioFile(path));
    expect(err.problems.map((p) => p.field)).toEqual(['clients', 'sessions', 'clientz']);
    expect(err.message).toMatch(new RegExp(`^${path}: clients: .*; sessions: .*got 9; clientz: unknown field`));
  });

  it('ignores $schema: the scenario, its hash and its listing stay the same', () => {
    const { $schema, ...plain } = JSON.parse(readFileSync(join(SCENARIOS_DIR, 'calm.json'), 'utf8'));
    expect($schema).toBe('./scenario.schema.json');
    const withSchema = loadScenarioFile(writeTmp('with.json', JSON.stringify({ $schema: 'elsewhere.json', ...plain })));
    const without = loadScenarioFile(writeTmp('without.json', JSON.stringify(plain)));
    expect(Object.hasOwn(withSchema, '$schema')).toBe(false);
    expect(withSchema).toEqual(without);
    expect(scenarioHash(withSchema)).toBe(scenarioHash(without));
    expect(scenarioHash(resolveScenario('calm'))).toBe(scenarioHash(without));
    expect(listScenarioFiles(SCENARIOS_DIR).some((f) => f.path.endsWith('.schema.json'))).toBe(false);
  });

  it('accepts a leading byte order mark', () => {
    const path = writeTmp('bom.json', `\uFEFF${JSON.stringify(resolveScenario('calm'))}`);
    expect(loadScenarioFile(path).name).toBe('calm');
  });
});

describe('resolveScenario', () => {
  it('treats a bare name as scenarios/<name>.json', () => {
    expect(resolveScenario('crash-storm')).toEqual(loadScenarioFile(join(SCENARIOS_DIR, 'crash-storm.json')));
  });

  it('treats anything with a slash or .json as a path', () => {
    const path = writeTmp('mine.json', JSON.stringify({ ...resolveScenario('calm'), name: 'mine' }));
    expect(resolveScenario(path).name).toBe('mine');
  });

  it('lists the known names for an unknown one', () => {
    const err = thrown(() => resolveScenario('defualt'));
    expect(err.message).toContain('no scenario named "defualt"');
    expect(err.message).toContain('known: calm, crash-storm, default, flaky-posts');
  });

  it('lists only .json files in the given folder', () => {
    const dir = mkdtempSync(join(tmp, 'list-'));
    writeFileSync(join(dir, 'b.json'), '{}');
    writeFileSync(join(dir, 'a.json'), '{}');
    writeFileSync(join(dir, 'notes.txt'), '');
    expect(listScenarioFiles(dir)).toEqual([
      { name: 'a', path: join(dir, 'a.json') },
      { name: 'b', path: join(dir, 'b.json') },
    ]);
  });
});

describe('scenarioHash', () => {
  const s = resolveScenario('default');

  it('is 16 hex characters and stable', () => {
    expect(scenarioHash(s)).toMatch(/^[0-9a-f]{16}$/);
    expect(scenarioHash(s)).toBe(scenarioHash(structuredClone(s)));
  });

  it('does not depend on key order at any depth', () => {
    const reversed = JSON.parse(JSON.stringify(s), (_k, v) =>
      v && typeof v === 'object' && !Array.isArray(v) ? Object.fromEntries(Object.entries(v).reverse()) : v,
    );
    expect(Object.keys(reversed)[0]).not.toBe(Object.keys(s)[0]);
    expect(scenarioHash(reversed)).toBe(scenarioHash(s));
  });

  it('changes with any value, including inside arrays', () => {
    expect(scenarioHash({ ...s, clients: 4 })).not.toBe(scenarioHash(s));
    expect(scenarioHash({ ...s, agent: { ...s.agent, permissionChance: [1, 6] } })).not.toBe(scenarioHash(s));
  });

  it('hashes canonical JSON: sorted keys, undefined fields dropped, arrays in order', () => {
    expect(canonicalJson({ b: 1, a: { d: [2, 1], c: undefined } })).toBe('{"a":{"d":[2,1]},"b":1}');
  });
});
