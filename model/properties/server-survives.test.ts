import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../testing/history-builder.ts';
import { checkServerSurvives } from './server-survives.ts';

describe('server-survives', () => {
  it('passes when the server only goes down by injected crashes', () => {
    const b = new HistoryBuilder();
    b.serverDown(true);
    b.serverUp();
    expect(checkServerSurvives(b.build())).toEqual([]);
  });

  it('reports a server that died of its own error', () => {
    const b = new HistoryBuilder();
    b.serverDown(true);
    b.serverUp();
    const died = b.serverDown(false, 'unhandled rejection: interrupt failed');
    const [v, ...rest] = checkServerSurvives(b.build());
    expect(rest).toEqual([]);
    expect(v!.property).toBe('server-survives');
    expect(v!.subject).toEqual({ reason: 'unhandled rejection: interrupt failed' });
    expect(v!.evidence).toEqual([died]);
  });
});
