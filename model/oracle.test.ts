import { describe, expect, it } from 'vitest';
import { appliedAt, buildOracle, cursorsAt, firstCursorAt, gapReported, key, lastEpoch, oracleFor } from './oracle.ts';
import { HistoryBuilder } from './testing/history-builder.ts';

describe('oracle', () => {
  it('derives connections, epochs, prompts, applied runs and gaps', () => {
    const b = new HistoryBuilder();
    b.welcome('c1', 'conn-1');
    const prompt = b.prompt('c1', 's1', 'p', { clientMsgId: 'm1' });
    const attempt = b.sendAttempt('c1', 'm1', 's1', 1);
    b.applied('c1', 's1', 1, 0);
    b.applied('c1', 's1', 2, 1, true);
    b.reload('c1');
    const after = b.applied('c1', 's1', 2, 1);
    const gap = b.gap('c1', 's1', 3, 4);
    b.persisted('s1', 1, 'm1', 'p');
    const history = b.build();
    const o = buildOracle(history);
    expect(o.clientOfConnection.get('conn-1')).toBe('c1');
    expect(lastEpoch(o, 'c1')).toBe(1);
    expect(appliedAt(o, key('c1', 's1', 0)).map((a) => a.seq)).toEqual([1]);
    expect(appliedAt(o, key('c1', 's1', 1)).map((a) => a.index)).toEqual([after]);
    expect(o.prompts).toHaveLength(1);
    expect(o.prompts[0]!.entry.index).toBe(prompt);
    expect(o.prompts[0]!.attempts.map((a) => a.index)).toEqual([attempt]);
    expect(o.prompts[0]!.persisted.map((r) => r.seq)).toEqual([1]);
    expect(gapReported(o, 'c1', 's1', 4)).toBe(true);
    expect(gapReported(o, 'c1', 's1', 4, gap)).toBe(false);
    expect(gapReported(o, 'c1', 's1', 5)).toBe(false);
    expect(oracleFor(history)).toBe(oracleFor(history));
  });

  it('gives the first cursor of an epoch as cursorsAt does, or none', () => {
    const b = new HistoryBuilder();
    b.cursor('c1', 's1', 4);
    b.applied('c1', 's1', 5, 4);
    b.cursor('c1', 's1', 5);
    b.reload('c1');
    const history = b.build();
    const o = buildOracle(history);
    expect(firstCursorAt(o, key('c1', 's1', 0))).toEqual(cursorsAt(o, key('c1', 's1', 0))[0]);
    expect(firstCursorAt(o, key('c1', 's1', 0))?.cursor).toBe(4);
    expect(firstCursorAt(o, key('c1', 's1', 1))).toBeUndefined();
  });
});
