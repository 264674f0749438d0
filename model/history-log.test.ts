import { describe, expect, it } from 'vitest';
import type { History, HistoryEntry } from './history.ts';
import { entriesOf, entriesOfKinds, historyOfLog } from './history-entries.ts';
import { HistoryLog } from './history-log.ts';
import { kindMask } from './history-kind-codes.ts';
import { KEPT_ROWS_MAX } from './kept-entries.ts';
import { HistoryBuilder } from './testing/history-builder.ts';

/** A mixed run: every column kind, whole kinds between them, and numbers rows cannot hold. */
function sampleEntries(count: number): HistoryEntry[] {
  const entries: HistoryEntry[] = [];
  let index = 0;
  let t = 0;
  const next = () => ({ index: (index += 1 + (index % 3)), t: (t += index % 7 === 0 ? 70_000 : index % 2) });
  for (let i = 0; entries.length < count; i++) {
    const seq = 1 + (i % 5000) * 3;
    const client = `c${i % 8}`;
    const sessionId = `s${i % 3}`;
    entries.push(
      {
        kind: 'frame-sent',
        connectionId: `conn-${i >> 4}`,
        client: i % 5 === 0 ? null : client,
        sessionId,
        seq,
        via: 'live',
        ...next(),
      },
      { kind: 'frame-received', client, stream: `st-${i >> 4}`, sessionId, seq, ...next() },
      { kind: 'applied', client, sessionId, seq, prevSessionSeq: seq - (i % 4), failed: i % 11 === 0, ...next() },
      { kind: 'cursor', client, sessionId, cursor: i % 13 === 0 ? -7 : seq, ...next() },
      { kind: 'buffer', client, sessionId, length: i % 4, ...next() },
      { kind: 'queue', client, length: i % 6, ...next() },
    );
    if (i % 50 === 0) entries.push({ kind: 'reload', client, ...next() });
    if (i % 97 === 0) entries.push({ kind: 'cursor', client, sessionId, cursor: 2 ** 40, ...next() });
    if (i % 89 === 0)
      entries.push({ kind: 'applied', client, sessionId, seq: 1.5, prevSessionSeq: 0, failed: false, ...next() });
    if (i % 83 === 0) entries.push({ kind: 'queue', client, length: -0, ...next() });
    if (i % 79 === 0) entries.push({ kind: 'buffer', client, sessionId, length: 1, index: 2 ** 31 + i, t: 0.5 });
  }
  return entries.slice(0, count);
}

function logOf(entries: HistoryEntry[]): HistoryLog {
  const log = new HistoryLog();
  for (const entry of entries) log.push({ ...entry });
  return log;
}

describe('HistoryLog', () => {
  // Past one chunk of kinds (32768 rows) and of bytes (256 KiB).
  const entries = sampleEntries(70_000);
  const log = logOf(entries);

  it('gives back every entry as it was pushed, in order', () => {
    expect(log.length).toBe(entries.length);
    const back = log.toArray();
    expect(back).toEqual(entries);
    // Same fields in the same order, -0 kept: what a run file would hold.
    expect(JSON.stringify(back)).toBe(JSON.stringify(entries));
    expect(back.filter((e) => e.kind === 'queue' && Object.is(e.length, -0))).not.toHaveLength(0);
  });

  it('reads any position, backwards and by jumps, and knows kinds without building entries', () => {
    const positions = [entries.length - 1, 0, 40_000, 39_999, 63, 64, 65, 12_345, 5, -1, -entries.length];
    for (const position of positions) expect(log.at(position)).toEqual(entries.at(position));
    for (let position = entries.length - 1; position >= entries.length - 200; position--) {
      expect(log.at(position)).toEqual(entries[position]);
      expect(log.nextOfKinds(kindMask([entries[position]!.kind]), position)).toBe(position);
    }
    expect([log.at(entries.length), log.at(-entries.length - 1)]).toEqual([undefined, undefined]);
  });

  it('finds the next row of some kinds across chunks, skipping rows of any shape between', () => {
    const wanted = kindMask(['reload', 'cursor']);
    const expected = entries.flatMap((e, position) => (e.kind === 'reload' || e.kind === 'cursor' ? [position] : []));
    const found: number[] = [];
    for (let p = log.nextOfKinds(wanted, 0); p < log.length; p = log.nextOfKinds(wanted, p + 1)) found.push(p);
    expect(found).toEqual(expected);
    // Sparse forward reads skip the rows between without building them, and still decode right.
    for (const position of expected) expect(log.at(position)).toEqual(entries[position]);
    expect(log.nextOfKinds(kindMask(['agent-run']), 0)).toBe(log.length);
  });
});

describe('HistoryLog: entries kept once built', () => {
  const entries = sampleEntries(KEPT_ROWS_MAX + 100);

  it('hands out the entry it built for a row again in a log of up to KEPT_ROWS_MAX rows', () => {
    const log = logOf(entries.slice(0, KEPT_ROWS_MAX));
    for (const position of [5, 0, KEPT_ROWS_MAX - 1, 7]) {
      const first = log.at(position);
      expect(first).toEqual(entries[position]);
      expect(log.at(position)).toBe(first);
    }
    // The array a report reads is its own.
    expect(log.toArray()[5]).not.toBe(log.at(5));
  });

  it('builds at every read in a longer log, and lets go of what it kept once it grows past the bound', () => {
    const long = logOf(entries);
    // Rows of a few kinds hold their entry whole, and hand out that one object whatever is kept.
    const builtAt = (from: number) => {
      let position = from;
      while (long.at(position) === long.at(position)) position += 1;
      return position;
    };
    for (const position of [builtAt(0), builtAt(KEPT_ROWS_MAX)]) expect(long.at(position)).toEqual(entries[position]);
    const position = builtAt(0);
    const growing = logOf(entries.slice(0, KEPT_ROWS_MAX));
    const kept = growing.at(position);
    expect(growing.at(position)).toBe(kept);
    for (const { index, t, ...body } of entries.slice(KEPT_ROWS_MAX)) growing.pushAt(structuredClone(body), index, t);
    expect(growing.at(position)).toEqual(kept);
    expect(growing.at(position)).not.toBe(kept);
  });

  it('keeps rows pushed after the first read', () => {
    const log = logOf(entries.slice(0, 10));
    expect(log.at(9)).toEqual(entries[9]);
    const { index, t, ...body } = entries[10]!;
    log.pushAt(structuredClone(body), index, t);
    expect(log.at(10)).toEqual(entries[10]);
    expect(log.at(10)).toBe(log.at(10));
  });
});

describe('a History over a log', () => {
  const { entries: none, ...rest } = new HistoryBuilder().build();
  const entries = sampleEntries(3000);

  it('reads the log for checks and builds its entries array only when asked', () => {
    expect(none).toEqual([]);
    const log = logOf(entries);
    const history = historyOfLog(log, rest);
    expect(entriesOf(history)).toBe(log);
    const reloads = [...entriesOfKinds(history, ['reload', 'queue'])];
    expect(reloads).toEqual(entries.filter((e) => e.kind === 'reload' || e.kind === 'queue'));
    expect(history.entries).toEqual(entries);
    expect(history.entries).toBe(history.entries);
    expect(JSON.parse(JSON.stringify(history)).entries).toHaveLength(entries.length);
  });

  it('reads an assigned array instead of its log, and an array history alike', () => {
    const history = historyOfLog(logOf(entries), rest);
    history.entries = entries.slice(0, 10);
    expect([...entriesOf(history)]).toEqual(entries.slice(0, 10));
    const plain: History = { ...rest, entries };
    expect([...entriesOfKinds(plain, ['reload'])]).toEqual(entries.filter((e) => e.kind === 'reload'));
    expect(entriesOf(plain).nextOfKinds(kindMask([entries[1]!.kind]), 1)).toBe(1);
  });
});
