/**
 * What a full pending queue does with one more entry. Shared by the SendOutbox and the pending
 * queue so both paths refuse in the same way.
 */
import type { Defects } from '../defects.ts';
import { MAX_PENDING_SENDS } from '../protocol.ts';

export type Admission = 'accept' | 'refuse' | 'evict-oldest';

export function admitEntry(queuedCount: number, defects: Defects): Admission {
  if (queuedCount < MAX_PENDING_SENDS) return 'accept';
  // Refusing tells the caller at once; evicting would lose a prompt send() already accepted.
  if (defects.has('drop-oldest-at-cap')) return 'evict-oldest';
  return 'refuse';
}
