import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { resolveScenario } from '../../scenarios/load-scenario.ts';
import {
  listRegressionFiles,
  readRegression,
  regressionControl,
  regressionVersion,
  validateRegression,
  writeRegression,
  type Regression,
} from './regression.ts';
import { ReproError } from './repro-error.ts';

function sample(): Regression {
  return {
    format: 'ssesim-regression',
    formatVersion: 1,
    defect: 'parallel-flush',
    property: 'send-order',
    seed: 7,
    scenario: resolveScenario('calm'),
    message: 'm',
  };
}

describe('regression files', () => {
  it('round-trips a valid file and never overwrites one', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssesim-reg-'));
    const path = writeRegression(sample(), dir)!;
    expect(path).toBe(join(dir, 'parallel-flush.json'));
    expect(readRegression(path)).toEqual(sample());
    expect(writeRegression({ ...sample(), seed: 8 }, dir)).toBeNull();
    expect(readRegression(path).seed).toBe(7);
    expect(listRegressionFiles(dir)).toEqual([path]);
    expect(listRegressionFiles(join(dir, 'missing'))).toEqual([]);
  });

  it('names the bad field: unknown defect, a property not catalogued for it, a bad scenario field, extra keys', () => {
    expect(() => validateRegression({ ...sample(), defect: 'nope' }, 'f.json')).toThrow(
      /^f\.json: defect: unknown defect "nope"/,
    );
    expect(() => validateRegression({ ...sample(), property: 'liveness' })).toThrow(
      /^property: expected one of send-order/,
    );
    const scenario = { ...sample().scenario, clients: 0 };
    expect(() => validateRegression({ ...sample(), scenario })).toThrow(/^scenario\.clients: /);
    expect(() => validateRegression({ ...sample(), extra: 1 })).toThrow(/^extra: unknown field/);
    expect(() => validateRegression({ ...sample(), seed: -1 })).toThrow(/^seed: /);
    expect(() => validateRegression([])).toThrow(/^\(root\): expected an object/);
  });

  it('names every bad field at once, the catalogue rule among them', () => {
    const bad = {
      ...sample(),
      property: 'liveness',
      seed: 1.5,
      extra: 1,
      scenario: { ...sample().scenario, clients: 0 },
    };
    let error: unknown;
    try {
      validateRegression(bad, 'r.json');
    } catch (err) {
      error = err;
    }
    expect(error).toBeInstanceOf(ReproError);
    expect((error as ReproError).problems.map((p) => p.field)).toEqual([
      'seed',
      'scenario.clients',
      'extra',
      'property',
    ]);
  });

  it('suggests the closest defect for a misspelt one', () => {
    expect(() => validateRegression({ ...sample(), defect: 'parallel-flsh' })).toThrow(
      /^defect: unknown defect "parallel-flsh" \(did you mean parallel-flush\?\)$/,
    );
  });

  it('reports a file that is not JSON as one error naming the file', () => {
    const path = join(mkdtempSync(join(tmpdir(), 'ssesim-reg-')), 'x.json');
    writeFileSync(path, '{ nope');
    expect(() => readRegression(path)).toThrow(/x\.json: invalid JSON/);
    expect(readFileSync(path, 'utf8')).toBe('{ nope');
  });

  it('runs a legacy-path defect on the legacy path both ways', () => {
    expect(regressionVersion({ defect: 'flush-while-loop' }).sendPath).toBe('legacy-queue');
    const control = regressionControl({ defect: 'flush-while-loop' });
    expect([control.sendPath, control.defects.size]).toEqual(['legacy-queue', 0]);
    expect(regressionControl({ defect: 'parallel-flush' }).sendPath).toBe('outbox');
  });
});
