import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../testing/history-builder.ts';
import { checkSessionOrder } from './session-order.ts';

describe('session-order', () => {
  it('passes for a chain, a free first event per epoch, failed applies and a reported gap', () => {
    const b = new HistoryBuilder();
    b.stored('s1', [2, 4, 5, 7, 9, 11]);
    b.applied('c1', 's1', 4, 2); // first of the epoch: free
    b.applied('c1', 's1', 5, 4);
    b.applied('c1', 's1', 7, 5, true); // failed: not applied
    b.gap('c1', 's1', 7, 7);
    b.applied('c1', 's1', 9, 7); // skips 7, reported before
    b.reload('c1');
    b.applied('c1', 's1', 2, 0); // new epoch: free again
    b.applied('c1', 's1', 4, 2);
    expect(checkSessionOrder(b.build())).toEqual([]);
  });

  it('reports an event applied after a silent hole', () => {
    const b = new HistoryBuilder();
    b.stored('s1', [2, 4, 5, 7]);
    const before = b.applied('c1', 's1', 4, 2);
    b.gap('c1', 's1', 7, 7); // covers 7 only, not the skipped 5
    const after = b.applied('c1', 's1', 7, 5);
    const [v, ...rest] = checkSessionOrder(b.build());
    expect(rest).toEqual([]);
    expect(v!.property).toBe('session-order');
    expect(v!.subject).toEqual({ client: 'c1', sessionId: 's1', seq: 7, prevSessionSeq: 5, previousSeq: 4 });
    expect(v!.evidence).toEqual([before, after]);
  });

  it('reports a gap signal raised only after the skip, and an event going backwards', () => {
    const b = new HistoryBuilder();
    b.stored('s1', [1, 2, 3]);
    const one = b.applied('c1', 's1', 1, 0);
    const three = b.applied('c1', 's1', 3, 2);
    b.gap('c1', 's1', 2, 2);
    b.applied('c1', 's1', 2, 1);
    // One finding per client, session and epoch: the first out-of-order apply, counting the rest.
    const found = checkSessionOrder(b.build());
    expect(found.map((v) => v.evidence)).toEqual([[one, three]]);
    expect(found[0]!.subject).toMatchObject({ seq: 3, previousSeq: 1, outOfOrder: 2 });
  });

  it('reports an event going backwards', () => {
    const b = new HistoryBuilder();
    b.stored('s1', [1, 2, 3]);
    b.applied('c1', 's1', 1, 0);
    b.gap('c1', 's1', 2, 2);
    const three = b.applied('c1', 's1', 3, 2);
    const two = b.applied('c1', 's1', 2, 1);
    const found = checkSessionOrder(b.build());
    expect(found.map((v) => v.evidence)).toEqual([[three, two]]);
    expect(found[0]!.subject).toMatchObject({ seq: 2, previousSeq: 3 });
  });
});

describe('session-order on the wire', () => {
  it('passes when each stream carries a session in increasing seq, also with a fresh stream starting lower', () => {
    const b = new HistoryBuilder();
    b.frameReceived('c1', 's1', 4, 'stream-1');
    b.frameReceived('c1', 's1', 7, 'stream-1');
    b.frameReceived('c1', 's2', 5, 'stream-1');
    b.frameReceived('c1', 's1', 5, 'stream-2'); // a replay on a new stream
    expect(checkSessionOrder(b.build())).toEqual([]);
  });

  it('reports a frame that arrived behind a later one on the same stream', () => {
    const b = new HistoryBuilder();
    b.frameReceived('c1', 's1', 10, 'stream-1');
    const later = b.frameReceived('c1', 's1', 12, 'stream-1');
    const behind = b.frameReceived('c1', 's1', 11, 'stream-1');
    b.frameReceived('c1', 's1', 11, 'stream-1');
    const [v, ...rest] = checkSessionOrder(b.build());
    expect(rest).toEqual([]);
    expect(v!.subject).toEqual({
      client: 'c1',
      sessionId: 's1',
      seq: 11,
      previousSeq: 12,
      stream: 'stream-1',
      outOfOrder: 2,
    });
    expect(v!.evidence).toEqual([later, behind]);
  });
});
