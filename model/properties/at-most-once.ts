/**
 * at-most-once: the agent runs each prompt at most once. Identity is the prompt text, because a
 * buggy client re-posts a prompt under a fresh clientMsgId and the server cannot tell.
 */
import type { EntryOf, History } from '../history.ts';
import { violation, type Violation } from '../violation.ts';
import { entriesOfKinds } from '../history-entries.ts';

export function checkAtMostOnce(history: History): Violation[] {
  const runsByPrompt = new Map<string, EntryOf<'agent-run'>[]>();
  for (const entry of entriesOfKinds(history, ['agent-run'])) {
    if (entry.kind !== 'agent-run') continue;
    const runs = runsByPrompt.get(entry.prompt) ?? [];
    runs.push(entry);
    runsByPrompt.set(entry.prompt, runs);
  }
  const out: Violation[] = [];
  for (const [prompt, runs] of runsByPrompt) {
    if (runs.length < 2) continue;
    const ids = [...new Set(runs.map((r) => r.clientMsgId))].join(',');
    const message =
      `prompt "${prompt}" (session ${runs[0]!.sessionId}) ` +
      `was run by the agent ${runs.length} times (clientMsgIds ${ids})`;
    const subject = { prompt, sessionId: runs[0]!.sessionId, runs: runs.length, clientMsgIds: ids };
    out.push(
      violation(
        'at-most-once',
        message,
        subject,
        runs.map((r) => r.index),
      ),
    );
  }
  return out;
}
