/**
 * A small but complete run for report tests: two clients on one session, a POST lost by a fault,
 * a stream drop with a replay, queue and cursor changes, a prompt carrying a script payload (the
 * escape tests look for it), and one violation citing its evidence.
 */
import { violation } from '../../model/violation.ts';
import type { RunResult } from '../../sim/run-result.ts';
import { RunFixture } from './run-fixture.ts';

export const SCRIPT_PAYLOAD = '<script>alert(1)</script>';

export function sampleRun(): RunResult {
  const run = new RunFixture(42, { name: 'base', defects: ['send-silent-drop'], sendPath: 'legacy-queue' });
  run.record(0, 'sim', 'phase', { phase: 'chaos' }, { kind: 'phase', phase: 'chaos' });
  run.record(0, 'server', 'server.up', { incarnation: 1 }, { kind: 'server-up' });
  for (const [i, client] of ['c1', 'c2'].entries()) {
    run.record(10 + i, `net:${client}`, 'net.request', {
      requestId: `r${i + 1}`,
      method: 'GET',
      path: '/api/chat/stream',
    });
  }
  for (const [i, client] of ['c1', 'c2'].entries()) {
    run.record(
      30 + i,
      client,
      'net.welcome',
      { connectionId: `conn-${i + 1}` },
      { kind: 'welcome', client, connectionId: `conn-${i + 1}` },
    );
  }
  const prompt = run.record(
    200,
    'c1',
    'user.prompt',
    { sessionId: 's1', prompt: SCRIPT_PAYLOAD, accepted: true, clientMsgId: 'msg-1' },
    { kind: 'prompt', client: 'c1', sessionId: 's1', prompt: SCRIPT_PAYLOAD, accepted: true, clientMsgId: 'msg-1' },
  );
  run.record(201, 'c1', 'client.queue.length', { length: 1 }, { kind: 'queue', client: 'c1', length: 1 });
  const attempt = run.record(
    202,
    'c1',
    'client.send.attempt',
    { clientMsgId: 'msg-1', sessionId: 's1', attempt: 1 },
    { kind: 'send-attempt', client: 'c1', clientMsgId: 'msg-1', sessionId: 's1', attempt: 1 },
  );
  run.record(202, 'net:c1', 'net.request', {
    requestId: 'r3',
    method: 'POST',
    path: '/api/chat/send',
    body: { prompt: SCRIPT_PAYLOAD },
  });
  const lost = run.fault(230, 'request-lost', { requestId: 'r3', client: 'c1' });
  run.record(230, 'net:c1', 'net.request-fault', { requestId: 'r3', action: 'lose-request' });
  run.record(230, 'net:c1', 'net.request-failed', { requestId: 'r3', reason: 'network' });
  const dropped = run.record(
    231,
    'c1',
    'client.queue.length',
    { length: 0 },
    { kind: 'queue', client: 'c1', length: 0 },
  );
  run.record(
    400,
    'c2',
    'user.prompt',
    { sessionId: 's1', prompt: 'hello', accepted: true, clientMsgId: 'msg-2' },
    { kind: 'prompt', client: 'c2', sessionId: 's1', prompt: 'hello', accepted: true, clientMsgId: 'msg-2' },
  );
  run.record(401, 'c2', 'client.queue.length', { length: 1 }, { kind: 'queue', client: 'c2', length: 1 });
  run.record(402, 'net:c2', 'net.request', { requestId: 'r4', method: 'POST', path: '/api/chat/send' });
  run.record(
    420,
    'server',
    'agent.run.start',
    { sessionId: 's1', clientMsgId: 'msg-2', prompt: 'hello' },
    { kind: 'agent-run', sessionId: 's1', clientMsgId: 'msg-2', prompt: 'hello' },
  );
  run.record(425, 'net:c2', 'net.response', { requestId: 'r4', status: 200 });
  run.record(426, 'c2', 'client.queue.length', { length: 0 }, { kind: 'queue', client: 'c2', length: 0 });
  for (const [seq, t] of [
    [1, 430],
    [2, 700],
    [3, 1100],
  ] as const)
    sendFrame(run, t, seq, 'live');
  run.fault(1500, 'stream-drop', { client: 'c2' });
  run.record(1500, 'net:c2', 'net.stream-close', { streamId: 'stream-2', side: 'server', reason: 'fault' });
  run.record(1501, 'net:c2', 'net.unheard-of-kind', { note: 'reports must tolerate kinds they do not know' });
  for (const [seq, t] of [
    [4, 1600],
    [5, 1900],
  ] as const)
    sendFrame(run, t, seq, 'live', ['c1']);
  run.record(
    2100,
    'c2',
    'net.welcome',
    { connectionId: 'conn-3' },
    { kind: 'welcome', client: 'c2', connectionId: 'conn-3' },
  );
  for (const [seq, t] of [
    [4, 2120],
    [5, 2140],
  ] as const)
    sendFrame(run, t, seq, 'replay', ['c2']);
  run.record(3000, 'sim', 'phase', { phase: 'heal' }, { kind: 'phase', phase: 'heal' });
  run.record(5000, 'sim', 'phase', { phase: 'end' }, { kind: 'phase', phase: 'end' });
  run.violation(
    violation(
      'no-silent-loss',
      'prompt "msg-1" (client c1, session s1) was accepted but neither persisted nor reported failed',
      { client: 'c1', sessionId: 's1', clientMsgId: 'msg-1' },
      [prompt, attempt, lost, dropped],
    ),
  );
  return run.build({ verdict: 'violation', virtualMs: 5000 });
}

/** The server writes seq to each client's connection, the client applies it and moves its cursor. */
function sendFrame(run: RunFixture, t: number, seq: number, via: string, clients = ['c1', 'c2']): void {
  const connectionOf = (client: string): string =>
    client === 'c1' ? 'conn-1' : via === 'replay' ? 'conn-3' : 'conn-2';
  for (const client of clients) {
    const connectionId = connectionOf(client);
    run.record(
      t,
      'server',
      'server.frame.sent',
      { connectionId, sessionId: 's1', seq, via },
      { kind: 'frame-sent', connectionId, client, sessionId: 's1', seq, via },
    );
  }
  for (const client of clients) {
    const chunk = `event: session_event\nid: ${seq}\ndata: {"sessionId":"s1","seq":${seq},"eventType":"agent_step"}\n\n`;
    run.record(t + 15, `net:${client}`, 'net.frame-delivered', { streamId: `stream-${connectionOf(client)}`, chunk });
  }
  for (const client of clients) {
    run.record(
      t + 16,
      client,
      'app.apply',
      { sessionId: 's1', seq, prevSessionSeq: seq - 1 },
      { kind: 'applied', client, sessionId: 's1', seq, prevSessionSeq: seq - 1, failed: false },
    );
    run.record(
      t + 16,
      client,
      'client.cursor',
      { sessionId: 's1', cursor: seq },
      { kind: 'cursor', client, sessionId: 's1', cursor: seq },
    );
  }
}
