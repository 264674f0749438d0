/**
 * The client's side of the defect catalogue: every decision the historical clients got wrong, one
 * method each, so each client defect switch is consulted in exactly one place. The historical
 * parts in this folder ask it at their decision points; `replaces` says which parts of a version
 * differ from the fixed client at all, so only those are swapped in when the client is assembled.
 */
import { DEFECTS, type DefectId, type Defects, type SendPath } from '../defects.ts';

/** A part of the client that a version may replace with its historical implementation. */
export type ClientPart = 'connection' | 'delivery' | 'outbox' | 'pending-queue' | 'prompt-storage';

const LEGACY_SEND_PATH_DEFECTS = DEFECTS.filter((entry) => entry.site === 'legacy-send-path').map((entry) => entry.id);

/** The defects whose decisions each part holds; a defect may be decided in more than one part. */
const PART_DEFECTS: Record<ClientPart, readonly DefectId[]> = {
  connection: ['stale-stream-callbacks', 'connected-before-flush', 'open-before-flush'],
  delivery: ['client-cursor-regress', 'cursor-on-receipt', 'no-gap-detection'],
  outbox: ['parallel-flush', 'drop-oldest-at-cap'],
  // A connection that counts as connected before its flush posts around the queues through this one.
  'pending-queue': [
    'parallel-flush',
    'drop-oldest-at-cap',
    'permission-not-retried',
    'connected-before-flush',
    'open-before-flush',
    ...LEGACY_SEND_PATH_DEFECTS,
  ],
  // reload-loses-pending: pending prompts lived only in memory.
  'prompt-storage': ['reload-loses-pending'],
};

export const CLIENT_PARTS = Object.keys(PART_DEFECTS) as ClientPart[];

export class HistoricalClientPolicy {
  constructor(
    private readonly defects: Defects,
    readonly sendPath: SendPath,
  ) {}

  /** Whether this version's `part` differs from the fixed client's. */
  replaces(part: ClientPart): boolean {
    // The legacy send path keeps prompts in the pending queue: no outbox, one queue for all.
    if (part === 'pending-queue' && this.sendPath === 'legacy-queue') return true;
    return PART_DEFECTS[part].some((id) => this.defects.has(id));
  }

  /** Whether the version's client is the fixed one in every part. */
  isFixedClient(): boolean {
    return CLIENT_PARTS.every((part) => !this.replaces(part));
  }

  // The connection.

  /** stale-stream-callbacks (base): callbacks of a replaced EventSource or an old connectionId were acted on. */
  actsOnStaleCallbacks(): boolean {
    return this.defects.has('stale-stream-callbacks');
  }

  /** connected-before-flush (base): connected was set, and direct posting began, once the reconnect answered. */
  connectsBeforeFlush(): boolean {
    return this.defects.has('connected-before-flush');
  }

  /** open-before-flush (base): `_open` (and direct posting with it) came once the reconnect answered. */
  opensBeforeFlush(): boolean {
    return this.defects.has('open-before-flush');
  }

  // The delivery.

  /** client-cursor-regress (base, pr396): the cursor was set to any received seq, also a lower one. */
  setsCursorToAnyReceivedSeq(): boolean {
    return this.defects.has('client-cursor-regress');
  }

  /** cursor-on-receipt (base, pr396): the cursor advanced when an event arrived, before the app applied it. */
  advancesCursorOnReceipt(): boolean {
    return this.defects.has('cursor-on-receipt');
  }

  /** no-gap-detection (base, pr396): events were applied as they came, without checking prevSessionSeq. */
  appliesWithoutGapCheck(): boolean {
    return this.defects.has('no-gap-detection');
  }

  // The queues.

  /** parallel-flush (base): queued messages all went out at once instead of one at a time. */
  flushesInParallel(): boolean {
    return this.defects.has('parallel-flush');
  }

  /** drop-oldest-at-cap (base, pr396): a full queue made room by dropping its oldest entry. */
  evictsOldestAtCap(): boolean {
    return this.defects.has('drop-oldest-at-cap');
  }

  /** concurrent-flush (pr396-r1): a second welcome started a second flush instead of joining the first. */
  startsConcurrentFlushes(): boolean {
    return this.defects.has('concurrent-flush');
  }

  /** flush-while-loop (pr396-r1): the flush looped until empty on the id it started with. */
  flushesUntilEmpty(): boolean {
    return this.defects.has('flush-while-loop');
  }

  // What the pending queue did with a failed POST.

  /** permission-not-retried (base, pr396-r1): a failed permission_response was reported once and dropped. */
  retriesPermission(): boolean {
    return !this.defects.has('permission-not-retried');
  }

  /** send-silent-drop (base): the failed POST of a prompt was simply ignored. */
  ignoresFailedPrompt(): boolean {
    return this.defects.has('send-silent-drop');
  }

  /** no-retry-429 (pr396-r1): rate limiting was taken as permanent and the prompt dropped. */
  treats429AsPermanent(): boolean {
    return this.defects.has('no-retry-429');
  }

  /** retry-permanent-4xx (pr396-r1): every non-ok status was retried, also a 400 that can never pass. */
  retriesEveryStatus(): boolean {
    return this.defects.has('retry-permanent-4xx');
  }

  /** no-retry-budget (pr396-r1): a prompt's attempts were not limited. */
  ignoresRetryBudget(): boolean {
    return this.defects.has('no-retry-budget');
  }

  /** drop-after-budget-silently (pr396): a prompt past its budget was dropped with only a warning. */
  dropsAfterBudgetSilently(): boolean {
    return this.defects.has('drop-after-budget-silently');
  }

  /** requeue-bypasses-cap (pr396-r1): a failed entry was re-queued without the 100-entry cap. */
  requeueBypassesCap(): boolean {
    return this.defects.has('requeue-bypasses-cap');
  }

  /** stranded-requeue (pr396): a re-queued prompt waited for the next welcome instead of a timer. */
  strandsRequeuedPrompt(): boolean {
    return this.defects.has('stranded-requeue');
  }

  /** ambiguous-ack-duplicate (pr396): a retried prompt was posted under a fresh clientMsgId. */
  repostsUnderFreshId(): boolean {
    return this.defects.has('ambiguous-ack-duplicate');
  }
}
