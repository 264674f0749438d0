/**
 * bounded-retries: no prompt is posted more than limits.sendAttemptBudget times, neither under
 * one clientMsgId (attempt numbers) nor in total over the fresh clientMsgIds a buggy client mints
 * for the same prompt text. Attempts whose clientMsgId links to no prompt text count on their own.
 */
import type { EntryOf, History } from '../history.ts';
import { key, oracleFor } from '../oracle.ts';
import { violation, type Violation } from '../violation.ts';
import { entriesOfKinds } from '../history-entries.ts';

export function checkBoundedRetries(history: History): Violation[] {
  const { promptOfMsgId } = oracleFor(history);
  const budget = history.limits.sendAttemptBudget;
  const firstAttempt = new Map<string, EntryOf<'send-attempt'>>();
  const count = new Map<string, number>();
  const reported = new Set<string>();
  const out: Violation[] = [];
  for (const e of entriesOfKinds(history, ['send-attempt'])) {
    if (e.kind !== 'send-attempt') continue;
    const prompt = promptOfMsgId.get(e.clientMsgId);
    const k = prompt === undefined ? key('id', e.client, e.clientMsgId) : key('prompt', e.client, prompt);
    if (!firstAttempt.has(k)) firstAttempt.set(k, e);
    const total = (count.get(k) ?? 0) + 1;
    count.set(k, total);
    if (reported.has(k) || (e.attempt <= budget && total <= budget)) continue;
    reported.add(k);
    const what = prompt === undefined ? `clientMsgId ${e.clientMsgId}` : `prompt "${prompt}" (${e.clientMsgId})`;
    const attempts = Math.max(e.attempt, total);
    const whose = `client ${e.client}, session ${e.sessionId}`;
    const message = `${what} of ${whose}, was attempted ${attempts} times (budget ${budget})`;
    const subject = {
      client: e.client,
      sessionId: e.sessionId,
      clientMsgId: e.clientMsgId,
      ...(prompt === undefined ? {} : { prompt }),
      attempts,
    };
    out.push(violation('bounded-retries', message, subject, [firstAttempt.get(k)!.index, e.index]));
  }
  return out;
}
