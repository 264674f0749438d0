/**
 * no-silent-loss: every prompt send() accepted is, by the end, persisted exactly once or reported
 * to the accepting client by `_send_failed`. Persisted twice is a loss of a different kind (the
 * user sees the prompt twice) and is reported here too; reported failed and persisted once is
 * fine, since the user was told and the outcome is still one message.
 */
import type { History } from '../history.ts';
import { oracleFor, describePrompt, persistenceSubject, type AcceptedPrompt } from '../oracle.ts';
import { violation, type Violation } from '../violation.ts';

export function checkNoSilentLoss(history: History): Violation[] {
  const oracle = oracleFor(history);
  const out: Violation[] = [];
  for (const p of oracle.prompts) {
    const problem = lossOf(p);
    if (problem === null) continue;
    const subject = persistenceSubject(p);
    const evidence = [p.entry.index, ...p.attempts.map((e) => e.index), ...p.runs.map((e) => e.index)];
    out.push(violation('no-silent-loss', `${describePrompt(p)} ${problem}`, subject, evidence));
  }
  return out;
}

function lossOf(p: AcceptedPrompt): string | null {
  if (p.persisted.length > 1) return `was accepted and persisted ${p.persisted.length} times`;
  if (p.persisted.length === 0 && p.failedReports.length === 0) {
    return 'was accepted but neither persisted nor reported failed';
  }
  return null;
}
