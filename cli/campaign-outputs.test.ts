import { existsSync, mkdtempSync, readFileSync, readdirSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { runMain } from './testing/run-main.ts';

/** Two short runs on fixed: few enough that some enabled fault kind never fires. */
const SHORT = ['fuzz', '--runs', '2', '--shrink-runs', '0', '--culprit-runs', '0'];

describe('the outputs of a campaign', () => {
  it('agree on its findings: text, --json, JUnit and the exit code, unfired fault kinds included', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ssesim-agree-'));
    const text = await runMain([...SHORT, '--out', join(out, 'text')]);
    const json = await runMain([...SHORT, '--out', join(out, 'json'), '--json']);
    const body = JSON.parse(json.stdout) as { findings: { kind: string }[]; unfiredFaults: string[] };
    expect(body.unfiredFaults.length).toBeGreaterThan(0);
    const textCount = Number(/findings \((\d+)\):/.exec(text.stdout)?.[1] ?? 0);
    expect(body.findings.length).toBe(textCount);
    expect(body.findings.filter((f) => f.kind === 'fault-coverage')).toHaveLength(body.unfiredFaults.length);
    const xml = readFileSync(join(out, 'text', 'junit.xml'), 'utf8');
    const head = /<testsuites [^>]*failures="(\d+)" errors="(\d+)"/.exec(xml)!;
    expect(Number(head[1]) + Number(head[2])).toBe(textCount);
    expect([text.code, json.code]).toEqual([1, 1]);
  });

  it('keep their fixed names pointing at the newest results, the earlier moved aside, never overwritten', async () => {
    const out = mkdtempSync(join(tmpdir(), 'ssesim-rerun-'));
    expect((await runMain([...SHORT, '--seed', '1', '--out', out])).code).toBe(1);
    const first = readFileSync(join(out, 'summary.json'), 'utf8');
    const second = await runMain([...SHORT, '--seed', '5', '--out', out]);
    expect(second.stdout).toContain(`earlier results in this folder moved to ${out}/previous-1`);
    expect(readFileSync(join(out, 'previous-1', 'summary.json'), 'utf8')).toBe(first);
    expect(JSON.parse(readFileSync(join(out, 'summary.json'), 'utf8'))).toMatchObject({ seedStart: 5 });
    expect(readdirSync(out).filter((name) => /^(junit|summary)-\d/.test(name))).toEqual([]);
    expect(existsSync(join(out, 'previous-1', 'junit.xml'))).toBe(true);
  });
});
