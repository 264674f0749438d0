/**
 * bounded-queue: a client's pending queue never exceeds limits.maxPendingSends and no session's
 * out-of-order buffer exceeds limits.applyBufferLimit. One violation per queue or buffer, citing
 * the entry that first crossed the limit; the subject also carries the peak length.
 */
import type { EntryOf, History } from '../history.ts';
import { key } from '../oracle.ts';
import { violation, type Violation } from '../violation.ts';
import { entriesOfKinds } from '../history-entries.ts';

type Sized = EntryOf<'queue'> | EntryOf<'buffer'>;

export function checkBoundedQueue(history: History): Violation[] {
  const { maxPendingSends, applyBufferLimit } = history.limits;
  const over = new Map<string, { first: Sized; peak: number }>();
  for (const e of entriesOfKinds(history, ['queue', 'buffer'])) {
    if (e.kind !== 'queue' && e.kind !== 'buffer') continue;
    const limit = e.kind === 'queue' ? maxPendingSends : applyBufferLimit;
    if (e.length <= limit) continue;
    const k = e.kind === 'queue' ? key('queue', e.client) : key('buffer', e.client, e.sessionId);
    const seen = over.get(k);
    if (seen) seen.peak = Math.max(seen.peak, e.length);
    else over.set(k, { first: e, peak: e.length });
  }
  return [...over.values()].map(({ first, peak }) => describe(first, peak, history));
}

function describe(first: Sized, peak: number, history: History): Violation {
  if (first.kind === 'queue') {
    const bounds = `(limit ${history.limits.maxPendingSends}, peak ${peak})`;
    const message = `client ${first.client} pending queue reached ${first.length} entries ${bounds}`;
    return violation('bounded-queue', message, { client: first.client, queue: 'pending', length: first.length, peak }, [
      first.index,
    ]);
  }
  const limit = history.limits.applyBufferLimit;
  const message =
    `client ${first.client} apply buffer of session ${first.sessionId} ` +
    `reached ${first.length} events (limit ${limit}, peak ${peak})`;
  const subject = { client: first.client, queue: 'buffer', sessionId: first.sessionId, length: first.length, peak };
  return violation('bounded-queue', message, subject, [first.index]);
}
