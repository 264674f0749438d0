import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../testing/history-builder.ts';
import { checkNoSilentGap } from './no-silent-gap.ts';

describe('no-silent-gap', () => {
  it('passes when the last epoch applied every event after its catch-up cursor or was told of a gap', () => {
    const b = new HistoryBuilder();
    b.stored('s1', [1, 2, 3, 4, 5, 6]).stored('s9', [7]);
    b.applied('c1', 's1', 1, 0);
    b.reload('c1');
    b.cursor('c1', 's1', 3); // the app caught up to 3 from its own history
    b.applied('c1', 's1', 4, 3);
    b.gap('c1', 's1', 5, 5);
    b.applied('c1', 's1', 6, 5);
    b.client('c1', { sessions: [{ sessionId: 's1', cursor: 6 }] }); // s9 is not tracked
    expect(checkNoSilentGap(b.build())).toEqual([]);
  });

  it('reports events of a tracked session the client never applied', () => {
    const b = new HistoryBuilder();
    b.stored('s1', [1, 2, 3, 4]);
    const one = b.applied('c1', 's1', 1, 0);
    b.applied('c1', 's1', 2, 1, true); // failed, never re-delivered
    const three = b.applied('c1', 's1', 3, 2);
    b.client('c1', { sessions: [{ sessionId: 's1', cursor: 3 }] });
    const [v, ...rest] = checkNoSilentGap(b.build());
    expect(rest).toEqual([]);
    expect(v!.property).toBe('no-silent-gap');
    expect(v!.subject).toEqual({ client: 'c1', sessionId: 's1', firstMissingSeq: 2, missing: 2 });
    expect(v!.evidence).toEqual([one, three]);
  });

  it('does not demand events created too late to have arrived by the end', () => {
    const b = new HistoryBuilder();
    b.stored('s1', [1, 2, 3]);
    b.applied('c1', 's1', 1, 0);
    b.client('c1', { sessions: [{ sessionId: 's1', cursor: 1 }] });
    b.settled('s1', 1);
    expect(checkNoSilentGap(b.build())).toEqual([]);
    b.settled('s1', 2);
    expect(checkNoSilentGap(b.build())[0]!.subject).toEqual({
      client: 'c1',
      sessionId: 's1',
      firstMissingSeq: 2,
      missing: 1,
    });
  });

  it('judges each session by its own settled seq: a long session does not settle a short one', () => {
    const b = new HistoryBuilder();
    b.stored('s1', [1, 2, 3, 4, 5, 6]);
    b.stored('s2', [1, 2, 3]);
    for (const seq of [1, 2, 3, 4, 5, 6]) b.applied('c1', 's1', seq, seq - 1);
    b.applied('c1', 's2', 1, 0);
    b.client('c1', {
      sessions: [
        { sessionId: 's1', cursor: 6 },
        { sessionId: 's2', cursor: 1 },
      ],
    });
    b.settled('s1', 6).settled('s2', 1);
    expect(checkNoSilentGap(b.build())).toEqual([]);
    b.settled('s2', 3);
    expect(checkNoSilentGap(b.build())[0]!.subject).toMatchObject({ sessionId: 's2', firstMissingSeq: 2 });
  });

  it('counts only the last epoch: what was applied before a reload without catch-up is gone', () => {
    const b = new HistoryBuilder();
    b.stored('s1', [1, 2, 3]);
    b.applied('c1', 's1', 1, 0);
    b.applied('c1', 's1', 2, 1);
    b.reload('c1');
    b.cursor('c1', 's1', 3); // the receipt of seq 3 itself, not a catch-up
    const three = b.applied('c1', 's1', 3, 2);
    b.client('c1', { sessions: [{ sessionId: 's1', cursor: 3 }] });
    const [v] = checkNoSilentGap(b.build());
    expect(v!.subject).toEqual({ client: 'c1', sessionId: 's1', firstMissingSeq: 1, missing: 2 });
    expect(v!.evidence).toEqual([three]);
  });

  it('without cursor reports, demands what lies above what the app applied before the reload', () => {
    const b = new HistoryBuilder().without('cursor');
    b.stored('s1', [1, 2, 3, 4, 5]);
    b.applied('c1', 's1', 1, 0);
    b.applied('c1', 's1', 2, 1);
    b.reload('c1');
    const four = b.applied('c1', 's1', 4, 3); // 3 was never applied, in any epoch
    b.applied('c1', 's1', 5, 4);
    b.client('c1', { sessions: [{ sessionId: 's1', cursor: null }] });
    const [v, ...rest] = checkNoSilentGap(b.build());
    expect(rest).toEqual([]);
    expect(v!.subject).toEqual({ client: 'c1', sessionId: 's1', firstMissingSeq: 3, missing: 1 });
    expect(v!.evidence).toEqual([four]);
    const told = new HistoryBuilder().without('cursor');
    told.stored('s1', [1, 2, 3]).applied('c1', 's1', 1, 0);
    told.reload('c1');
    told.applied('c1', 's1', 2, 1);
    told.applied('c1', 's1', 3, 2);
    told.client('c1', { sessions: [{ sessionId: 's1', cursor: null }] });
    expect(checkNoSilentGap(told.build())).toEqual([]);
  });
});
