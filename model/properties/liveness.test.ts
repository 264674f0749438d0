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
