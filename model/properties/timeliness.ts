/**
 * timeliness (after the heal): once nothing of the chaos phase holds a client back any more
 * (heal-clock.ts), every prompt it still had lands within a bound derived from its retry
 * schedule, and every session event reaches it within a bound.
 *
 * A prompt's bound: an attempt in flight may take the whole send timeout; the client may then be
 * waiting out its longest backoff or the Retry-After it was last asked (up to its cap); two more
 * attempts may fail on what the heal left behind (a stale connection id, a server just back),
 * each a longest backoff and a round trip; a sync interval covers getting a connection; and each
 * of the client's prompts ahead of it takes a round trip (one POST at a time). A prompt lands at
 * its first 2xx answer, `_send_accepted` or agent run.
 *
 * An event's bound, from when it first reached any client or the client was healthy again,
 * whichever is later: the send timeout and a longest backoff for the reconnect that brings it,
 * three sync intervals and four round trips. An event reaches a client when its app is handed
 * the event or told of a gap over it.
 *
 * What falls due after the run's end is not judged, nor a prompt refused for good or reported
 * failed: delivery judges those.
 */
import type { History, HistoryTiming, RetrySchedule } from '../history.ts';
import { healClockOf, type HealClock } from '../heal-clock.ts';
import { key, oracleFor, describePrompt, type AcceptedPrompt } from '../oracle.ts';
import { violation, type Violation } from '../violation.ts';
import { entriesOfKinds } from '../history-entries.ts';
import { FirstMoments, type Moment } from '../event-set.ts';

/** Attempts the heal may still fail: one on a stale connection id, one on a server just back. */
const FAILURES_AFTER_HEAL = 2;
/** 4xx answers that may turn into success on a retry: stale connection, timeout, conflict, rate limit. */
const RETRYABLE_4XX = new Set([404, 408, 409, 429]);

export function checkTimeliness(history: History): Violation[] {
  const timing = history.timing;
  const clock = healClockOf(history);
  if (timing?.retrySchedule == null || clock.healMs === null) return [];
  return [...latePrompts(history, timing, timing.retrySchedule, clock), ...lateEvents(history, timing, clock)];
}

/** The round trip at the run's slowest latency. */
function roundTripMs(timing: HistoryTiming): number {
  return 2 * timing.latencyMsMax;
}

function latePrompts(history: History, timing: HistoryTiming, schedule: RetrySchedule, clock: HealClock): Violation[] {
  const acceptedAt = acceptedSignals(history);
  const pendingAhead = new Map<string, number>();
  const out: Violation[] = [];
  for (const p of oracleFor(history).prompts) {
    if (p.failedReports.length > 0 || refusedForGood(p)) continue;
    const client = p.entry.client;
    const startMs = Math.max(clock.healthyFromMs(client)!, p.entry.t);
    const landed = landing(p, acceptedAt);
    if (landed !== null && landed.t < startMs) continue;
    const ahead = pendingAhead.get(client) ?? 0;
    pendingAhead.set(client, ahead + 1);
    const dueMs = startMs + promptBoundMs(p, startMs, ahead, timing, schedule);
    if (landed !== null ? landed.t <= dueMs : clock.endMs <= dueMs) continue;
    const late = landed === null ? 'had not landed' : `landed ${landed.t - startMs} ms after`;
    const message =
      `${describePrompt(p)} ${late} ${landed === null ? `${clock.endMs - startMs} ms after ` : ''}` +
      `its client was healthy again, past its bound of ${dueMs - startMs} ms`;
    const subject = { client, sessionId: p.entry.sessionId, prompt: p.entry.prompt, boundMs: dueMs - startMs };
    const evidence = [p.entry.index, ...(landed === null ? [] : [landed.index])];
    out.push(violation('timeliness', message, subject, evidence));
  }
  return out;
}

function promptBoundMs(
  p: AcceptedPrompt,
  startMs: number,
  ahead: number,
  timing: HistoryTiming,
  schedule: RetrySchedule,
): number {
  const lastAsk = p.outcomes.filter((o) => o.t < startMs && o.retryAfterMs !== undefined).at(-1);
  const askedMs = Math.min(lastAsk?.retryAfterMs ?? 0, schedule.retryAfterCapMs);
  const rttMs = roundTripMs(timing);
  return (
    schedule.sendTimeoutMs +
    Math.max(schedule.maxDelayMs, askedMs) +
    FAILURES_AFTER_HEAL * (schedule.maxDelayMs + rttMs) +
    timing.syncIntervalMs +
    ahead * rttMs
  );
}

function refusedForGood(p: AcceptedPrompt): boolean {
  return p.outcomes.some((o) => o.status !== null && o.status >= 400 && o.status < 500 && !RETRYABLE_4XX.has(o.status));
}

/** key(client, clientMsgId) -> the first `_send_accepted` the client raised for it. */
function acceptedSignals(history: History): Map<string, { t: number; index: number }> {
  const first = new Map<string, { t: number; index: number }>();
  for (const e of entriesOfKinds(history, ['signal'])) {
    if (e.signal.type !== '_send_accepted') continue;
    const k = key(e.client, e.signal.clientMsgId);
    if (!first.has(k)) first.set(k, { t: e.t, index: e.index });
  }
  return first;
}

function landing(
  p: AcceptedPrompt,
  acceptedAt: Map<string, { t: number; index: number }>,
): { t: number; index: number } | null {
  const candidates = [
    p.outcomes.find((o) => o.status !== null && o.status >= 200 && o.status < 300),
    p.runs[0],
    ...p.clientMsgIds.map((id) => acceptedAt.get(key(p.entry.client, id))),
  ];
  let first: { t: number; index: number } | null = null;
  for (const c of candidates) if (c !== undefined && (first === null || c.t < first.t)) first = c;
  return first;
}

/** One violation per client and session: its first late event, and how many were late. */
function lateEvents(history: History, timing: HistoryTiming, clock: HealClock): Violation[] {
  const { firstSeen, reached, gaps } = eventMoments(history);
  const schedule = timing.retrySchedule!;
  const boundMs = schedule.sendTimeoutMs + schedule.maxDelayMs + 3 * timing.syncIntervalMs + 4 * roundTripMs(timing);
  const out: Violation[] = [];
  for (const c of history.end.clients) {
    const healthyMs = clock.healthyFromMs(c.client)!;
    const gotByClient = reached.get(c.client);
    for (const { sessionId } of c.sessions) {
      let first: { seq: number; seen: Moment; dueMs: number; got?: Moment } | null = null;
      let lateCount = 0;
      // Looked up once per session, not per event: the key string and a closure per event were
      // most of what checking a run's timeliness allocated.
      const sessionGaps = gaps.get(key(c.client, sessionId));
      for (const seq of history.end.sessionSeqs[sessionId] ?? []) {
        const seen = firstSeen.get(sessionId, seq);
        if (seen === undefined) continue;
        const dueMs = Math.max(seen.t, healthyMs) + boundMs;
        const gap = sessionGaps === undefined ? undefined : gapHolding(sessionGaps, seq);
        const got = earlier(gotByClient?.get(sessionId, seq), gap);
        if (got !== undefined ? got.t <= dueMs : clock.endMs <= dueMs) continue;
        lateCount += 1;
        first ??= { seq, seen, dueMs, ...(got === undefined ? {} : { got }) };
      }
      if (first === null) continue;
      const when = first.got === undefined ? 'never reached it' : `reached it at ${first.got.t} ms`;
      const message =
        `event ${first.seq} of session ${sessionId} ${when}, due at ${first.dueMs} ms for client ${c.client} ` +
        `(${lateCount} event(s) late)`;
      const subject = { client: c.client, sessionId, seq: first.seq, late: lateCount, boundMs };
      const evidence = [first.seen.index, ...(first.got === undefined ? [] : [first.got.index])];
      out.push(violation('timeliness', message, subject, evidence));
    }
  }
  return out;
}

type Gap = Moment & { fromSeq: number; toSeq: number };

/** The first gap told that covers `seq`. */
function gapHolding(gaps: readonly Gap[], seq: number): Gap | undefined {
  for (const gap of gaps) if (gap.fromSeq <= seq && seq <= gap.toSeq) return gap;
  return undefined;
}

function earlier(a: Moment | undefined, b: Moment | undefined): Moment | undefined {
  if (a === undefined) return b;
  return b === undefined || a.t <= b.t ? a : b;
}

/** When each event first reached anyone (or was written), when each client first got it, and gaps told. */
function eventMoments(history: History) {
  // The stored events are nearly all the events seen: their seqs size each map once.
  const expected = history.end.sessionSeqs;
  const firstSeen = new FirstMoments(expected);
  // client -> when it first got each event
  const reached = new Map<string, FirstMoments>();
  const gaps = new Map<string, Gap[]>();
  for (const e of entriesOfKinds(history, ['frame-received', 'frame-sent', 'applied', 'signal'])) {
    if (e.kind === 'frame-received' || e.kind === 'frame-sent') firstSeen.see(e.sessionId, e.seq, e);
    else if (e.kind === 'applied') {
      firstSeen.see(e.sessionId, e.seq, e);
      let mine = reached.get(e.client);
      if (mine === undefined) reached.set(e.client, (mine = new FirstMoments(expected)));
      mine.see(e.sessionId, e.seq, e);
    } else if (e.kind === 'signal' && e.signal.type === '_gap') {
      const k = key(e.client, e.signal.sessionId);
      const list = gaps.get(k) ?? [];
      list.push({ t: e.t, index: e.index, fromSeq: e.signal.fromSeq, toSeq: e.signal.toSeq });
      gaps.set(k, list);
    }
  }
  return { firstSeen, reached, gaps };
}
