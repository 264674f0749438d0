import { describe, expect, it } from 'vitest';
import { findJsonProblem, MAX_JSON_DEPTH } from './json-problem.ts';

describe('findJsonProblem', () => {
  it.each(['{}', '[]', '{"a": [1, -2.5e3, true, false, null, "x\\u00e9\\n"]}', ' \n{"a": {"b": {}}}\n'])(
    'accepts %j',
    (text) => {
      expect(findJsonProblem(text)).toBeUndefined();
      expect(() => JSON.parse(text)).not.toThrow();
    },
  );

  it.each([
    ['{\n  "a": 1,\n  }', 3, 3, 'expected a property name'],
    ['{\n  "a": 1\n  "b": 2\n}', 3, 3, "expected ',' or '}'"],
    ['[1, 2,]', 1, 7, 'expected a value'],
    ['{"a": 01}', 1, 8, "expected ',' or '}'"],
    ["{'a': 1}", 1, 2, 'expected a property name'],
    ['{"a": "tab\there"}', 1, 11, 'closing quote'],
    ['{"a": 1} x', 1, 10, 'expected end of input'],
    ['{"a": ', 1, 7, 'found end of input'],
    ['', 1, 1, 'expected a value'],
  ])('locates the problem in %j', (text, line, column, detail) => {
    expect(() => JSON.parse(text)).toThrow();
    const problem = findJsonProblem(text);
    expect(problem).toMatchObject({ line, column });
    expect(problem?.detail).toContain(detail);
  });

  it('reports a duplicate key, which JSON.parse would accept silently', () => {
    expect(findJsonProblem('{\n  "clients": 3,\n  "clients": 4\n}')).toEqual({
      line: 3,
      column: 3,
      detail: 'duplicate key "clients"',
    });
  });

  it('does not confuse equal keys in different objects', () => {
    expect(findJsonProblem('{"a": {"x": 1}, "b": {"x": 2}}')).toBeUndefined();
  });
});

describe('findJsonProblem on crafted input', () => {
  it('refuses nesting past MAX_JSON_DEPTH without running out of stack, at any depth', () => {
    for (const depth of [MAX_JSON_DEPTH + 1, 10_000, 1_000_000]) {
      const problem = findJsonProblem('['.repeat(depth) + ']'.repeat(depth));
      expect(problem).toEqual({
        line: 1,
        column: MAX_JSON_DEPTH + 1,
        detail: expect.stringContaining('MAX_JSON_DEPTH'),
      });
      expect(problem?.detail).toContain(`nested deeper than ${MAX_JSON_DEPTH} levels`);
    }
    expect(findJsonProblem('{"a":'.repeat(MAX_JSON_DEPTH + 5) + '1' + '}'.repeat(MAX_JSON_DEPTH + 5))).toBeDefined();
  });

  it('accepts nesting up to MAX_JSON_DEPTH', () => {
    const depth = MAX_JSON_DEPTH;
    expect(findJsonProblem('['.repeat(depth) + ']'.repeat(depth))).toBeUndefined();
    expect(findJsonProblem('{"a":'.repeat(depth) + '1' + '}'.repeat(depth))).toBeUndefined();
  });

  it('reads a 20 MB string, key and number', () => {
    const big = 'x'.repeat(20 * 1024 * 1024);
    expect(findJsonProblem(`{"a": "${big}"}`)).toBeUndefined();
    expect(findJsonProblem(`{"${big}": 1}`)).toBeUndefined();
    expect(findJsonProblem(`[${'9'.repeat(20 * 1024 * 1024)}]`)).toBeUndefined();
    expect(findJsonProblem(`{"a": "${big}`)).toMatchObject({
      line: 1,
      detail: expect.stringContaining('end of input'),
    });
    expect(findJsonProblem(`["${'\\n'.repeat(1024 * 1024)}\\q"]`)).toMatchObject({ column: 2 * 1024 * 1024 + 3 });
  });

  it('agrees with JSON.parse on numbers at the edges of the grammar', () => {
    for (const text of ['-0', '0.5', '1e5', '1E+5', '-1.5e-3', '-', '1.', '.5', '01', '1e', '1e+', '+1', '- 1']) {
      let parses = true;
      try {
        JSON.parse(text);
      } catch {
        parses = false;
      }
      expect(findJsonProblem(text) === undefined, text).toBe(parses);
    }
  });
});
