import { mkdtempSync, readFileSync, writeFileSync, existsSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { RunFixture } from '../../reports/testing/run-fixture.ts';
import { violation } from '../../model/violation.ts';
import { readRepro, readReproTrace, traceSidecarPath, writeRepro, writeReproFile } from './repro.ts';
import { ReproError } from './repro-error.ts';

function failingResult() {
  const run = new RunFixture(42);
  run.record(0, 'world', 'phase', { phase: 'chaos' });
  const fault = run.fault(10, 'http-503', { client: 'c1' });
  run.record(20, 'c1', 'send', { prompt: 'p1' });
  run.violation(violation('no-silent-loss', 'prompt "p1" was lost', { client: 'c1', prompt: 'p1' }, [fault]));
  return run.build();
}

function tempDir(): string {
  return mkdtempSync(join(tmpdir(), 'ssesim-repro-'));
}

describe('writeRepro', () => {
  it('names the file after version, seed and property, and records the faults and a replay command', () => {
    const dir = tempDir();
    const written = writeRepro(dir, failingResult());
    expect(written.path).toBe(join(dir, 'repro-fixed-42-no-silent-loss.json'));
    expect(written.repro.faults).toEqual([{ index: 1, t: 10, kind: 'http-503', details: { client: 'c1' } }]);
    expect(written.repro.command).toBe(`npx ssesim replay ${written.path}`);
    expect(written.repro.formatVersion).toBe(1);
    expect(written.repro).not.toHaveProperty('transport');
    expect(existsSync(traceSidecarPath(written.path))).toBe(true);
  });

  it('never overwrites: a second repro of the same failure gets a -2 suffix and the first is untouched', () => {
    const dir = tempDir();
    const first = writeRepro(dir, failingResult());
    const before = readFileSync(first.path, 'utf8');
    const second = writeRepro(dir, failingResult());
    expect(second.path).toBe(join(dir, 'repro-fixed-42-no-silent-loss-2.json'));
    expect(readFileSync(first.path, 'utf8')).toBe(before);
    expect(writeRepro(dir, failingResult()).path).toBe(join(dir, 'repro-fixed-42-no-silent-loss-3.json'));
  });

  it('skips a name whose trace sidecar alone already exists', () => {
    const dir = tempDir();
    writeFileSync(join(dir, 'repro-fixed-42-no-silent-loss.trace.jsonl'), 'someone else\n');
    expect(writeRepro(dir, failingResult()).path).toBe(join(dir, 'repro-fixed-42-no-silent-loss-2.json'));
    expect(readFileSync(join(dir, 'repro-fixed-42-no-silent-loss.trace.jsonl'), 'utf8')).toBe('someone else\n');
  });

  it('writeReproFile refuses an existing path', () => {
    const dir = tempDir();
    const path = join(dir, 'mine.json');
    writeFileSync(path, 'keep me');
    expect(writeReproFile(path, failingResult())).toBeNull();
    expect(readFileSync(path, 'utf8')).toBe('keep me');
    expect(existsSync(traceSidecarPath(path))).toBe(false);
  });
});

describe('a repro of a transport module', () => {
  const transport = { path: './my transport.ts', resolvedPath: '/p/my transport.ts', sha256: 'ab'.repeat(32) };

  it('records the module, is format 2, and its command names the module, quoted for a shell', () => {
    const written = writeRepro(join(tempDir(), "it's"), failingResult(), { transport });
    expect(written.repro.transport).toEqual(transport);
    expect(written.repro.formatVersion).toBe(2);
    expect(written.repro.command).toBe(
      `npx ssesim replay '${written.path.replace("'", `'\\''`)}' --transport './my transport.ts'`,
    );
    expect(readRepro(written.path)).toEqual(written.repro);
  });

  it('names a bad field of the recorded module', () => {
    const written = writeRepro(tempDir(), failingResult(), { transport });
    const value = JSON.parse(readFileSync(written.path, 'utf8'));
    value.transport.sha256 = 'abc';
    writeFileSync(written.path, JSON.stringify(value));
    expect(() => readRepro(written.path)).toThrow(/transport\.sha256: expected 64 hex digits, got "abc"/);
  });
});

describe('readRepro', () => {
  it('reads back what writeRepro wrote, with the trace from the sidecar', () => {
    const result = failingResult();
    const written = writeRepro(tempDir(), result);
    expect(readRepro(written.path)).toEqual(written.repro);
    expect(readReproTrace(written.path)?.hash()).toBe(result.traceHash);
  });

  function problemWith(edit: (repro: Record<string, any>) => void): ReproError {
    const written = writeRepro(tempDir(), failingResult());
    const value = JSON.parse(readFileSync(written.path, 'utf8'));
    edit(value);
    writeFileSync(written.path, JSON.stringify(value));
    try {
      readRepro(written.path);
    } catch (err) {
      if (err instanceof ReproError) return err;
      throw err;
    }
    throw new Error('expected a ReproError');
  }

  it.each([
    ['format', (r: Record<string, any>) => (r.format = 'other')],
    ['seed', (r: Record<string, any>) => (r.seed = -1)],
    ['seed', (r: Record<string, any>) => delete r.seed],
    ['version.defects[0]', (r: Record<string, any>) => (r.version.defects = ['no-such-defect'])],
    ['version.sendPath', (r: Record<string, any>) => (r.version.sendPath = 'pigeon')],
    ['scenario.clients', (r: Record<string, any>) => (r.scenario.clients = 0)],
    ['traceHash', (r: Record<string, any>) => (r.traceHash = 'abc')],
    ['violations[0].property', (r: Record<string, any>) => (r.violations[0].property = 'nonsense')],
    ['faults[0].t', (r: Record<string, any>) => (r.faults[0].t = 'soon')],
  ])('names the bad field %s', (field, edit) => {
    const error = problemWith(edit);
    expect(error.field).toBe(field);
    expect(error.message).not.toContain('\n');
  });

  it('names every bad field at once', () => {
    const error = problemWith((r) => {
      r.seed = -1;
      r.version.sendPath = 'pigeon';
      r.scenario.clients = 0;
      r.faults[0].t = 'soon';
    });
    expect(error.problems.map((p) => p.field)).toEqual(['scenario.clients', 'seed', 'version.sendPath', 'faults[0].t']);
    expect(error.message).toContain('version.sendPath: expected one of outbox, legacy-queue, got "pigeon"');
    expect(error.message).not.toContain('\n');
  });

  it('reports a missing file and bad JSON as file problems', () => {
    const dir = tempDir();
    expect(() => readRepro(join(dir, 'nope.json'))).toThrow(/nope\.json: no such file/);
    writeFileSync(join(dir, 'bad.json'), '{"format":');
    expect(() => readRepro(join(dir, 'bad.json'))).toThrow(ReproError);
    expect(() => readRepro(join(dir, 'bad.json'))).toThrow(/bad\.json: invalid JSON at line 1 column 11/);
  });
});
