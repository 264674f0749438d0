import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../testing/history-builder.ts';
import { checkNoDuplicates } from './no-duplicates.ts';

describe('no-duplicates', () => {
  it('passes when a seq is applied again only after a reload or after a failed apply', () => {
    const b = new HistoryBuilder();
    b.applied('c1', 's1', 3, 0, true);
    b.applied('c1', 's1', 3, 0);
    b.applied('c2', 's1', 3, 0);
    b.reload('c1');
    b.applied('c1', 's1', 3, 0);
    expect(checkNoDuplicates(b.build())).toEqual([]);
  });

  it('reports a seq applied twice within one epoch', () => {
    const b = new HistoryBuilder();
    const first = b.applied('c1', 's1', 3, 0);
    b.applied('c1', 's1', 5, 3);
    const again = b.applied('c1', 's1', 3, 0);
    b.applied('c1', 's1', 5, 3); // a later repeat is counted in the same finding
    const [v, ...rest] = checkNoDuplicates(b.build());
    expect(rest).toEqual([]);
    expect(v!.property).toBe('no-duplicates');
    expect(v!.subject).toEqual({ client: 'c1', sessionId: 's1', seq: 3, repeats: 2 });
    expect(v!.evidence).toEqual([first, again]);
  });
});
