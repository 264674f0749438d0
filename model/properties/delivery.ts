/**
 * delivery (at the end of the heal phase): every prompt send() accepted is persisted exactly
 * once, unless the server refused that prompt's own content (a definitive 4xx for bad input).
 * Reporting a prompt failed is no excuse when the cause was transient (a stale connection, a
 * conflict on a fresh id, 429, 5xx, a lost request or response, no answer) and the network was
 * healthy: no fault held its client back (heal-clock.ts) at any moment from the prompt being
 * accepted to its failure being reported. Giving up under faults after the attempt budget is the
 * transport's promise (bounded-retries), so a failure reported then is not held against it.
 */
import type { EntryOf, History } from '../history.ts';
import { healClockOf, type HealClock } from '../heal-clock.ts';
import { describePrompt, oracleFor, persistenceSubject, type AcceptedPrompt } from '../oracle.ts';
import { violation, type Violation } from '../violation.ts';

/** Answers that refuse a request's content: malformed, too large, of a type or shape not taken. */
const BAD_INPUT_STATUSES = new Set([400, 413, 415, 422]);

export function checkDelivery(history: History): Violation[] {
  const clock = healClockOf(history);
  const out: Violation[] = [];
  for (const p of oracleFor(history).prompts) {
    if (p.outcomes.some((o) => o.status !== null && BAD_INPUT_STATUSES.has(o.status))) continue;
    const problem = undelivered(p, clock);
    if (problem === null) continue;
    const subject = persistenceSubject(p);
    const evidence = [p.entry.index, ...problem.evidence];
    out.push(violation('delivery', `${describePrompt(p)} ${problem.message}`, subject, evidence));
  }
  return out;
}

function undelivered(p: AcceptedPrompt, clock: HealClock): { message: string; evidence: number[] } | null {
  const persisted = p.persisted.length;
  if (persisted === 1) return null;
  const attempts = p.attempts.map((e) => e.index);
  if (persisted > 1) return { message: `was persisted ${persisted} times`, evidence: attempts };
  const report = p.failedReports[0];
  if (report === undefined) return { message: 'was never persisted', evidence: attempts };
  if (clock.heldBackDuring(p.entry.client, p.entry.t, report.t)) return null;
  const lastAttempt = p.attempts.filter((e) => e.index < report.index).at(-1);
  const cause = lastAttempt === undefined ? 'never sent' : causeOf(p.outcomes, lastAttempt, report);
  return {
    message: `was reported failed (${cause}) while the network was healthy, and never persisted`,
    evidence: [...(lastAttempt === undefined ? [] : [lastAttempt.index]), report.index],
  };
}

function causeOf(
  outcomes: EntryOf<'send-outcome'>[],
  lastAttempt: EntryOf<'send-attempt'>,
  report: EntryOf<'signal'>,
): string {
  const outcome = outcomes.find(
    (o) =>
      o.index > lastAttempt.index &&
      o.index < report.index &&
      o.clientMsgId === lastAttempt.clientMsgId &&
      o.attempt === lastAttempt.attempt,
  );
  if (outcome === undefined) return 'no answer';
  if (outcome.status === null) return 'a lost request or response';
  const reason = report.signal.type === '_send_failed' ? `: ${report.signal.reason}` : '';
  return `last answer ${outcome.status}${reason}`;
}
