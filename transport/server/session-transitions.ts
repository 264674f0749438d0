/**
 * The session lifecycle: which state changes the store accepts, and which states still count as
 * "active" for the legacy `is_active` column that older readers consult.
 */
import type { SessionState } from '../protocol.ts';

const ALLOWED_TRANSITIONS: Readonly<Record<SessionState, readonly SessionState[]>> = {
  CREATED: ['STARTING', 'ENDED'],
  STARTING: ['ACTIVE', 'ENDED'],
  ACTIVE: ['DETACHED', 'SUSPENDED', 'CLOSING', 'ENDED'],
  DETACHED: ['ACTIVE', 'SUSPENDED', 'CLOSING', 'ENDED'],
  SUSPENDED: ['ACTIVE', 'ENDED'],
  CLOSING: ['ENDED'],
  ENDED: ['CREATED'],
};

/** States a server restart leaves orphaned: their agent died with the process. */
export const STALE_ON_RESTART: readonly SessionState[] = ['STARTING', 'ACTIVE', 'DETACHED', 'SUSPENDED', 'CLOSING'];

export function isAllowedTransition(from: SessionState, to: SessionState): boolean {
  return ALLOWED_TRANSITIONS[from].includes(to);
}

export function legacyIsActive(state: SessionState): boolean {
  return state !== 'CLOSING' && state !== 'ENDED';
}
