import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../testing/history-builder.ts';
import { checkLiveness } from './liveness.ts';
import { SEND_ATTEMPT_BUDGET } from '../../transport/protocol.ts';

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

  it('reports a client that believes it is connected on a connection the server forgot', () => {
    const b = new HistoryBuilder();
    b.welcome('c1', 'conn-1');
    const welcome = b.welcome('c1', 'conn-2');
    b.client('c1', { connectionId: 'conn-2', serverKnowsConnection: false });
    b.client('c2', { connected: false, serverKnowsConnection: false });
    const found = checkLiveness(b.build());
    expect(found.map((v) => v.subject)).toEqual([
      { client: 'c1', problem: 'stale-connection', connectionId: 'conn-2' },
      { client: 'c2', problem: 'disconnected' },
    ]);
    expect(found[0]!.message).toMatch(/c1 believes it is connected on conn-2, which the server does not know/);
    expect(found[0]!.evidence).toEqual([welcome]);
  });

  it('accepts an answer the client reported lost after its whole budget, not one given up early', () => {
    const lost = (attempts: number) => ({
      type: 'error' as const,
      message: 'permission_response failed',
      messageType: 'permission_response',
      sessionId: 's1',
      requestId: 'r1',
      attempts,
    });
    const spent = new HistoryBuilder();
    spent.permissionAnswer('c1', 's1', 'r1');
    spent.signal('c1', lost(SEND_ATTEMPT_BUDGET));
    spent.client('c1').openPermission('s1', 'r1');
    expect(checkLiveness(spent.build())).toEqual([]);
    const early = new HistoryBuilder();
    const answer = early.permissionAnswer('c1', 's1', 'r1');
    early.signal('c1', lost(1));
    early.client('c1').openPermission('s1', 'r1');
    const found = checkLiveness(early.build());
    expect(found.map((v) => v.subject)).toEqual([{ problem: 'permission', sessionId: 's1', requestId: 'r1' }]);
    expect(found[0]!.evidence).toEqual([answer]);
  });
});

describe('liveness after a definitive refusal', () => {
  it('passes when only transient answers (404, 429, 5xx, no answer) are retried', () => {
    const b = new HistoryBuilder();
    for (const [attempt, status] of [
      [1, 404],
      [2, 429],
      [3, 503],
      [4, null],
    ] as const) {
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

  it('holds a refusal against the POST it answers: an answer to a POST already replaced does not count', () => {
    const b = new HistoryBuilder();
    b.sendAttempt('c1', 'msg-1', 's1', 1);
    b.sendAttempt('c1', 'msg-1', 's1', 2); // the client stopped waiting for the first and posted again
    b.sendOutcome('c1', 'msg-1', 's1', 400, 1); // the first one's late answer
    b.sendOutcome('c1', 'msg-1', 's1', 503, 2);
    b.sendAttempt('c1', 'msg-1', 's1', 3);
    expect(checkLiveness(b.build())).toEqual([]);
    const refusal = b.sendOutcome('c1', 'msg-1', 's1', 400, 3);
    const retry = b.sendAttempt('c1', 'msg-1', 's1', 4);
    expect(checkLiveness(b.build()).map((v) => v.evidence)).toEqual([[refusal, retry]]);
  });

  it('leaves pending messages alone when the client does not report them', () => {
    const b = new HistoryBuilder();
    b.client('c1', { pendingCount: null });
    expect(checkLiveness(b.build())).toEqual([]);
  });
});
