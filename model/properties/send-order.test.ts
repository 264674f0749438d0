import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../testing/history-builder.ts';
import { checkSendOrder } from './send-order.ts';

describe('send-order', () => {
  it('passes when prompts persist in send order, skipping failed and missing ones', () => {
    const b = new HistoryBuilder();
    b.prompt('c1', 's1', 'a', { clientMsgId: 'm1' });
    b.prompt('c1', 's1', 'b', { clientMsgId: 'm2' });
    b.sendFailed('c1', 'm2', 's1');
    b.prompt('c1', 's1', 'c', { clientMsgId: 'm3' });
    b.prompt('c1', 's1', 'never-persisted', { clientMsgId: 'm4' });
    b.prompt('c2', 's1', 'other-client', { clientMsgId: 'm5' });
    // b failed but was persisted late; it is ignored. c2 is ordered on its own.
    b.persisted('s1', 3, 'm1', 'a')
      .persisted('s1', 5, 'm3', 'c')
      .persisted('s1', 7, 'm2', 'b')
      .persisted('s1', 1, 'm5', 'other-client');
    expect(checkSendOrder(b.build())).toEqual([]);
  });

  it('reports a prompt persisted before one the user sent earlier', () => {
    const b = new HistoryBuilder();
    const first = b.prompt('c1', 's1', 'first', { clientMsgId: 'm1' });
    const second = b.prompt('c1', 's1', 'second', { clientMsgId: 'm2' });
    b.persisted('s1', 8, 'm1', 'first').persisted('s1', 6, 'm2', 'second');
    const [v, ...rest] = checkSendOrder(b.build());
    expect(rest).toEqual([]);
    expect(v!.property).toBe('send-order');
    expect(v!.subject).toEqual({
      client: 'c1',
      sessionId: 's1',
      prompt: 'second',
      seq: 6,
      earlierPrompt: 'first',
      earlierSeq: 8,
    });
    expect(v!.evidence).toEqual([first, second]);
  });
});
