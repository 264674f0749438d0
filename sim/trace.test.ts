import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalJson, firstDivergence, Trace } from './trace.ts';

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

  it('serialises each entry as canonical JSON with sorted keys', () => {
    const lines = sample().canonicalLines();
    expect(lines[0]).toBe('{"actor":"server","details":{"a":1,"b":2},"index":0,"kind":"start","t":0}');
    expect(lines[1]).toContain('"nested":{"a":null,"z":[3,{"x":2,"y":1}]}');
    expect(sample().toJsonLines().split('\n')).toHaveLength(4);
  });

  it('hashes deterministically, independent of key insertion order', () => {
    const a = sample();
    const b = new Trace();
    b.append({ t: 0, actor: 'server', kind: 'start', details: { a: 1, b: 2 } });
    b.append({ t: 5, actor: 'client-1', kind: 'request', details: { nested: { a: null, z: [3, { x: 2, y: 1 }] }, path: '/api/chat/send' } });
    b.append({ t: 9, actor: 'net', kind: 'frame', details: {} });
    expect(a.hash()).toMatch(/^[0-9a-f]{64}$/);
    expect(b.hash()).toBe(a.hash());
    expect(sample().hash()).toBe(a.hash());
    // Pinned: the serialisation is part of the repro-file contract.
    expect(new Trace().hash()).toBe('e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855');
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
  });
});

describe('firstDivergence', () => {
  it('finds the first differing entry', () => {
    const a = sample();
    const b = new Trace();
    b.append({ t: 0, actor: 'server', kind: 'start', details: { a: 1, b: 2 } });
    b.append({ t: 6, actor: 'client-1', kind: 'request', details: {} });
    const divergence = firstDivergence(a, b);
    expect(divergence?.index).toBe(1);
    expect(divergence?.left?.t).toBe(5);
    expect(divergence?.right?.t).toBe(6);
  });

  it('reports a missing tail as a divergence and accepts plain entry arrays', () => {
    const a = sample();
    const shorter = Trace.fromEntries(a.entries().slice(0, 2));
    expect(firstDivergence(a, shorter)).toEqual({ index: 2, left: a.entries()[2], right: null });
    expect(firstDivergence(a.entries(), [...a.entries()])).toBeNull();
  });
});

describe('canonicalJson', () => {
  it('follows JSON semantics for odd values and keeps errors readable', () => {
    expect(canonicalJson({ b: undefined, a: Number.NaN, c: [undefined], f: () => 1 })).toBe('{"a":null,"c":[null]}');
    expect(canonicalJson(new Error('boom'))).toBe('{"message":"boom","name":"Error"}');
    expect(canonicalJson({ big: 10n })).toBe('{"big":"10"}');
    const shared = { x: 1 };
    expect(canonicalJson({ a: shared, b: shared })).toBe('{"a":{"x":1},"b":{"x":1}}');
    const cyclic: Record<string, unknown> = {};
    cyclic.self = cyclic;
    expect(() => canonicalJson(cyclic)).toThrow(/cyclic/);
  });

  it('matches JSON.stringify of a copy with keys sorted at every level', () => {
    const sortedCopy = (value: unknown): unknown => {
      if (Array.isArray(value)) return value.map(sortedCopy);
      if (value === null || typeof value !== 'object') return value;
      const source = value as Record<string, unknown>;
      const copy: Record<string, unknown> = {};
      for (const key of Object.keys(source).sort()) copy[key] = sortedCopy(source[key]);
      return copy;
    };
    fc.assert(
      fc.property(fc.jsonValue(), (value) => {
        expect(canonicalJson(value)).toBe(JSON.stringify(sortedCopy(value)));
      }),
      { numRuns: 300 },
    );
  });
});
