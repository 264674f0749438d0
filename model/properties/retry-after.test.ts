import { describe, expect, it } from 'vitest';
import type { HistoryEntryBody } from '../history.ts';
import { HistoryBuilder } from '../testing/history-builder.ts';
import { checkRetryAfter } from './retry-after.ts';

const attempt = (n: number, clientMsgId = 'm1'): HistoryEntryBody => ({
  kind: 'send-attempt',
  client: 'c1',
  clientMsgId,
  sessionId: 's1',
  attempt: n,
});
const answer = (n: number, status: number, retryAfterMs?: number): HistoryEntryBody => ({
  kind: 'send-outcome',
  client: 'c1',
  clientMsgId: 'm1',
  sessionId: 's1',
  status,
  attempt: n,
  ...(retryAfterMs === undefined ? {} : { retryAfterMs }),
});

/** A 429 asking 5 s at 1000 ms, then the retry at `retryMs`; the run ends at 60 s. */
function retriedAt(retryMs: number, between: (b: HistoryBuilder) => void = () => {}) {
  const b = new HistoryBuilder();
  b.at(900, attempt(1));
  const asked = b.at(1000, answer(1, 429, 5000));
  between(b);
  const retry = b.at(retryMs, attempt(2));
  b.at(60_000, { kind: 'phase', phase: 'end' });
  return { found: checkRetryAfter(b.build()), asked, retry };
}

describe('retry-after', () => {
  it('passes a retry between the time asked and that time plus the slack', () => {
    expect(retriedAt(6000).found).toEqual([]);
    expect(retriedAt(16_000).found).toEqual([]);
  });

  it('reports a retry before the time asked', () => {
    const { found, asked, retry } = retriedAt(2500);
    expect(found).toHaveLength(1);
    expect(found[0]!.property).toBe('retry-after');
    expect(found[0]!.message).toBe('prompt m1 of client c1 was retried 1500 ms after a 429 asking 5000 ms');
    expect(found[0]!.subject).toMatchObject({ status: 429, retryAfterMs: 5000, waitedMs: 1500 });
    expect(found[0]!.evidence).toEqual([asked, retry]);
  });

  it('reports a retry later than asked plus the slack, unless something held the client back', () => {
    expect(retriedAt(16_001).found.map((v) => v.message)).toEqual([
      'prompt m1 of client c1 was retried 15001 ms after a 429 asking 5000 ms, later than 15000 ms',
    ]);
    const closed = retriedAt(16_001, (b) => b.signal('c1', { type: '_close', reason: 'stream dropped' }));
    expect(closed.found).toEqual([]);
    const crash = retriedAt(16_001, (b) => b.add({ kind: 'fault', fault: 'server-crash', details: {} }));
    expect(crash.found).toEqual([]);
    const otherClient = retriedAt(16_001, (b) =>
      b.add({ kind: 'fault', fault: 'stream-drop', details: { client: 'c2' } }),
    );
    expect(otherClient.found).toHaveLength(1);
  });

  it('does not hold a client late that was already held back when the answer came', () => {
    const lateAfter = (before: (b: HistoryBuilder) => void) => {
      const b = new HistoryBuilder();
      before(b);
      b.at(900, attempt(1));
      b.at(1000, answer(1, 429, 5000));
      b.at(25_000, attempt(2));
      b.at(60_000, { kind: 'phase', phase: 'end' });
      return checkRetryAfter(b.build());
    };
    const offline = { kind: 'fault', fault: 'client-offline', details: { client: 'c1', offlineMs: 30_000 } } as const;
    expect(lateAfter((b) => b.at(500, offline))).toEqual([]);
    expect(lateAfter((b) => b.at(500, { ...offline, details: { client: 'c1', offlineMs: 300 } }))).toHaveLength(1);
    const closed = (b: HistoryBuilder) => b.signal('c1', { type: '_close', reason: 'stream error' });
    expect(lateAfter(closed)).toEqual([]);
    expect(
      lateAfter((b) => {
        closed(b);
        b.welcome('c1', 'conn-2');
      }),
    ).toHaveLength(1);
  });

  it('reports a prompt never retried, and not one the client gave up on', () => {
    const b = new HistoryBuilder();
    b.at(900, attempt(1));
    b.at(1000, answer(1, 503, 2000));
    b.at(60_000, { kind: 'phase', phase: 'end' });
    expect(checkRetryAfter(b.build()).map((v) => v.message)).toEqual([
      'prompt m1 of client c1 was not retried within 12000 ms of a 503 asking 2000 ms',
    ]);
    const gaveUp = new HistoryBuilder();
    gaveUp.at(900, attempt(8));
    gaveUp.at(1000, answer(8, 503, 2000));
    gaveUp.sendFailed('c1', 'm1', 's1');
    gaveUp.at(60_000, { kind: 'phase', phase: 'end' });
    expect(checkRetryAfter(gaveUp.build())).toEqual([]);
  });

  it('ignores answers without Retry-After, answers to a replaced POST, waits a reload forgot', () => {
    const plain = new HistoryBuilder();
    plain.at(900, attempt(1));
    plain.at(1000, answer(1, 429));
    plain.at(1100, attempt(2));
    expect(checkRetryAfter(plain.build())).toEqual([]);
    const b = new HistoryBuilder();
    b.at(900, attempt(1));
    b.at(950, answer(1, 503));
    b.at(1000, attempt(2));
    b.at(1100, answer(1, 429, 5000)); // answers attempt 1, which the client already replaced
    b.at(1200, attempt(3));
    expect(checkRetryAfter(b.build())).toEqual([]);
    const reloaded = retriedAt(1500, (b) => b.reload('c1'));
    expect(reloaded.found).toEqual([]);
  });

  it('caps the wait at the longest Retry-After the schedule honours', () => {
    const b = new HistoryBuilder();
    b.at(900, attempt(1));
    b.at(1000, answer(1, 429, 600_000));
    b.at(61_000, attempt(2));
    expect(checkRetryAfter(b.build())).toEqual([]);
  });
});
