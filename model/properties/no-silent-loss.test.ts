import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../testing/history-builder.ts';
import { checkNoSilentLoss } from './no-silent-loss.ts';

describe('no-silent-loss', () => {
  it('passes when every accepted prompt is persisted once or reported failed', () => {
    const b = new HistoryBuilder();
    b.prompt('c1', 's1', 'persisted', { clientMsgId: 'm1' });
    b.prompt('c1', 's1', 'failed', { clientMsgId: 'm2' });
    b.sendFailed('c1', 'm2', 's1');
    b.prompt('c1', 's1', 'failed-and-persisted', { clientMsgId: 'm3' });
    b.sendFailed('c1', 'm3', 's1');
    b.prompt('c1', 's1', 'refused', { clientMsgId: 'm4', accepted: false });
    b.persisted('s1', 5, 'm1', 'persisted').persisted('s1', 9, 'm3', 'failed-and-persisted');
    expect(checkNoSilentLoss(b.build())).toEqual([]);
  });

  it('reports an accepted prompt that was neither persisted nor reported failed', () => {
    const b = new HistoryBuilder();
    const prompt = b.prompt('c1', 's1', 'lost', { clientMsgId: 'm7' });
    const attempt = b.sendAttempt('c1', 'm7', 's1', 1);
    b.sendFailed('c2', 'm7', 's1'); // told to another client: does not count
    const [v, ...rest] = checkNoSilentLoss(b.build());
    expect(rest).toEqual([]);
    expect(v!.property).toBe('no-silent-loss');
    expect(v!.subject).toEqual({ client: 'c1', sessionId: 's1', prompt: 'lost', clientMsgId: 'm7', persisted: 0 });
    expect(v!.evidence).toEqual([prompt, attempt]);
    expect(v!.message).toContain('neither persisted nor reported failed');
  });

  it('reports a prompt persisted twice under a fresh clientMsgId, even if reported failed', () => {
    const b = new HistoryBuilder();
    const prompt = b.prompt('c1', 's1', 'twice', { clientMsgId: 'm1' });
    const run1 = b.agentRun('s1', 'm1', 'twice');
    const run2 = b.agentRun('s1', 'm1-retry', 'twice');
    b.sendFailed('c1', 'm1', 's1');
    b.persisted('s1', 4, 'm1', 'twice').persisted('s1', 6, 'm1-retry', 'twice');
    const [v] = checkNoSilentLoss(b.build());
    expect(v!.subject).toMatchObject({ prompt: 'twice', persisted: 2 });
    expect(v!.evidence).toEqual([prompt, run1, run2]);
  });

  it('accepts a failure report under a fresh clientMsgId linked to the prompt text', () => {
    const b = new HistoryBuilder();
    b.prompt('c1', 's1', 'resent', { clientMsgId: 'm1' });
    b.agentRun('s1', 'm1-fresh', 'resent');
    b.sendFailed('c1', 'm1-fresh', 's1');
    expect(checkNoSilentLoss(b.build())).toEqual([]);
  });
});
