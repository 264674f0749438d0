import { describe, expect, it } from 'vitest';
import { HistoryBuilder } from '../testing/history-builder.ts';
import { checkDelivery } from './delivery.ts';

describe('delivery', () => {
  it('passes: persisted once, refused for its content, or given up on while a fault held its client back', () => {
    const b = new HistoryBuilder();
    b.prompt('c1', 's1', 'landed', { clientMsgId: 'm1' });
    b.prompt('c1', 's1', 'bad input', { clientMsgId: 'm2' });
    b.sendAttempt('c1', 'm2', 's1', 1);
    b.sendOutcome('c1', 'm2', 's1', 400);
    b.sendFailed('c1', 'm2', 's1');
    b.prompt('c1', 's1', 'budget spent under faults', { clientMsgId: 'm3' });
    b.add({ kind: 'fault', fault: 'http-503', details: { client: 'c1' } });
    b.sendAttempt('c1', 'm3', 's1', 8);
    b.sendOutcome('c1', 'm3', 's1', 503, 8);
    b.sendFailed('c1', 'm3', 's1');
    b.prompt('c1', 's1', 'server down', { clientMsgId: 'm4' });
    b.serverDown(false);
    b.sendAttempt('c1', 'm4', 's1', 1);
    b.sendOutcome('c1', 'm4', 's1', null);
    b.sendFailed('c1', 'm4', 's1');
    b.serverUp();
    b.persisted('s1', 1, 'm1', 'landed');
    expect(checkDelivery(b.build())).toEqual([]);
  });

  it('reports a prompt given up on for a transient cause while the network was healthy', () => {
    const b = new HistoryBuilder();
    b.phase('chaos');
    const prompt = b.prompt('c1', 's1', 'refused fresh', { clientMsgId: 'm1' });
    b.add({ kind: 'fault', fault: 'stream-drop', details: { client: 'c2' } }); // another client's trouble
    const attempt = b.sendAttempt('c1', 'm1', 's1', 1);
    b.sendOutcome('c1', 'm1', 's1', 409);
    const failed = b.sendFailed('c1', 'm1', 's1');
    const [v, ...rest] = checkDelivery(b.build());
    expect(rest).toEqual([]);
    expect(v!.property).toBe('delivery');
    expect(v!.subject).toEqual({
      client: 'c1',
      sessionId: 's1',
      prompt: 'refused fresh',
      clientMsgId: 'm1',
      persisted: 0,
    });
    expect(v!.message).toBe(
      'prompt "refused fresh" (m1, client c1, session s1) was reported failed (last answer 409: test) ' +
        'while the network was healthy, and never persisted',
    );
    expect(v!.evidence).toEqual([prompt, attempt, failed]);
  });

  it('counts a fault as long as its details say it lasts: a server still restarting', () => {
    const givenUp = (acceptedMs: number) => {
      const b = new HistoryBuilder();
      b.at(1000, { kind: 'fault', fault: 'server-crash', details: { restartMs: 5000 } });
      b.at(acceptedMs, {
        kind: 'prompt',
        client: 'c1',
        sessionId: 's1',
        prompt: 'p',
        accepted: true,
        clientMsgId: 'm1',
      });
      b.sendAttempt('c1', 'm1', 's1', 1);
      b.sendOutcome('c1', 'm1', 's1', null);
      b.sendFailed('c1', 'm1', 's1');
      return checkDelivery(b.build());
    };
    expect(givenUp(5990)).toEqual([]);
    expect(givenUp(6001).map((v) => v.message)).toEqual([
      'prompt "p" (m1, client c1, session s1) was reported failed (a lost request or response) ' +
        'while the network was healthy, and never persisted',
    ]);
  });

  it('reports a prompt never persisted and never reported, and one persisted twice', () => {
    const b = new HistoryBuilder();
    b.add({ kind: 'fault', fault: 'http-503', details: { client: 'c1' } }); // faults excuse only a report
    b.prompt('c1', 's1', 'lost', { clientMsgId: 'm1' });
    b.prompt('c1', 's1', 'twice', { clientMsgId: 'm2' });
    b.persisted('s1', 1, 'm2', 'twice').persisted('s1', 2, 'm2-again', 'twice');
    const found = checkDelivery(b.build()).map((v) => [v.subject.prompt, v.message.split(') ')[1]]);
    expect(found).toEqual([
      ['lost', 'was never persisted'],
      ['twice', 'was persisted 2 times'],
    ]);
  });

  it('names a prompt given up on without a single POST', () => {
    const b = new HistoryBuilder();
    b.prompt('c1', 's1', 'never sent', { clientMsgId: 'm1' });
    b.sendFailed('c1', 'm1', 's1');
    expect(checkDelivery(b.build()).map((v) => v.message)).toEqual([
      'prompt "never sent" (m1, client c1, session s1) was reported failed (never sent) ' +
        'while the network was healthy, and never persisted',
    ]);
  });
});
