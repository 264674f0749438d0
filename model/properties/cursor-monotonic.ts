/**
 * cursor-monotonic: within one reload epoch a client's cursor for a session never moves
 * backwards. A reload may restore an older cursor from storage, so epochs are compared apart.
 */
import type { History } from '../history.ts';
import { oracleFor } from '../oracle.ts';
import { violation, type Violation } from '../violation.ts';

export function checkCursorMonotonic(history: History): Violation[] {
  const out: Violation[] = [];
  for (const cursors of oracleFor(history).cursorsByEpoch.values()) {
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
