import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { createHash } from 'node:crypto';
import { firstDivergence, Trace } from './trace.ts';

function sample(): Trace {
  const trace = new Trace();
  trace.append({ t: 0, actor: 'server', kind: 'start', details: { b: 2, a: 1 } });
  trace.append(5, 'client-1', 'request', { path: '/api/chat/send', nested: { z: [3, { y: 1, x: 2 }], a: null } });
  trace.append({ t: 9, actor: 'net', kind: 'frame' });
  return trace;
}

describe('Trace', () => {
  it('assigns indexes and keeps entries in order', () => {
    const entries = sample().entries();
    expect(entries.map((entry) => entry.index)).toEqual([0, 1, 2]);
    expect(entries[1]).toMatchObject({ t: 5, actor: 'client-1', kind: 'request' });
    expect(entries[2]!.details).toEqual({});
  });

  it('writes each entry as one JSON line, [t, actor, kind, details], details as written', () => {
    const lines = sample().canonicalLines();
    expect(lines[0]).toBe('[0,"server","start",{"b":2,"a":1}]');
    expect(lines[1]).toContain('"nested":{"z":[3,{"y":1,"x":2}],"a":null}');
    expect(lines[2]).toBe('[9,"net","frame",{}]');
    expect(sample().toJsonLines().split('\n')).toHaveLength(4);
  });

  it('writes exactly what JSON.stringify writes for the entry as an array', () => {
    const details = fc.dictionary(fc.string(), fc.jsonValue(), { maxKeys: 5 });
    const time = fc.oneof(fc.double(), fc.integer(), fc.constantFrom(-0, Number.NaN, Number.POSITIVE_INFINITY));
    fc.assert(
      fc.property(
        time,
        fc.string({ unit: 'binary' }),
        fc.string({ unit: 'binary' }),
        details,
        (t, actor, kind, written) => {
          const trace = new Trace();
          trace.append(t, actor, kind, written);
          expect(trace.canonicalLines()[0]).toBe(JSON.stringify([Number.isFinite(t) ? t : null, actor, kind, written]));
        },
      ),
    );
  });

  it('writes what JSON.stringify writes for flat details with long strings, written again or not', () => {
    const long = fc.string({ unit: 'binary', minLength: 64, maxLength: 300 });
    const member = fc.oneof(
      long,
      fc.string({ unit: 'binary' }),
      fc.double(),
      fc.integer(),
      fc.boolean(),
      fc.constantFrom(null, undefined, -0, Number.NaN, () => 1),
    );
    const details = fc.tuple(fc.dictionary(fc.string(), member, { maxKeys: 5 }), fc.string(), long);
    fc.assert(
      fc.property(details, ([written, key, text]) => {
        const trace = new Trace();
        const withText = { ...written, [key]: text };
        trace.append(1, 'net:c1', 'net.frame-delivered', withText);
        trace.append(2, 'net:c2', 'net.frame-delivered', { ...withText });
        const expected = JSON.stringify([1, 'net:c1', 'net.frame-delivered', withText]);
        expect(trace.canonicalLines()[0]).toBe(expected);
        expect(trace.canonicalLines()[1]).toBe(expected.replace('[1,"net:c1"', '[2,"net:c2"'));
      }),
    );
  });

  it('follows JSON for odd details, but keeps an Error readable and writes a bigint as a string', () => {
    const trace = new Trace();
    trace.append({
      t: 0,
      actor: 'a',
      kind: 'k',
      details: { gone: undefined, nan: Number.NaN, list: [undefined], f: () => 1 },
    });
    trace.append({ t: 1, actor: 'a', kind: 'k', details: { error: new Error('boom'), big: 10n } });
    trace.append({ t: 2, actor: 'a', kind: 'k', details: { deep: { big: 7n } } });
    const details = trace.canonicalLines().map((line) => JSON.stringify((JSON.parse(line) as unknown[])[3]));
    expect(details).toEqual([
      '{"nan":null,"list":[null]}',
      '{"error":{"name":"Error","message":"boom"},"big":"10"}',
      '{"deep":{"big":"7"}}',
    ]);
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => trace.append({ t: 3, actor: 'a', kind: 'k', details: cyclic })).toThrow(/circular/);
  });

  it('hashes deterministically: the same steps give the same hash, a different order another', () => {
    const a = sample();
    expect(a.hash()).toMatch(/^[0-9a-f]{64}$/);
    expect(sample().hash()).toBe(a.hash());
    const reordered = new Trace();
    reordered.append({ t: 0, actor: 'server', kind: 'start', details: { a: 1, b: 2 } });
    expect(reordered.hash()).not.toBe(Trace.fromEntries([a.entries()[0]!]).hash());
    // Pinned: the serialisation is part of the repro-file contract.
    expect(new Trace().hash()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
    const one = new Trace();
    one.append({ t: 0, actor: 'server', kind: 'start', details: { a: 1 } });
    expect(one.hash()).toBe(createHash('sha256').update('[0,"server","start",{"a":1}]\n').digest('hex'));
  });

  it('writes the UTF-8 of the JSON text whatever the characters, in short pieces and long ones', () => {
    const texts = ['plain', 'é', 'x'.repeat(63) + 'é', 'é' + 'x'.repeat(70), '日本', '\u{1F600}', '\ud800', 'a\u0000b'];
    const trace = new Trace();
    const expected: string[] = [];
    for (const [i, text] of texts.entries()) {
      trace.append({ t: i, actor: text, kind: `k${text}`, details: { [text]: text, n: i } });
      expected.push(JSON.stringify([i, text, `k${text}`, { [text]: text, n: i }]) + '\n');
    }
    const bytes = Buffer.from(expected.join(''), 'utf8');
    expect(trace.hash()).toBe(createHash('sha256').update(bytes).digest('hex'));
    expect(Buffer.from(trace.toJsonLines(), 'utf8').equals(bytes)).toBe(true);
  });

  it('hashes a long trace the same whether read mid-run or only at the end', () => {
    const build = (peekEvery: number) => {
      const trace = new Trace();
      for (let i = 0; i < 1300; i++) {
        trace.append({ t: i, actor: `c${i % 3}`, kind: 'step', details: { i } });
        if (peekEvery > 0 && i % peekEvery === 0) trace.hash();
      }
      return trace;
    };
    const atEnd = build(0);
    expect(build(97).hash()).toBe(atEnd.hash());
    expect(atEnd.hash()).toBe(createHash('sha256').update(atEnd.toJsonLines()).digest('hex'));
  });

  it('keeping only the hash gives the hash a full trace gives, and refuses to show lines it let go', () => {
    const build = (keepOnlyHashAt: number) => {
      const trace = new Trace();
      for (let i = 0; i < 1300; i++) {
        if (i === keepOnlyHashAt) trace.keepOnlyHash();
        trace.append({ t: i, actor: `c${i % 3}`, kind: 'step', details: { i, text: 'é\n' } });
      }
      return trace;
    };
    const full = build(-1);
    for (const at of [0, 1, 511, 512, 1299]) {
      const hashOnly = build(at);
      expect(hashOnly.kept).toBe(false);
      expect(hashOnly.length).toBe(1300);
      expect(hashOnly.hash()).toBe(full.hash());
      expect(() => hashOnly.entries()).toThrow(/kept only its hash/);
      expect(() => hashOnly.toJsonLines()).toThrow(/kept only its hash/);
    }
    expect(full.kept).toBe(true);
  });

  it('moves a long trace to a file past a few megabytes and reads back the same lines', () => {
    const filler = 'x'.repeat(200);
    const trace = new Trace();
    const lines: string[] = [];
    for (let i = 0; i < 40_000; i++) {
      trace.append({ t: i, actor: `c${i % 5}`, kind: 'step', details: { i, filler } });
      lines.push(`[${i},"c${i % 5}","step",{"i":${i},"filler":"${filler}"}]`);
    }
    const spilled = trace as unknown as { file: unknown; blocks: unknown[] };
    expect(spilled.file).not.toBeNull();
    expect(spilled.blocks).toHaveLength(0);
    expect(trace.canonicalLines()).toEqual(lines);
    expect(trace.entries()[39_999]).toMatchObject({ index: 39_999, t: 39_999, details: { i: 39_999 } });
    const text = trace.toJsonLines();
    expect(text).toBe(`${lines.join('\n')}\n`);
    expect(trace.hash()).toBe(createHash('sha256').update(text).digest('hex'));
  });

  it('changes the hash when anything changes, and hash() can be called mid-run', () => {
    const trace = sample();
    const before = trace.hash();
    expect(trace.hash()).toBe(before);
    trace.append({ t: 10, actor: 'net', kind: 'frame' });
    expect(trace.hash()).not.toBe(before);
    const other = sample();
    other.append({ t: 11, actor: 'net', kind: 'frame' });
    expect(other.hash()).not.toBe(trace.hash());
  });

  it('snapshots details so later mutation of the caller object changes nothing', () => {
    const details = { count: 1 };
    const trace = new Trace();
    trace.append({ t: 0, actor: 'a', kind: 'k', details });
    const hash = trace.hash();
    details.count = 2;
    expect(trace.entries()[0]!.details).toEqual({ count: 1 });
    expect(trace.hash()).toBe(hash);
  });

  it('round-trips through JSON lines', () => {
    const trace = sample();
    const copy = Trace.fromJsonLines(trace.toJsonLines());
    expect(copy.hash()).toBe(trace.hash());
    expect(firstDivergence(trace, copy)).toBeNull();
    expect(copy.readFromOlderFormat).toBe(false);
  });

  it('reads the lines older versions wrote, one object per line, into the same entries', () => {
    const older = sample()
      .entries()
      .map(({ actor, details, index, kind, t }) => JSON.stringify({ actor, details, index, kind, t }))
      .join('\n');
    const read = Trace.fromJsonLines(older);
    expect(read.entries()).toEqual(sample().entries());
    expect(read.hash()).toBe(sample().hash());
    expect(read.readFromOlderFormat).toBe(true);
  });
});

describe('firstDivergence', () => {
  it('finds the first differing entry', () => {
    const a = sample();
    const b = new Trace();
    b.append({ t: 0, actor: 'server', kind: 'start', details: { b: 2, a: 1 } });
    b.append({ t: 6, actor: 'client-1', kind: 'request', details: {} });
    const divergence = firstDivergence(a, b);
    expect(divergence?.index).toBe(1);
    expect(divergence?.left?.t).toBe(5);
    expect(divergence?.right?.t).toBe(6);
  });

  it('treats entries that differ only in member order as equal', () => {
    const a = new Trace();
    a.append({ t: 0, actor: 'server', kind: 'start', details: { b: 2, a: { y: 1, x: [1, 2] } } });
    const b = new Trace();
    b.append({ t: 0, actor: 'server', kind: 'start', details: { a: { x: [1, 2], y: 1 }, b: 2 } });
    expect(a.canonicalLines()).not.toEqual(b.canonicalLines());
    expect(firstDivergence(a, b)).toBeNull();
    b.append({ t: 1, actor: 'server', kind: 'next', details: {} });
    expect(firstDivergence(a, b)?.index).toBe(1);
  });

  it('reports a missing tail as a divergence and accepts plain entry arrays', () => {
    const a = sample();
    const shorter = Trace.fromEntries(a.entries().slice(0, 2));
    expect(firstDivergence(a, shorter)).toEqual({ index: 2, left: a.entries()[2], right: null });
    expect(firstDivergence(a.entries(), [...a.entries()])).toBeNull();
  });
});
