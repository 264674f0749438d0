import { describe, expect, it } from 'vitest';
import { visibleJson, visibleLines, visibleText } from './terminal-text.ts';

describe('terminal text', () => {
  it('shows escape sequences, C1 controls and bidi overrides as visible escapes', () => {
    expect(visibleText('fixed\u001b]0;owned\u0007')).toBe('fixed\\x1b]0;owned\\x07');
    expect(visibleText('a\u009b31mb')).toBe('a\\x9b31mb');
    expect(visibleText('x\u202eevil\u2066')).toBe('x\\u202eevil\\u2066');
    expect(visibleText('one\ntwo\r')).toBe('one\\ntwo\\r');
    expect(visibleText('plain é ✓ 🙂')).toBe('plain é ✓ 🙂');
  });

  it('keeps the newlines and tabs that lay out lines of output', () => {
    expect(visibleLines('a\tb\n\u001b[2Jc')).toBe('a\tb\n\\x1b[2Jc');
  });

  it('keeps JSON valid and equal in value while escaping what JSON.stringify writes raw', () => {
    const value = { name: 'a\u007f\u0085\u202e\u001b', n: 1 };
    const json = visibleJson(JSON.stringify(value));
    expect(json).not.toMatch(/[\u007f-\u009f\u202e\u001b]/);
    expect(JSON.parse(json)).toEqual(value);
  });
});

describe('visibleJson layout', () => {
  it('keeps the newlines and indentation of pretty-printed JSON', () => {
    const json = JSON.stringify({ a: [1, 'b\u0085'] }, null, 2);
    expect(visibleJson(json)).toBe(json.replace('\u0085', '\\u0085'));
  });
});
