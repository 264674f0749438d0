/**
 * session-order: within one reload epoch a client applies a session's events in strictly
 * increasing seq, each one's prevSessionSeq naming the previous applied seq, unless the client
 * raised a `_gap` covering the events it skipped. The first event applied in an epoch is free:
 * the app caught up on its own history before the client started tracking.
 * It also holds on the wire: on one stream a client sees a session's events in strictly
 * increasing seq. A client that reorders can hide an out-of-order server from the app; the
 * stream shows it.
 */
import type { EntryOf, History } from '../history.ts';
import { appliedAt, gapReported, key, oracleFor, type Oracle } from '../oracle.ts';
import { entriesOfKinds } from '../history-entries.ts';
import { seqsBetween } from '../sorted-seqs.ts';
import { violation, type Violation } from '../violation.ts';

type Applied = EntryOf<'applied'>;

export function checkSessionOrder(history: History): Violation[] {
  return [...appliedOutOfOrder(history), ...receivedOutOfOrder(history)];
}

/** One violation per client and session: the first frame that arrived behind a later one. */
function receivedOutOfOrder(history: History): Violation[] {
  // client -> stream -> sessionId -> the latest frame: nested, so no key string is built per frame.
  const lastOnStream = new Map<string, Map<string, Map<string, EntryOf<'frame-received'>>>>();
  const found = new Map<string, { violation: Violation; count: number }>();
  for (const e of entriesOfKinds(history, ['frame-received'])) {
    let streams = lastOnStream.get(e.client);
    if (streams === undefined) lastOnStream.set(e.client, (streams = new Map()));
    let sessions = streams.get(e.stream);
    if (sessions === undefined) streams.set(e.stream, (sessions = new Map()));
    const last = sessions.get(e.sessionId);
    if (last === undefined || e.seq > last.seq) {
      sessions.set(e.sessionId, e);
      continue;
    }
    const sessionKey = key(e.client, e.sessionId);
    const prior = found.get(sessionKey);
    if (prior) {
      prior.count += 1;
      continue;
    }
    const { client, seq, sessionId, stream } = e;
    const message = `client ${client} received seq ${seq} of session ${sessionId} after seq ${last.seq} on ${stream}`;
    const subject = { client, sessionId, seq, previousSeq: last.seq, stream };
    found.set(sessionKey, { violation: violation('session-order', message, subject, [last.index, e.index]), count: 1 });
  }
  return [...found.values()].map(({ violation: v, count }) =>
    count > 1
      ? {
          ...v,
          message: `${v.message} (${count} frames out of order in all)`,
          subject: { ...v.subject, outOfOrder: count },
        }
      : v,
  );
}

function appliedOutOfOrder(history: History): Violation[] {
  const oracle = oracleFor(history);
  const out: Violation[] = [];
  for (const epochKey of oracle.appliedByEpoch.keys()) {
    const applied = appliedAt(oracle, epochKey);
    let last = applied[0]!;
    let first: Violation | null = null;
    let count = 0;
    for (let i = 1; i < applied.length; i++) {
      const cur = applied[i]!;
      const problem = orderProblem(oracle, last, cur);
      if (problem !== null) {
        count += 1;
        first ??= orderViolation(last, cur, problem);
      }
      // An event that went backwards does not move the app's position; anything else does.
      if (cur.seq > last.seq) last = cur;
    }
    // One violation per client, session and epoch: the first out-of-order apply, with the count.
    if (first) out.push(count > 1 ? withCount(first, count) : first);
  }
  return out;
}

function withCount(v: Violation, count: number): Violation {
  return {
    ...v,
    message: `${v.message} (${count} out-of-order applies in all)`,
    subject: { ...v.subject, outOfOrder: count },
  };
}

function orderProblem(oracle: Oracle, last: Applied, cur: Applied): string | null {
  if (cur.seq <= last.seq) return `after seq ${last.seq}`;
  if (cur.prevSessionSeq === last.seq) return null;
  if (cur.prevSessionSeq > last.seq && skippedAreReported(oracle, last, cur)) return null;
  return `after seq ${last.seq} without a _gap for the missing range`;
}

/** The skipped events are the session's stored seqs after `last`, up to cur's predecessor. */
function skippedAreReported(oracle: Oracle, last: Applied, cur: Applied): boolean {
  const seqs = oracle.history.end.sessionSeqs[cur.sessionId] ?? [];
  const skipped = seqsBetween(seqs, last.seq, cur.prevSessionSeq);
  // A predecessor the store does not hold still has to be reported by its own seq.
  if (skipped.length === 0) skipped.push(cur.prevSessionSeq);
  return skipped.every((seq) => gapReported(oracle, cur.client, cur.sessionId, seq, cur.index));
}

function orderViolation(last: Applied, cur: Applied, problem: string): Violation {
  const message =
    `client ${cur.client} applied seq ${cur.seq} (prevSessionSeq ${cur.prevSessionSeq}) ` +
    `of session ${cur.sessionId} ${problem}`;
  const subject = {
    client: cur.client,
    sessionId: cur.sessionId,
    seq: cur.seq,
    prevSessionSeq: cur.prevSessionSeq,
    previousSeq: last.seq,
  };
  return violation('session-order', message, subject, [last.index, cur.index]);
}
