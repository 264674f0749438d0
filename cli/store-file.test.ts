/**
 * `run --store FILE`: the database in a file changes nothing about the run, an earlier store is
 * replaced so each run starts empty, and a file that is not a store of ours is never touched.
 */
import { existsSync, mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { runMain } from './testing/run-main.ts';
import { TINY_FAULTY } from '../sim/testing/tiny-scenarios.ts';

const dir = mkdtempSync(join(tmpdir(), 'ssesim-store-'));
const scenario = join(dir, 'tiny.json');
writeFileSync(scenario, JSON.stringify(TINY_FAULTY));

async function traceHash(...extra: string[]): Promise<string> {
  const exit = await runMain(['run', scenario, '--seed', '3', '--json', '--out', join(dir, 'out'), ...extra]);
  expect(exit.stderr).toBe('');
  return JSON.parse(exit.stdout).traceHash as string;
}

describe('run --store', () => {
  it('gives the same trace hash with the store in a file as in memory, over an earlier store too', async () => {
    const inMemory = await traceHash();
    const first = join(dir, 'a.db');
    expect(await traceHash('--store', first)).toBe(inMemory);
    expect(await traceHash('--store', join(dir, 'b.db'))).toBe(inMemory);
    expect(existsSync(first)).toBe(true);
    expect(await traceHash('--store', first)).toBe(inMemory);
    expect(await traceHash('--store', first, '--check-determinism')).toBe(inMemory);
  });

  it('refuses a database that is not a store of ours, and leaves it as it was', async () => {
    const other = join(dir, 'other.db');
    const db = new Database(other);
    db.exec('CREATE TABLE events (x)');
    db.close();
    const before = readFileSync(other);
    const exit = await runMain(['run', scenario, '--store', other]);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toBe(
      `ssesim: --store ${other} is a database but not an ssesim store (tables: events); not touching it\n`,
    );
    expect(readFileSync(other)).toEqual(before);
  });

  it.each([
    ['a text file', 'plain.txt', 'hello', 'exists and is not an SQLite database'],
    ['an empty file', 'empty.db', '', 'exists and is not an SQLite database'],
  ])('refuses %s', async (_what, name, content, message) => {
    const path = join(dir, name);
    writeFileSync(path, content);
    const exit = await runMain(['run', scenario, '--store', path]);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toContain(message);
    expect(readFileSync(path, 'utf8')).toBe(content);
  });

  it('is never read from a scenario', async () => {
    const withStore = join(dir, 'with-store.json');
    writeFileSync(withStore, JSON.stringify({ ...TINY_FAULTY, storePath: join(dir, 'from-scenario.db') }));
    const exit = await runMain(['run', withStore]);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(/storePath: a scenario no longer names the database/);
    expect(existsSync(join(dir, 'from-scenario.db'))).toBe(false);
  });
});
