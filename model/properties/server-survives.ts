/** server-survives: the server process ends only by an injected crash, never by its own error. */
import type { History } from '../history.ts';
import { violation, type Violation } from '../violation.ts';
import { entriesOfKinds } from '../history-entries.ts';

export function checkServerSurvives(history: History): Violation[] {
  const out: Violation[] = [];
  for (const e of entriesOfKinds(history, ['server-down'])) {
    if (e.kind !== 'server-down' || e.injected) continue;
    out.push(
      violation(
        'server-survives',
        `the server process died without an injected crash: ${e.reason}`,
        { reason: e.reason },
        [e.index],
      ),
    );
  }
  return out;
}
