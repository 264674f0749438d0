/**
 * cursor-monotonic: within one reload epoch a client's cursor for a session never moves
 * backwards. A reload may restore an older cursor from storage, so epochs are compared apart.
 */
import type { History } from '../history.ts';
import { cursorsAt, oracleFor } from '../oracle.ts';
import { violation, type Violation } from '../violation.ts';

export function checkCursorMonotonic(history: History): Violation[] {
  const out: Violation[] = [];
  const oracle = oracleFor(history);
  for (const epochKey of oracle.cursorsByEpoch.keys()) {
    const cursors = cursorsAt(oracle, epochKey);
    for (let i = 1; i < cursors.length; i++) {
      const before = cursors[i - 1]!;
      const cur = cursors[i]!;
      if (cur.cursor >= before.cursor) continue;
      const message =
        `client ${cur.client} moved its cursor for session ${cur.sessionId} ` +
        `back from ${before.cursor} to ${cur.cursor}`;
      const subject = {
        client: cur.client,
        sessionId: cur.sessionId,
        cursor: cur.cursor,
        previousCursor: before.cursor,
      };
      out.push(violation('cursor-monotonic', message, subject, [before.index, cur.index]));
    }
  }
  return out;
}
