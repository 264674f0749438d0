/**
 * liveness (end of heal): every client is connected, on a connection the server knows, with
 * nothing pending; no agent still waits on a permission request the app already answered (the
 * answer was lost on the way); and no prompt is kept pending after the server refused it for
 * good: a definitive 4xx can never turn into success, so retrying it only holds the prompt (and
 * every prompt behind it) in limbo.
 */
import type { ClientEndState, EntryOf, History, HistoryEntry } from '../history.ts';
import { key } from '../oracle.ts';
import { violation, type Violation } from '../violation.ts';
import { entriesOf, entriesOfKinds } from '../history-entries.ts';

export function checkLiveness(history: History): Violation[] {
  return [
    ...history.end.clients.flatMap((c) => stuckClient(history, c)),
    ...unheardAnswers(history),
    ...retriedAfterRefusal(history),
  ];
}

/** Transient answers: the connection went stale (404), the request timed out (408), rate limiting (429). */
const TRANSIENT_4XX = new Set([404, 408, 429]);

function isDefinitiveRefusal(status: number | null): boolean {
  return status !== null && status >= 400 && status < 500 && !TRANSIENT_4XX.has(status);
}

/**
 * A prompt POSTed again after the network delivered a definitive refusal of its latest POST. An
 * answer to an earlier POST that the client had already given up on and replaced does not count:
 * the client rightly acts on the answer to the request it is waiting for.
 */
function retriedAfterRefusal(history: History): Violation[] {
  const latestAttempt = new Map<string, number>();
  const refused = new Map<string, EntryOf<'send-outcome'>>();
  const reported = new Set<string>();
  const out: Violation[] = [];
  for (const e of entriesOfKinds(history, ['send-outcome', 'send-attempt'])) {
    if (e.kind === 'send-outcome' && isDefinitiveRefusal(e.status)) {
      const k = key(e.client, e.clientMsgId);
      if (latestAttempt.get(k) === e.attempt) refused.set(k, e);
    }
    if (e.kind !== 'send-attempt') continue;
    const k = key(e.client, e.clientMsgId);
    latestAttempt.set(k, e.attempt);
    const refusal = refused.get(k);
    if (refusal === undefined || reported.has(k)) continue;
    reported.add(k);
    const message =
      `prompt ${e.clientMsgId} of client ${e.client} was refused for good (status ${refusal.status}) ` +
      `but stayed pending and was sent again`;
    const subject = {
      problem: 'retried-after-refusal',
      client: e.client,
      clientMsgId: e.clientMsgId,
      status: refusal.status ?? 0,
    };
    out.push(violation('liveness', message, subject, [refusal.index, e.index]));
  }
  return out;
}

function stuckClient(history: History, c: ClientEndState): Violation[] {
  const out: Violation[] = [];
  // Evidence is looked up only for a violation: a scan of the whole history per client per run
  // grew with clients times entries.
  const lastOfClient = (matches: (e: HistoryEntry) => boolean): number[] => {
    const entries = entriesOf(history);
    for (let i = entries.length - 1; i >= 0; i--) {
      const e = entries.at(i)!;
      if ('client' in e && e.client === c.client && matches(e)) return [e.index];
    }
    return [];
  };
  if (!c.connected) {
    const lastClose = lastOfClient((e) => e.kind === 'signal' && e.signal.type === '_close');
    const message = `client ${c.client} is not connected at the end of the heal phase`;
    out.push(violation('liveness', message, { client: c.client, problem: 'disconnected' }, lastClose));
  }
  if (c.connected && !c.serverKnowsConnection) {
    // Its events would never arrive: nothing on the server writes to a connection it forgot.
    const lastWelcome = lastOfClient((e) => e.kind === 'welcome');
    const message =
      `client ${c.client} believes it is connected on ${c.connectionId ?? 'no connection'}, ` +
      `which the server does not know at the end of the heal phase`;
    out.push(
      violation(
        'liveness',
        message,
        { client: c.client, problem: 'stale-connection', connectionId: c.connectionId ?? '' },
        lastWelcome,
      ),
    );
  }
  if (c.pendingCount !== null && c.pendingCount > 0) {
    const lastQueue = lastOfClient((e) => e.kind === 'queue' || e.kind === 'send-attempt');
    const message = `client ${c.client} still has ${c.pendingCount} message(s) pending at the end of the heal phase`;
    out.push(
      violation('liveness', message, { client: c.client, problem: 'pending', pendingCount: c.pendingCount }, lastQueue),
    );
  }
  return out;
}

/**
 * An answer the app gave that never reached the agent, unless the client spent its whole attempt
 * budget on it and told the app so: then the transport did what it promises (retry like a
 * prompt, then report), and asking the user again is the app's call.
 */
function unheardAnswers(history: History): Violation[] {
  const answers = new Map<string, EntryOf<'permission-answer'>[]>();
  const reportedLost = new Set<string>(); // key(client, sessionId, requestId)
  for (const e of entriesOfKinds(history, ['permission-answer', 'signal'])) {
    if (e.kind === 'permission-answer') {
      const k = key(e.sessionId, e.requestId);
      const given = answers.get(k);
      if (given) given.push(e);
      else answers.set(k, [e]);
    } else if (e.kind === 'signal' && e.signal.type === 'error' && e.signal.messageType === 'permission_response') {
      const { sessionId, requestId, attempts } = e.signal;
      if (sessionId !== undefined && requestId !== undefined && (attempts ?? 0) >= history.limits.sendAttemptBudget)
        reportedLost.add(key(e.client, sessionId, requestId));
    }
  }
  const out: Violation[] = [];
  for (const { sessionId, requestId } of history.end.openPermissionRequests) {
    const given = answers.get(key(sessionId, requestId));
    if (given === undefined || given.every((e) => reportedLost.has(key(e.client, sessionId, requestId)))) continue;
    const request = `permission request ${requestId} of session ${sessionId}`;
    const message = `${request} was answered by the app but the agent still waits`;
    out.push(
      violation(
        'liveness',
        message,
        { problem: 'permission', sessionId, requestId },
        given.map((e) => e.index),
      ),
    );
  }
  return out;
}
