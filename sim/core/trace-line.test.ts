import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { entryLine, LineBytes } from './trace-line.ts';

/** What a line must be: JSON.stringify's text of the entry's array, and a newline, as UTF-8. */
function expectedBytes(t: number, actor: string, kind: string, details: Record<string, unknown>): Buffer {
  return Buffer.from(`${JSON.stringify([t, actor, kind, details])}\n`, 'utf8');
}

function written(t: number, actor: string, kind: string, details: Record<string, unknown>, initialBytes = 64): Buffer {
  const lines = new LineBytes(initialBytes);
  lines.writeLine(t, actor, kind, details);
  return Buffer.from(lines.view());
}

const CONTROLS = Array.from({ length: 0x20 }, (_, code) => String.fromCharCode(code)).join('');

describe('LineBytes', () => {
  it.each([
    ['every control character', { text: CONTROLS }],
    ['quotes, backslashes and DEL', { text: 'a"b\\c\u007fd', '"key\\': 1 }],
    ['text that is not ASCII', { text: 'é日本\u{1F600}', ключ: 'значение' }],
    ['lone surrogates', { high: '\ud800', low: 'x\udc00y' }],
    ['long texts', { frame: `event: x\ndata: {"a":"${'y'.repeat(300)}"}\n\n`, body: 'z\n'.repeat(5000) }],
    [
      'numbers',
      { zero: 0, negativeZero: -0, negative: -17, fraction: 0.1, big: 2 ** 53, past: 2 ** 53 + 2, e21: 1e21 },
    ],
    ['numbers JSON cannot write', { nan: Number.NaN, infinity: Number.POSITIVE_INFINITY }],
    ['booleans and null', { yes: true, no: false, none: null }],
    ['members JSON leaves out', { before: 1, missing: undefined, fn: () => 1, symbol: Symbol('s'), after: 2 }],
    ['nothing', {}],
    ['nested values', { list: [1, 'a', { b: null }], inner: { c: 'd"' } }],
  ])('writes %s as JSON.stringify does', (_name, details: Record<string, unknown>) => {
    expect(written(1234, 'c1', 'kind', details).toString('utf8')).toBe(
      expectedBytes(1234, 'c1', 'kind', details).toString('utf8'),
    );
  });

  it('writes times and names as JSON.stringify does, NaN as null', () => {
    for (const t of [0, 7, 99_999_999, 1.5, -3])
      expect(written(t, 'a', 'b', {})).toEqual(expectedBytes(t, 'a', 'b', {}));
    expect(written(Number.NaN, 'x"y', 'k\n', {}).toString()).toBe('[null,"x\\"y","k\\n",{}]\n');
  });

  it('keeps the name and message of an Error and writes a bigint as a string', () => {
    const line = written(1, 'a', 'b', { error: new TypeError('bad'), big: 12n }).toString();
    expect(line).toBe('[1,"a","b",{"error":{"name":"TypeError","message":"bad"},"big":"12"}]\n');
  });

  it('leaves out inherited members and writes an object with toJSON as JSON does', () => {
    const inherited = Object.create({ inherited: 1 }) as Record<string, unknown>;
    inherited.own = 2;
    expect(written(1, 'a', 'b', inherited).toString()).toBe('[1,"a","b",{"own":2}]\n');
    const custom = { toJSON: () => ({ shown: true }) };
    expect(written(1, 'a', 'b', custom)).toEqual(expectedBytes(1, 'a', 'b', custom));
  });

  it('grows past its first room and keeps what it wrote', () => {
    const lines = new LineBytes(8);
    const expected: Buffer[] = [];
    for (let i = 0; i < 50; i++) {
      const details = { i, text: 'é'.repeat(i * 7) };
      lines.writeLine(i, 'c', 'k', details);
      expected.push(expectedBytes(i, 'c', 'k', details));
    }
    expect(lines.view().equals(Buffer.concat(expected))).toBe(true);
    expect(lines.text()).toBe(Buffer.concat(expected).toString('utf8'));
    lines.clear();
    expect(lines.length).toBe(0);
  });

  it('writes any strings and numbers as JSON.stringify does, and as entryLine writes them', () => {
    const text = fc.oneof(fc.string({ unit: 'binary' }), fc.string({ unit: 'grapheme-ascii' }), fc.string());
    const value = fc.oneof(text, fc.double(), fc.integer(), fc.boolean(), fc.constant(null));
    fc.assert(
      fc.property(fc.double(), text, text, fc.dictionary(text, value), (t, actor, kind, details) => {
        const bytes = written(t, actor, kind, details, 16);
        expect(bytes).toEqual(expectedBytes(t, actor, kind, details));
        expect(bytes.toString('utf8')).toBe(`${entryLine(t, actor, kind, details)}\n`);
      }),
      { numRuns: 500 },
    );
  });
});
