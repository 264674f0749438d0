import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../testing/history-builder.ts';
import { checkCursorMonotonic } from './cursor-monotonic.ts';

describe('cursor-monotonic', () => {
  it('passes when cursors only grow within an epoch, even if a reload restores a lower one', () => {
    const b = new HistoryBuilder();
    b.cursor('c1', 's1', 3);
    b.cursor('c1', 's1', 3);
    b.cursor('c1', 's1', 8);
    b.cursor('c1', 's2', 1); // another session
    b.reload('c1');
    b.cursor('c1', 's1', 5);
    expect(checkCursorMonotonic(b.build())).toEqual([]);
  });

  it('reports a cursor moving backwards', () => {
    const b = new HistoryBuilder();
    const high = b.cursor('c1', 's1', 8);
    const low = b.cursor('c1', 's1', 4);
    const [v, ...rest] = checkCursorMonotonic(b.build());
    expect(rest).toEqual([]);
    expect(v!.property).toBe('cursor-monotonic');
    expect(v!.subject).toEqual({ client: 'c1', sessionId: 's1', cursor: 4, previousCursor: 8 });
    expect(v!.evidence).toEqual([high, low]);
  });
});
