/**
 * no-duplicates: within one reload epoch a client never applies the same seq of a session twice.
 * A reload starts a new epoch because the app's memory is gone and it may apply events again.
 */
import type { EntryOf, History } from '../history.ts';
import { oracleFor } from '../oracle.ts';
import { violation, type Violation } from '../violation.ts';

export function checkNoDuplicates(history: History): Violation[] {
  const out: Violation[] = [];
  for (const applied of oracleFor(history).appliedByEpoch.values()) {
    const firstBySeq = new Map<number, EntryOf<'applied'>>();
    for (const cur of applied) {
      const first = firstBySeq.get(cur.seq);
      if (first === undefined) {
        firstBySeq.set(cur.seq, cur);
        continue;
      }
      const message = `client ${cur.client} applied seq ${cur.seq} of session ${cur.sessionId} a second time`;
      const subject = { client: cur.client, sessionId: cur.sessionId, seq: cur.seq };
      out.push(violation('no-duplicates', message, subject, [first.index, cur.index]));
    }
  }
  return out;
}
