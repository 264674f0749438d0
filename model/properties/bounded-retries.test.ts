import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../testing/history-builder.ts';
import { checkBoundedRetries } from './bounded-retries.ts';

describe('bounded-retries', () => {
  it('passes when each prompt stays within its budget', () => {
    const b = new HistoryBuilder({ sendAttemptBudget: 3 });
    b.prompt('c1', 's1', 'a', { clientMsgId: 'm1' });
    b.prompt('c1', 's1', 'b', { clientMsgId: 'm2' });
    for (const attempt of [1, 2, 3]) b.sendAttempt('c1', 'm1', 's1', attempt);
    for (const attempt of [1, 2, 3]) b.sendAttempt('c1', 'm2', 's1', attempt);
    expect(checkBoundedRetries(b.build())).toEqual([]);
  });

  it('reports an attempt number over the budget', () => {
    const b = new HistoryBuilder({ sendAttemptBudget: 3 });
    b.prompt('c1', 's1', 'a', { clientMsgId: 'm1' });
    const first = b.sendAttempt('c1', 'm1', 's1', 1);
    const fourth = b.sendAttempt('c1', 'm1', 's1', 4); // attempts 2 and 3 were not traced
    const [v, ...rest] = checkBoundedRetries(b.build());
    expect(rest).toEqual([]);
    expect(v!.property).toBe('bounded-retries');
    expect(v!.subject).toEqual({ client: 'c1', sessionId: 's1', clientMsgId: 'm1', prompt: 'a', attempts: 4 });
    expect(v!.evidence).toEqual([first, fourth]);
  });

  it('reports a prompt whose attempts over fresh clientMsgIds add up past the budget', () => {
    const b = new HistoryBuilder({ sendAttemptBudget: 3 });
    b.prompt('c1', 's1', 'a', { clientMsgId: 'm1' });
    const first = b.sendAttempt('c1', 'm1', 's1', 1);
    b.sendAttempt('c1', 'm1', 's1', 2);
    b.agentRun('s1', 'm1-fresh', 'a');
    b.sendAttempt('c1', 'm1-fresh', 's1', 1);
    const over = b.sendAttempt('c1', 'm1-fresh', 's1', 2);
    b.sendAttempt('c1', 'm1-fresh', 's1', 3); // reported once per prompt
    const [v, ...rest] = checkBoundedRetries(b.build());
    expect(rest).toEqual([]);
    expect(v!.subject).toEqual({ client: 'c1', sessionId: 's1', clientMsgId: 'm1-fresh', prompt: 'a', attempts: 4 });
    expect(v!.evidence).toEqual([first, over]);
  });
});
