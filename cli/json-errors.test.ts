import { mkdtempSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from './testing/run-main.ts';

describe('errors under --json', () => {
  it('are one JSON object on stdout naming each problem of a bad file, with the line on stderr kept', async () => {
    const file = join(mkdtempSync(join(tmpdir(), 'ssesim-json-error-')), 'bad.json');
    writeFileSync(file, JSON.stringify({ name: 'x', clients: 0 }));
    const exit = await runMain(['run', file, '--json']);
    expect(exit.code).toBe(2);
    expect(exit.stderr).toMatch(/^ssesim: [^\n]+\n$/);
    const body = JSON.parse(exit.stdout) as {
      error: { kind: string; problems: { field: string }[] };
      exitCode: number;
    };
    expect(body.exitCode).toBe(2);
    expect(body.error.kind).toBe('bad-input');
    expect(body.error.problems.map((p) => p.field)).toContain('clients');
  });

  it('covers usage errors too, and leaves stdout empty without --json', async () => {
    const json = await runMain(['run', 'default', '--seed', 'nope', '--json']);
    expect(json.code).toBe(2);
    expect(JSON.parse(json.stdout)).toMatchObject({ error: { kind: 'usage' }, exitCode: 2 });
    const plain = await runMain(['run', 'default', '--seed', 'nope']);
    expect([plain.code, plain.stdout]).toEqual([2, '']);
  });
});
