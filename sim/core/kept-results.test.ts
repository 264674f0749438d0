import { describe, expect, it } from 'vitest';
import { keptResults } from './kept-results.ts';

describe('keptResults', () => {
  it('works a result out once per argument and again once the bound made it start over', () => {
    const computed: string[] = [];
    const upper = keptResults((text: string) => {
      computed.push(text);
      return text.toUpperCase();
    }, 2);
    expect([upper('a'), upper('b'), upper('a'), upper('b')]).toEqual(['A', 'B', 'A', 'B']);
    expect(computed).toEqual(['a', 'b']);
    expect(upper('c')).toBe('C');
    expect(upper('a')).toBe('A');
    expect(computed).toEqual(['a', 'b', 'c', 'a']);
  });
});
