/**
 * retry-after: after a 429 or 503 carrying `Retry-After`, a client does not post that prompt
 * again before the time asked (up to the longest Retry-After its schedule says it honours), nor
 * later than that plus the schedule's slack. Only the answer to the POST the client is waiting on
 * counts. A reload forgets the wait, so a retry from the next page is not judged. The upper bound
 * is not judged when something else held the client back meanwhile (a fault in effect for it,
 * heal-clock.ts; the server down; its stream closed and no welcome since): a client may rightly
 * wait for a connection.
 */
import type { EntryOf, History, HistoryEntry, RetrySchedule } from '../history.ts';
import { healClockOf } from '../heal-clock.ts';
import { key } from '../oracle.ts';
import { violation, type Violation } from '../violation.ts';
import { entriesOfKinds } from '../history-entries.ts';

const RETRY_AFTER_STATUSES = new Set([429, 503]);

interface Wait {
  readonly outcome: EntryOf<'send-outcome'>;
  /** The wait the client owes: the Retry-After, capped as the schedule says. */
  readonly askedMs: number;
  /** The retry is due by then. */
  readonly latestMs: number;
  retry?: EntryOf<'send-attempt'>;
  forgotten: boolean;
  disturbed: boolean;
  gaveUp: boolean;
}

export function checkRetryAfter(history: History): Violation[] {
  const schedule = history.timing?.retrySchedule;
  if (!schedule) return [];
  const clock = healClockOf(history);
  const waits = collectWaits(history, schedule);
  for (const wait of waits) {
    if (clock.heldBackDuring(wait.outcome.client, wait.outcome.t, wait.latestMs)) wait.disturbed = true;
  }
  return waits.flatMap((wait) => judge(wait, clock.endMs));
}

/** The kinds that open, end or disturb a wait; no other kind touches one. */
const RETRY_KINDS = ['signal', 'welcome', 'send-attempt', 'send-outcome', 'reload', 'server-down', 'fault'] as const;

function collectWaits(history: History, schedule: RetrySchedule): Wait[] {
  const latestAttempt = new Map<string, number>();
  const open = new Map<string, Wait>();
  const all: Wait[] = [];
  /** Clients whose stream closed with no welcome since: they wait for a connection. */
  const disconnected = new Set<string>();
  for (const e of entriesOfKinds(history, RETRY_KINDS)) {
    if (e.kind === 'signal' && e.signal.type === '_close') disconnected.add(e.client);
    if (e.kind === 'welcome') disconnected.delete(e.client);
    if (e.kind === 'send-attempt') {
      const k = key(e.client, e.clientMsgId);
      latestAttempt.set(k, e.attempt);
      const wait = open.get(k);
      if (wait !== undefined) wait.retry = e;
      open.delete(k);
    } else if (
      e.kind === 'send-outcome' &&
      asksToWait(e) &&
      latestAttempt.get(key(e.client, e.clientMsgId)) === e.attempt
    ) {
      const askedMs = Math.min(e.retryAfterMs!, schedule.retryAfterCapMs);
      const wait = { outcome: e, askedMs, latestMs: e.t + askedMs + schedule.retryAfterSlackMs };
      const disturbed = disconnected.has(e.client);
      open.set(key(e.client, e.clientMsgId), { ...wait, forgotten: false, disturbed, gaveUp: false });
      all.push(open.get(key(e.client, e.clientMsgId))!);
    } else {
      noteOther(e, open);
    }
  }
  return all;
}

function asksToWait(e: EntryOf<'send-outcome'>): boolean {
  return e.status !== null && RETRY_AFTER_STATUSES.has(e.status) && e.retryAfterMs !== undefined;
}

/** What else may end or excuse an open wait: a reload, a failure report, anything holding the client back. */
function noteOther(e: HistoryEntry, open: Map<string, Wait>): void {
  if (open.size === 0) return;
  for (const [k, wait] of open) {
    const client = wait.outcome.client;
    if (e.kind === 'reload' && e.client === client) {
      wait.forgotten = true;
      open.delete(k);
    } else if (
      e.kind === 'signal' &&
      e.client === client &&
      e.signal.type === '_send_failed' &&
      e.signal.clientMsgId === wait.outcome.clientMsgId
    ) {
      wait.gaveUp = true;
      open.delete(k);
    } else if (e.t <= wait.latestMs && holdsBack(e, client)) {
      wait.disturbed = true;
    }
  }
}

function holdsBack(e: HistoryEntry, client: string): boolean {
  if (e.kind === 'server-down') return true;
  if (e.kind === 'signal') return e.client === client && e.signal.type === '_close';
  if (e.kind !== 'fault') return false;
  const named = e.details.client;
  return typeof named !== 'string' || named === client;
}

function judge(wait: Wait, endMs: number): Violation[] {
  if (wait.forgotten) return [];
  const { outcome, askedMs, latestMs, retry } = wait;
  const prompt = `prompt ${outcome.clientMsgId} of client ${outcome.client}`;
  const asked = `a ${outcome.status} asking ${outcome.retryAfterMs} ms`;
  const subject = {
    client: outcome.client,
    sessionId: outcome.sessionId,
    clientMsgId: outcome.clientMsgId,
    status: outcome.status ?? 0,
    retryAfterMs: outcome.retryAfterMs ?? 0,
  };
  if (retry !== undefined) {
    const waitedMs = retry.t - outcome.t;
    if (waitedMs < askedMs) {
      const message = `${prompt} was retried ${waitedMs} ms after ${asked}`;
      return [violation('retry-after', message, { ...subject, waitedMs }, [outcome.index, retry.index])];
    }
    if (wait.disturbed || retry.t <= latestMs) return [];
    const message = `${prompt} was retried ${waitedMs} ms after ${asked}, later than ${latestMs - outcome.t} ms`;
    return [violation('retry-after', message, { ...subject, waitedMs }, [outcome.index, retry.index])];
  }
  if (wait.disturbed || wait.gaveUp || endMs <= latestMs) return [];
  const message = `${prompt} was not retried within ${latestMs - outcome.t} ms of ${asked}`;
  return [violation('retry-after', message, subject, [outcome.index])];
}
