import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../testing/history-builder.ts';
import { checkLiveness } from './liveness.ts';

describe('liveness', () => {
  it('passes when every client is connected and idle and no answered request waits', () => {
    const b = new HistoryBuilder();
    b.permissionAnswer('c1', 's1', 'r1');
    b.client('c1').client('c2').openPermission('s1', 'r2'); // r2 was never answered by the app
    expect(checkLiveness(b.build())).toEqual([]);
  });

  it('reports a disconnected client, pending messages and an answered request still waiting', () => {
    const b = new HistoryBuilder();
    const close = b.signal('c1', { type: '_close', reason: 'error' });
    const queued = b.queue('c2', 2);
    const answer = b.permissionAnswer('c2', 's1', 'r1');
    b.client('c1', { connected: false }).client('c2', { pendingCount: 2 }).openPermission('s1', 'r1');
    const found = checkLiveness(b.build());
    expect(found.map((v) => v.property)).toEqual(['liveness', 'liveness', 'liveness']);
    expect(found.map((v) => v.subject)).toEqual([
      { client: 'c1', problem: 'disconnected' },
      { client: 'c2', problem: 'pending', pendingCount: 2 },
      { problem: 'permission', sessionId: 's1', requestId: 'r1' },
    ]);
    expect(found.map((v) => v.evidence)).toEqual([[close], [queued], [answer]]);
  });
});

describe('liveness after a definitive refusal', () => {
  it('passes when only transient answers (404, 429, 5xx, no answer) are retried', () => {
    const b = new HistoryBuilder();
    for (const [attempt, status] of [[1, 404], [2, 429], [3, 503], [4, null]] as const) {
      b.sendAttempt('c1', 'msg-1', 's1', attempt);
      b.sendOutcome('c1', 'msg-1', 's1', status);
    }
    b.sendAttempt('c1', 'msg-1', 's1', 5);
    b.sendOutcome('c1', 'msg-2', 's1', 400); // refused, and not sent again
    expect(checkLiveness(b.build())).toEqual([]);
  });

  it('reports a prompt sent again after a 400', () => {
    const b = new HistoryBuilder();
    b.sendAttempt('c1', 'msg-1', 's1', 1);
    const refusal = b.sendOutcome('c1', 'msg-1', 's1', 400);
    const retry = b.sendAttempt('c1', 'msg-1', 's1', 2);
    b.sendAttempt('c1', 'msg-1', 's1', 3);
    const [v, ...rest] = checkLiveness(b.build());
    expect(rest).toEqual([]);
    expect(v!.subject).toEqual({ problem: 'retried-after-refusal', client: 'c1', clientMsgId: 'msg-1', status: 400 });
    expect(v!.evidence).toEqual([refusal, retry]);
  });
});
