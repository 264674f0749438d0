/**
 * no-duplicates: within one reload epoch a client never applies the same seq of a session twice.
 * A reload starts a new epoch because the app's memory is gone and it may apply events again.
 */
import type { EntryOf, History } from '../history.ts';
import { appliedAt, oracleFor } from '../oracle.ts';
import { violation, type Violation } from '../violation.ts';

/** One violation per client, session and epoch: the first repeat, with how many followed. */
export function checkNoDuplicates(history: History): Violation[] {
  const out: Violation[] = [];
  const oracle = oracleFor(history);
  for (const epochKey of oracle.appliedByEpoch.keys()) {
    const applied = appliedAt(oracle, epochKey);
    const firstBySeq = new Map<number, EntryOf<'applied'>>();
    let found: { first: EntryOf<'applied'>; repeat: EntryOf<'applied'> } | null = null;
    let repeats = 0;
    for (const cur of applied) {
      const first = firstBySeq.get(cur.seq);
      if (first === undefined) firstBySeq.set(cur.seq, cur);
      else {
        repeats += 1;
        found ??= { first, repeat: cur };
      }
    }
    if (!found) continue;
    const { first, repeat } = found;
    const more = repeats > 1 ? ` (${repeats} repeated applies in all)` : '';
    const { client, seq, sessionId } = repeat;
    const message = `client ${client} applied seq ${seq} of session ${sessionId} a second time${more}`;
    const subject = { client, sessionId, seq, repeats };
    out.push(violation('no-duplicates', message, subject, [first.index, repeat.index]));
  }
  return out;
}
