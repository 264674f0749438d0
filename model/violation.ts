/**
 * What a property reports when it does not hold: which property, a one-line explanation naming
 * the message or event concerned, the identifying fields, and the trace entries that explain it.
 */
import type { PropertyId } from './property-id.ts';

export interface Violation {
  property: PropertyId;
  /**
   * One line naming the message or event, e.g.
   * `prompt "p7" (client c1, session s1) was accepted but neither persisted nor reported failed`.
   */
  message: string;
  /** Identifying fields (client, sessionId, seq, prompt, ...) for grouping and for tests. */
  subject: Record<string, string | number>;
  /** History entry indexes (trace indexes) that explain the violation, ascending. */
  evidence: number[];
}

/** Builds a violation with its evidence sorted and de-duplicated, so reports read in trace order. */
export function violation(
  property: PropertyId,
  message: string,
  subject: Record<string, string | number>,
  evidence: number[],
): Violation {
  const sorted = [...new Set(evidence)].sort((a, b) => a - b);
  return { property, message, subject, evidence: sorted };
}
