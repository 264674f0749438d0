/**
 * The verdict of one run, decided from its violations and how the run ended. A harness failure
 * or a step limit outranks any finding, since the history it produced cannot be trusted whole.
 */
import type { PropertyId } from './property-id.ts';
import type { Violation } from './violation.ts';

export type VerdictKind = 'passed' | 'violation' | 'liveness' | 'crash' | 'step-limit';

/** Properties checked only at the end of the heal phase; alone they give a `liveness` verdict. */
export const LIVENESS_PROPERTIES: readonly PropertyId[] = ['liveness', 'no-silent-gap', 'delivery', 'timeliness'];

export interface VerdictInput {
  violations: readonly Violation[];
  /** The simulator itself threw (an exception in the harness, not a server crash). */
  crashed: boolean;
  stepLimitHit: boolean;
}

export function decideVerdict({ violations, crashed, stepLimitHit }: VerdictInput): VerdictKind {
  if (stepLimitHit) return 'step-limit';
  if (crashed) return 'crash';
  if (violations.some((v) => !LIVENESS_PROPERTIES.includes(v.property))) return 'violation';
  if (violations.length > 0) return 'liveness';
  return 'passed';
}
