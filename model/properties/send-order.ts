/**
 * send-order: per client and session, the prompts the user sent are persisted in the order sent.
 * Prompts reported failed or never persisted are skipped: the user was told, or no-silent-loss
 * covers them. A prompt persisted twice is placed by its first row.
 */
import type { History } from '../history.ts';
import { oracleFor, describePrompt, key, type AcceptedPrompt } from '../oracle.ts';
import { violation, type Violation } from '../violation.ts';

interface Placed {
  prompt: AcceptedPrompt;
  seq: number;
}

export function checkSendOrder(history: History): Violation[] {
  const oracle = oracleFor(history);
  const out: Violation[] = [];
  // The latest-persisted prompt so far per (client, session): anything sent after it must land later.
  const highest = new Map<string, Placed>();
  for (const prompt of oracle.prompts) {
    if (prompt.failedReports.length > 0 || prompt.persisted.length === 0) continue;
    const seq = Math.min(...prompt.persisted.map((row) => row.seq));
    const k = key(prompt.entry.client, prompt.entry.sessionId);
    const before = highest.get(k);
    if (before === undefined || seq > before.seq) {
      highest.set(k, { prompt, seq });
      continue;
    }
    const message =
      `${describePrompt(prompt)} was persisted at seq ${seq}, ` +
      `before "${before.prompt.entry.prompt}" sent earlier (seq ${before.seq})`;
    const subject = {
      client: prompt.entry.client,
      sessionId: prompt.entry.sessionId,
      prompt: prompt.entry.prompt,
      seq,
      earlierPrompt: before.prompt.entry.prompt,
      earlierSeq: before.seq,
    };
    out.push(violation('send-order', message, subject, [before.prompt.entry.index, prompt.entry.index]));
  }
  return out;
}
