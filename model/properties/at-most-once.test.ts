import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../testing/history-builder.ts';
import { checkAtMostOnce } from './at-most-once.ts';

describe('at-most-once', () => {
  it('passes when every prompt text is run once', () => {
    const b = new HistoryBuilder();
    b.agentRun('s1', 'm1', 'a');
    b.agentRun('s1', 'm2', 'b');
    expect(checkAtMostOnce(b.build())).toEqual([]);
  });

  it('reports a prompt run twice under different clientMsgIds', () => {
    const b = new HistoryBuilder();
    const run1 = b.agentRun('s1', 'm1', 'a');
    b.agentRun('s1', 'm2', 'b');
    const run2 = b.agentRun('s1', 'm1-again', 'a');
    const [v, ...rest] = checkAtMostOnce(b.build());
    expect(rest).toEqual([]);
    expect(v!.property).toBe('at-most-once');
    expect(v!.subject).toEqual({ prompt: 'a', sessionId: 's1', runs: 2, clientMsgIds: 'm1,m1-again' });
    expect(v!.evidence).toEqual([run1, run2]);
  });
});
