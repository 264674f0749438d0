/**
 * liveness (end of heal): every client is connected with nothing pending, and no agent still
 * waits on a permission request the app already answered (the answer was lost on the way).
 */
import type { ClientEndState, EntryOf, History } from '../history.ts';
import { key } from '../oracle.ts';
import { violation, type Violation } from '../violation.ts';

export function checkLiveness(history: History): Violation[] {
  return [...history.end.clients.flatMap((c) => stuckClient(history, c)), ...unheardAnswers(history)];
}

function stuckClient(history: History, c: ClientEndState): Violation[] {
  const out: Violation[] = [];
  const mine = history.entries.filter((e) => 'client' in e && e.client === c.client);
  if (!c.connected) {
    const lastClose = mine.filter((e) => e.kind === 'signal' && e.signal.type === '_close').at(-1);
    const message = `client ${c.client} is not connected at the end of the heal phase`;
    out.push(violation('liveness', message, { client: c.client, problem: 'disconnected' }, lastClose ? [lastClose.index] : []));
  }
  if (c.pendingCount > 0) {
    const lastQueue = mine.filter((e) => e.kind === 'queue' || e.kind === 'send-attempt').at(-1);
    const message = `client ${c.client} still has ${c.pendingCount} message(s) pending at the end of the heal phase`;
    out.push(violation('liveness', message, { client: c.client, problem: 'pending', pendingCount: c.pendingCount }, lastQueue ? [lastQueue.index] : []));
  }
  return out;
}

function unheardAnswers(history: History): Violation[] {
  const answers = new Map<string, EntryOf<'permission-answer'>[]>();
  for (const e of history.entries) {
    if (e.kind !== 'permission-answer') continue;
    const k = key(e.sessionId, e.requestId);
    answers.set(k, [...(answers.get(k) ?? []), e]);
  }
  const out: Violation[] = [];
  for (const { sessionId, requestId } of history.end.openPermissionRequests) {
    const given = answers.get(key(sessionId, requestId));
    if (given === undefined) continue;
    const message = `permission request ${requestId} of session ${sessionId} was answered by the app but the agent still waits`;
    out.push(violation('liveness', message, { problem: 'permission', sessionId, requestId }, given.map((e) => e.index)));
  }
  return out;
}
