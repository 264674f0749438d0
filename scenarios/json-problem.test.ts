import { describe, expect, it } from 'vitest';
import { findJsonProblem } from './json-problem.ts';

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
