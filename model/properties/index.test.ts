import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../testing/history-builder.ts';
import { checkAll, PROPERTIES, PROPERTY_IDS } from './index.ts';

describe('checkAll', () => {
  it('has a checker for every property id', () => {
    expect(PROPERTY_IDS).toHaveLength(12);
    for (const id of PROPERTY_IDS) expect(typeof PROPERTIES[id]).toBe('function');
  });

  it('passes a clean history', () => {
    const b = new HistoryBuilder();
    b.welcome('c1', 'conn-1');
    b.prompt('c1', 's1', 'hi', { clientMsgId: 'm1' });
    b.sendAttempt('c1', 'm1', 's1', 1);
    b.agentRun('s1', 'm1', 'hi');
    b.frameSent('conn-1', 's1', 1);
    b.applied('c1', 's1', 1, 0);
    b.cursor('c1', 's1', 1);
    b.persisted('s1', 1, 'm1', 'hi').client('c1', { sessions: [{ sessionId: 's1', cursor: 1 }] });
    expect(checkAll(b.build())).toEqual([]);
  });

  it('sorts violations by first evidence and honours `only`', () => {
    const b = new HistoryBuilder();
    const died = b.serverDown(false);
    const run1 = b.agentRun('s1', 'm1', 'x');
    b.agentRun('s1', 'm2', 'x');
    const high = b.cursor('c1', 's1', 5);
    b.cursor('c1', 's1', 2);
    const history = b.build();
    expect(checkAll(history).map((v) => [v.property, v.evidence[0]])).toEqual([
      ['server-survives', died],
      ['at-most-once', run1],
      ['cursor-monotonic', high],
    ]);
    expect(checkAll(history, ['cursor-monotonic']).map((v) => v.property)).toEqual(['cursor-monotonic']);
  });
});
