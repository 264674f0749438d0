/**
 * no-silent-gap (liveness, at the end): every client has, in its last reload epoch, applied every
 * stored event of every session it tracks, or was told of the missing range by `_gap`. Seqs at
 * or below the cursor the client started the epoch with came from the app's own history
 * catch-up and need not be applied again. A client that does not report its cursor is held to
 * what the app applied before the reload instead: everything above that must arrive.
 */
import type { EntryOf, History } from '../history.ts';
import { appliedAt, firstCursorAt, gapReported, key, lastEpoch, oracleFor, type Oracle } from '../oracle.ts';
import { firstAbove } from '../sorted-seqs.ts';
import { violation, type Violation } from '../violation.ts';

export function checkNoSilentGap(history: History): Violation[] {
  const oracle = oracleFor(history);
  const out: Violation[] = [];
  for (const client of history.end.clients) {
    for (const { sessionId } of client.sessions) {
      const found = silentGap(oracle, client.client, sessionId);
      if (found !== null) out.push(found);
    }
  }
  return out;
}

function silentGap(oracle: Oracle, client: string, sessionId: string): Violation | null {
  const epoch = lastEpoch(oracle, client);
  const applied = appliedAt(oracle, key(client, sessionId, epoch));
  const appliedSeqs = new Set(applied.map((a) => a.seq));
  const settled = oracle.history.end.settledSeqs?.[sessionId] ?? Number.POSITIVE_INFINITY;
  const stored = (oracle.history.end.sessionSeqs[sessionId] ?? []).filter((seq) => seq <= settled);
  const start = oracle.history.observations.includes('cursor')
    ? trackingStart(oracle, applied, key(client, sessionId, epoch))
    : appliedBefore(oracle, client, sessionId, epoch);
  const missing = stored
    .slice(firstAbove(stored, start))
    .filter((seq) => !appliedSeqs.has(seq) && !gapReported(oracle, client, sessionId, seq));
  if (missing.length === 0) return null;
  const first = missing[0]!;
  const message =
    `client ${client} never applied ${missing.length} event(s) of session ${sessionId} from seq ${first} ` +
    `and was not told by _gap`;
  const subject = { client, sessionId, firstMissingSeq: first, missing: missing.length };
  return violation('no-silent-gap', message, subject, neighbours(applied, first));
}

/**
 * Where tracking began in the epoch: a cursor set before anything was applied (the app's own
 * catch-up), else 0. A cursor equal to or above the first applied seq is that event's own
 * receipt, not a catch-up, so it does not count.
 */
function trackingStart(oracle: Oracle, applied: EntryOf<'applied'>[], epochKey: string): number {
  const first = applied[0];
  const cursor = firstCursorAt(oracle, epochKey);
  if (cursor === undefined) return 0;
  if (first === undefined) return cursor.cursor;
  return cursor.index < first.index && cursor.cursor < first.seq ? cursor.cursor : 0;
}

/** The highest seq of the session the app applied in the client's earlier reload epochs, else 0. */
function appliedBefore(oracle: Oracle, client: string, sessionId: string, epoch: number): number {
  let highest = 0;
  for (let earlier = 0; earlier < epoch; earlier++) {
    for (const entry of appliedAt(oracle, key(client, sessionId, earlier))) highest = Math.max(highest, entry.seq);
  }
  return highest;
}

/** The applied entries on either side of the first hole: where the client lost track. */
function neighbours(applied: EntryOf<'applied'>[], missingSeq: number): number[] {
  const before = applied.filter((a) => a.seq < missingSeq).at(-1);
  const after = applied.find((a) => a.seq > missingSeq);
  return [before, after].flatMap((a) => (a === undefined ? [] : [a.index]));
}
