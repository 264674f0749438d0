/**
 * AppliedDelivery: order, buffering, resync and gaps, failed applies, malformed input; and,
 * through the historical parts, the cursor and ordering defects of the historical clients.
 */
import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { Defects, type DefectId } from '../defects.ts';
import { HistoricalClientParts } from '../legacy/historical-client-parts.ts';
import { HistoricalClientPolicy } from '../legacy/historical-client-policy.ts';
import { OBS } from '../observations.ts';
import {
  APPLY_BUFFER_LIMIT,
  GAP_RESYNC_TIMEOUT_MS,
  HISTORY_PAGE_LIMIT,
  type HistoryResponse,
  type SessionEventFrame,
} from '../protocol.ts';
import { createFakeEnv } from '../testing/fake-env.ts';
import { AppliedDelivery, DELIVERY_LOG, GAP_REASON, type GapSignal } from './applied-delivery.ts';

function frame(seq: number, prevSessionSeq: number, sessionId = 's1'): SessionEventFrame {
  return {
    type: 'session_event',
    seq,
    sessionId,
    prevSessionSeq,
    eventType: 'assistant_delta',
    payload: { seq },
    createdAt: 0,
  };
}

/** Frames for the given seqs of one session, each linked to the one before it. */
function chain(seqs: number[], sessionId = 's1', firstPrev = 0): SessionEventFrame[] {
  return seqs.map((seq, index) => frame(seq, index === 0 ? firstPrev : seqs[index - 1]!, sessionId));
}

function range(from: number, to: number): number[] {
  return Array.from({ length: to - from + 1 }, (_, index) => from + index);
}

/** The history endpoint as a store of events; it can fail or hold its answers back. */
class FakeHistory {
  readonly events: SessionEventFrame[] = [];
  readonly calls: { sessionId: string; afterSeq: number; limit: number; toSeq?: number }[] = [];
  failing = false;
  holding = false;
  private readonly held: (() => void)[] = [];

  fetch = (sessionId: string, afterSeq: number, limit: number, toSeq?: number): Promise<HistoryResponse> => {
    this.calls.push(toSeq === undefined ? { sessionId, afterSeq, limit } : { sessionId, afterSeq, limit, toSeq });
    if (this.failing) return Promise.reject(new Error('history unreachable'));
    // Answered from the store as it is now; holding only delays the delivery of the answer.
    const ofSession = this.events.filter((event) => event.sessionId === sessionId).sort((a, b) => a.seq - b.seq);
    const headSeq = ofSession.at(-1)?.seq ?? 0;
    const answer: HistoryResponse = {
      sessionId,
      events: ofSession.filter((event) => event.seq > afterSeq && event.seq <= (toSeq ?? Infinity)).slice(0, limit),
      headSeq,
    };
    if (!this.holding) return Promise.resolve(answer);
    return new Promise((resolve) => this.held.push(() => resolve(answer)));
  };

  releaseHeld(): void {
    for (const release of this.held.splice(0)) release();
  }
}

interface SetupOptions {
  defects?: DefectId[];
  store?: SessionEventFrame[];
}

function setup(options: SetupOptions = {}) {
  const fake = createFakeEnv();
  const history = new FakeHistory();
  history.events.push(...(options.store ?? []));
  const applied: number[] = [];
  const gaps: GapSignal[] = [];
  const failOnce = new Set<number>();
  // As the client is assembled from a version: the historical delivery only when its defects touch it.
  const parts = new HistoricalClientParts(new HistoricalClientPolicy(new Defects(options.defects ?? []), 'outbox'));
  const delivery = parts.createDelivery({
    env: fake.env,
    apply: (event) => {
      if (failOnce.delete(event.seq)) throw new Error(`app failed on ${event.seq}`);
      applied.push(event.seq);
    },
    fetchHistory: history.fetch,
    onGap: (signal) => gaps.push(signal),
  });
  const cursorLog = () => fake.logsOf(OBS.clientCursor).map((entry) => entry.data.cursor as number);
  return { fake, history, applied, gaps, failOnce, delivery, cursorLog };
}

/** Lets every promise chain started so far run to its end. */
async function settle(): Promise<void> {
  for (let i = 0; i < 50; i += 1) await Promise.resolve();
}

describe('AppliedDelivery ordering', () => {
  it('applies events in prevSessionSeq order and moves the cursor to the last applied seq', () => {
    const { delivery, applied, fake, cursorLog } = setup();
    delivery.track('s1', 2);
    for (const event of chain([3, 7, 12], 's1', 2)) delivery.receive(event);
    expect(applied).toEqual([3, 7, 12]);
    expect(delivery.getCursor('s1')).toBe(12);
    expect(cursorLog()).toEqual([2, 3, 7, 12]);
    expect(fake.logsOf(OBS.clientApplied).map((entry) => entry.data)).toEqual([
      { sessionId: 's1', seq: 3, prevSessionSeq: 2 },
      { sessionId: 's1', seq: 7, prevSessionSeq: 3 },
      { sessionId: 's1', seq: 12, prevSessionSeq: 7 },
    ]);
  });

  it('ignores events that were already applied', () => {
    const { delivery, applied, cursorLog } = setup();
    delivery.track('s1', 10);
    const events = chain([11, 12], 's1', 10);
    for (const event of [...events, events[0]!, frame(4, 3), events[1]!]) delivery.receive(event);
    expect(applied).toEqual([11, 12]);
    expect(delivery.getCursor('s1')).toBe(12);
    expect(cursorLog()).toEqual([10, 11, 12]);
  });

  it('buffers early events and releases them in order when the predecessor arrives', () => {
    const { delivery, applied, fake } = setup();
    delivery.track('s1', 10);
    const [e11, e12, e13] = chain([11, 12, 13], 's1', 10);
    delivery.receive(e13!);
    delivery.receive(e12!);
    expect(applied).toEqual([]);
    expect(delivery.bufferedCount('s1')).toBe(2);
    delivery.receive(e11!);
    expect(applied).toEqual([11, 12, 13]);
    expect(delivery.bufferedCount('s1')).toBe(0);
    expect(fake.logsOf(OBS.clientBufferLength).map((entry) => entry.data.length)).toEqual([1, 2, 0]);
    expect(fake.pendingTimerCount()).toBe(0);
  });

  it('keeps sessions apart', () => {
    const { delivery, applied } = setup();
    delivery.track('s1', 1);
    delivery.track('s2', 2);
    delivery.receive(frame(5, 2, 's2'));
    delivery.receive(frame(4, 3, 's1'));
    delivery.receive(frame(3, 1, 's1'));
    expect(applied).toEqual([5, 3, 4]);
    expect(delivery.trackedSessions()).toEqual([
      { sessionId: 's1', lastSeq: 4 },
      { sessionId: 's2', lastSeq: 5 },
    ]);
  });

  it('ignores events of sessions it does not track and keeps the cursor of an untracked session', () => {
    const { delivery, applied, history } = setup();
    delivery.receive(frame(1, 0, 'other'));
    delivery.track('s1', 5);
    delivery.receive(frame(6, 5));
    delivery.untrack('s1');
    delivery.receive(frame(7, 6));
    expect(delivery.isTracked('s1')).toBe(false);
    expect(applied).toEqual([6]);
    delivery.track('s1');
    expect(delivery.getCursor('s1')).toBe(6);
    expect(history.calls).toEqual([{ sessionId: 's1', afterSeq: 6, limit: HISTORY_PAGE_LIMIT }]);
  });

  it('never lets the cursor move backwards when tracked again with a lower lastSeq', () => {
    const { delivery, cursorLog } = setup();
    delivery.track('s1', 9);
    delivery.track('s1', 4);
    expect(delivery.getCursor('s1')).toBe(9);
    expect(cursorLog()).toEqual([9]);
  });
});

describe('AppliedDelivery resync', () => {
  it('catches a newly tracked session up from the history at once', async () => {
    const { delivery, history, applied } = setup({ store: chain([2, 5, 9]) });
    delivery.track('s1');
    expect(history.calls).toEqual([{ sessionId: 's1', afterSeq: 0, limit: HISTORY_PAGE_LIMIT }]);
    await settle();
    expect(applied).toEqual([2, 5, 9]);
    delivery.track('s2', 4);
    expect(history.calls).toHaveLength(1);
  });

  it('drops a resync owed for a failed apply once the event arrives again another way', async () => {
    const { delivery, history, applied, failOnce, fake } = setup({ store: chain([11, 12], 's1', 10) });
    delivery.track('s1', 10);
    failOnce.add(11);
    delivery.receive(frame(11, 10)); // the apply fails: a resync is owed
    delivery.receive(frame(11, 10)); // a replay after a reconnect brings it again
    delivery.receive(frame(12, 11));
    fake.advance(GAP_RESYNC_TIMEOUT_MS);
    await settle();
    expect(applied).toEqual([11, 12]);
    expect(history.calls).toEqual([]);
    expect(fake.pendingTimerCount()).toBe(0);
  });

  it('does not fetch when tracked with an explicit lastSeq of 0: the server streams from there', () => {
    const { delivery, history } = setup({ store: chain([2, 5, 9]) });
    delivery.track('s1', 0);
    expect(delivery.getCursor('s1')).toBe(0);
    expect(history.calls).toEqual([]);
  });

  it('retries a failed catch-up after the gap timeout, since nothing is known missing yet', async () => {
    const { delivery, history, applied, gaps, fake } = setup({ store: chain([2, 5]) });
    history.failing = true;
    delivery.track('s1');
    await settle();
    expect(gaps).toEqual([]);
    history.failing = false;
    fake.advance(GAP_RESYNC_TIMEOUT_MS);
    await settle();
    expect(history.calls).toHaveLength(2);
    expect(applied).toEqual([2, 5]);
    expect(fake.pendingTimerCount()).toBe(0);
  });

  it('fetches a gap that stays open for 15 s and applies the range in order', async () => {
    const events = chain(range(11, 15), 's1', 10);
    const { delivery, history, applied, fake } = setup({ store: events });
    delivery.track('s1', 10);
    delivery.receive(events[4]!);
    delivery.receive(events[2]!);
    fake.advance(GAP_RESYNC_TIMEOUT_MS - 1);
    expect(history.calls).toEqual([]);
    fake.advance(1);
    // Only the hole before the buffered 13 is fetched, not what is already held.
    expect(history.calls).toEqual([{ sessionId: 's1', afterSeq: 10, limit: HISTORY_PAGE_LIMIT, toSeq: 12 }]);
    await settle();
    expect(applied).toEqual([11, 12, 13, 14, 15]);
    expect(delivery.bufferedCount('s1')).toBe(0);
    expect(fake.pendingTimerCount()).toBe(0);
  });

  it(`caps the buffer at ${APPLY_BUFFER_LIMIT} and resyncs at once on overflow`, async () => {
    const events = chain(range(2, 2 + APPLY_BUFFER_LIMIT + 5), 's1', 1);
    const { delivery, history, applied, fake } = setup({ store: events });
    delivery.track('s1', 1);
    history.holding = true;
    for (const event of events.slice(1)) delivery.receive(event);
    expect(delivery.bufferedCount('s1')).toBe(APPLY_BUFFER_LIMIT);
    expect(history.calls).toHaveLength(1);
    expect(Math.max(...fake.logsOf(OBS.clientBufferLength).map((entry) => entry.data.length as number))).toBe(
      APPLY_BUFFER_LIMIT,
    );
    history.holding = false;
    history.releaseHeld();
    await settle();
    expect(applied).toEqual(events.map((event) => event.seq));
    expect(delivery.bufferedCount('s1')).toBe(0);
  });

  it('fetches a range announced by events_skipped page by page', async () => {
    const events = chain(range(6, 505), 's1', 5);
    const { delivery, history, applied, gaps } = setup({ store: events });
    delivery.track('s1', 5);
    delivery.skipped({ type: 'events_skipped', sessionId: 's1', fromSeq: 6, toSeq: 505 });
    await settle();
    expect(history.calls.map((call) => call.afterSeq)).toEqual([5, 205, 405]);
    expect(applied).toEqual(range(6, 505));
    expect(gaps).toEqual([]);
  });

  it('ignores an events_skipped range the client already has', () => {
    const { delivery, history } = setup();
    delivery.track('s1', 20);
    delivery.skipped({ type: 'events_skipped', sessionId: 's1', fromSeq: 3, toSeq: 20 });
    expect(history.calls).toEqual([]);
  });

  it('reports a skipped range it cannot fetch as _gap and moves the cursor past it', async () => {
    const { delivery, history, applied, gaps, cursorLog } = setup();
    delivery.track('s1', 5);
    history.failing = true;
    delivery.skipped({ type: 'events_skipped', sessionId: 's1', fromSeq: 6, toSeq: 9 });
    await settle();
    expect(gaps).toEqual([{ type: '_gap', sessionId: 's1', fromSeq: 6, toSeq: 9, reason: GAP_REASON.fetchFailed }]);
    expect(cursorLog()).toEqual([5, 9]);
    delivery.receive(frame(10, 9));
    expect(applied).toEqual([10]);
  });

  it('reports the hole before buffered events as _gap when the fetch fails, then applies them', async () => {
    const { delivery, history, applied, gaps, fake } = setup();
    delivery.track('s1', 10);
    history.failing = true;
    delivery.receive(frame(16, 15));
    delivery.receive(frame(15, 14));
    fake.advance(GAP_RESYNC_TIMEOUT_MS);
    await settle();
    expect(gaps).toEqual([{ type: '_gap', sessionId: 's1', fromSeq: 11, toSeq: 14, reason: GAP_REASON.fetchFailed }]);
    expect(applied).toEqual([15, 16]);
    expect(delivery.getCursor('s1')).toBe(16);
    expect(fake.pendingTimerCount()).toBe(0);
  });

  it('reports events the server no longer has as _gap', async () => {
    const { delivery, applied, gaps } = setup({ store: [frame(8, 6), frame(9, 8)] });
    delivery.track('s1', 3);
    delivery.skipped({ type: 'events_skipped', sessionId: 's1', fromSeq: 4, toSeq: 9 });
    await settle();
    expect(gaps).toEqual([{ type: '_gap', sessionId: 's1', fromSeq: 4, toSeq: 6, reason: GAP_REASON.eventsGone }]);
    expect(applied).toEqual([8, 9]);
  });

  it('treats a malformed history answer as a failed fetch', async () => {
    const fake = createFakeEnv();
    const gaps: GapSignal[] = [];
    const delivery = new AppliedDelivery({
      env: fake.env,
      apply: () => {},
      fetchHistory: async () =>
        ({
          sessionId: 's1',
          events: [{ sessionId: 's1', seq: 'x', prevSessionSeq: 1 }],
          headSeq: 4,
        }) as unknown as HistoryResponse,
      onGap: (signal) => gaps.push(signal),
    });
    delivery.track('s1', 1);
    delivery.skipped({ type: 'events_skipped', sessionId: 's1', fromSeq: 2, toSeq: 4 });
    await settle();
    expect(gaps).toEqual([{ type: '_gap', sessionId: 's1', fromSeq: 2, toSeq: 4, reason: GAP_REASON.fetchFailed }]);
    const failure = fake.logsOf(DELIVERY_LOG.resyncFailed)[0]!;
    expect(failure.data.message).toContain('events[0]: seq must be a positive integer');
  });

  it('refetches when an event is buffered while a fetch is out, instead of declaring it gone', async () => {
    const { delivery, history, applied, gaps, fake } = setup({ store: chain([11, 12], 's1', 10) });
    delivery.track('s1', 10);
    delivery.receive(frame(12, 11));
    history.holding = true;
    fake.advance(GAP_RESYNC_TIMEOUT_MS);
    // Appended and sent after the server answered the first page.
    history.events.push(frame(14, 13), frame(13, 12));
    delivery.receive(frame(14, 13));
    history.holding = false;
    history.releaseHeld();
    await settle();
    expect(gaps).toEqual([]);
    expect(applied).toEqual([11, 12, 13, 14]);
    expect(history.calls.map((call) => call.afterSeq)).toEqual([10, 12]);
  });
});

describe('AppliedDelivery failed applies', () => {
  it('leaves the cursor on a failed apply and gets the event again by resync', async () => {
    const events = chain([11, 12], 's1', 10);
    const { delivery, applied, failOnce, fake, history } = setup({ store: events });
    delivery.track('s1', 10);
    failOnce.add(11);
    delivery.receive(events[0]!);
    expect(delivery.getCursor('s1')).toBe(10);
    expect(fake.logsOf(OBS.clientApplied)).toEqual([]);
    delivery.receive(events[1]!);
    expect(applied).toEqual([]);
    fake.advance(GAP_RESYNC_TIMEOUT_MS);
    await settle();
    expect(history.calls).toHaveLength(1);
    expect(applied).toEqual([11, 12]);
    expect(delivery.getCursor('s1')).toBe(12);
  });

  it('resyncs a failed apply even when no later event arrives', async () => {
    const { delivery, applied, failOnce, fake } = setup({ store: [frame(11, 10)] });
    delivery.track('s1', 10);
    failOnce.add(11);
    delivery.receive(frame(11, 10));
    fake.advance(GAP_RESYNC_TIMEOUT_MS);
    await settle();
    expect(applied).toEqual([11]);
    expect(fake.pendingTimerCount()).toBe(0);
  });

  it('stops a resync at a failed apply and tries again later', async () => {
    const events = chain([4, 5, 6], 's1', 3);
    const { delivery, applied, failOnce, fake, history } = setup({ store: events });
    delivery.track('s1', 3);
    failOnce.add(5);
    delivery.skipped({ type: 'events_skipped', sessionId: 's1', fromSeq: 4, toSeq: 6 });
    await settle();
    expect(applied).toEqual([4]);
    fake.advance(GAP_RESYNC_TIMEOUT_MS);
    await settle();
    expect(applied).toEqual([4, 5, 6]);
    expect(history.calls.map((call) => call.afterSeq)).toEqual([3, 4]);
  });

  it('survives an onGap callback that throws', async () => {
    const fake = createFakeEnv();
    const delivery = new AppliedDelivery({
      env: fake.env,
      apply: () => {},
      fetchHistory: () => Promise.reject(new Error('down')),
      onGap: () => {
        throw new Error('app broke');
      },
    });
    delivery.track('s1', 1);
    delivery.skipped({ type: 'events_skipped', sessionId: 's1', fromSeq: 2, toSeq: 3 });
    await settle();
    expect(delivery.getCursor('s1')).toBe(3);
    expect(fake.logsOf(DELIVERY_LOG.callbackFailed)).toHaveLength(1);
  });
});

describe('AppliedDelivery input and lifecycle', () => {
  it('drops malformed frames without throwing and names the field', () => {
    const { delivery, applied, fake } = setup();
    delivery.track('s1', 1);
    const bad: unknown[] = [
      { type: 'session_event', sessionId: 's1', prevSessionSeq: 1 },
      { type: 'session_event', sessionId: 's1', seq: 2, prevSessionSeq: 'one' },
      { type: 'session_event', sessionId: 's1', seq: 2, prevSessionSeq: 2 },
      { type: 'session_event', seq: 2, prevSessionSeq: 1 },
      null,
    ];
    for (const value of bad) expect(() => delivery.receive(value as SessionEventFrame)).not.toThrow();
    expect(() => delivery.skipped({ type: 'events_skipped', sessionId: 's1', fromSeq: 9, toSeq: 2 })).not.toThrow();
    expect(() => delivery.track('', 1)).not.toThrow();
    expect(() => delivery.track('s3', -4)).not.toThrow();
    expect(applied).toEqual([]);
    const problems = fake.logsOf(DELIVERY_LOG.malformed).map((entry) => entry.data.problem as string);
    expect(problems[0]).toMatch(/^seq must be/);
    expect(problems[1]).toMatch(/^prevSessionSeq must be a non-negative integer/);
    expect(problems[2]).toMatch(/^prevSessionSeq must be lower than seq/);
    expect(problems[3]).toMatch(/^sessionId/);
    expect(problems[4]).toMatch(/^frame must be an object/);
    expect(problems[5]).toMatch(/^fromSeq must not exceed toSeq/);
    expect(problems[6]).toMatch(/^sessionId/);
    expect(problems[7]).toMatch(/^lastSeq must be a non-negative integer/);
    expect(delivery.getCursor('s1')).toBe(1);
  });

  it('clears its gap timers on dispose and drops answers that come after', async () => {
    const { delivery, history, applied, fake } = setup({ store: chain([1, 2]) });
    history.holding = true;
    delivery.track('s1');
    delivery.track('s2', 3);
    delivery.receive(frame(5, 4, 's2'));
    expect(fake.pendingTimerCount()).toBe(1);
    delivery.dispose();
    expect(fake.pendingTimerCount()).toBe(0);
    history.releaseHeld();
    await settle();
    expect(applied).toEqual([]);
  });

  it('ignores the answer of a fetch for a session untracked meanwhile', async () => {
    const { delivery, history, applied } = setup({ store: chain([1, 2]) });
    history.holding = true;
    delivery.track('s1');
    delivery.untrack('s1');
    history.releaseHeld();
    await settle();
    expect(applied).toEqual([]);
  });
});

describe('AppliedDelivery defect switches', () => {
  async function regressScript(defects: DefectId[]) {
    const run = setup({ defects });
    run.delivery.track('s1', 10);
    run.delivery.receive(frame(5, 4));
    await settle();
    return run;
  }

  it('client-cursor-regress: on, a late old event pulls the cursor back; off, it stays', async () => {
    const on = await regressScript(['client-cursor-regress']);
    expect(on.delivery.getCursor('s1')).toBe(5);
    expect(on.cursorLog()).toEqual([10, 5]);
    const off = await regressScript([]);
    expect(off.delivery.getCursor('s1')).toBe(10);
    expect(off.cursorLog()).toEqual([10]);
  });

  async function receiptScript(defects: DefectId[]) {
    const run = setup({ defects, store: [frame(11, 10)] });
    run.delivery.track('s1', 10);
    run.failOnce.add(11);
    run.delivery.receive(frame(11, 10));
    run.fake.advance(GAP_RESYNC_TIMEOUT_MS);
    await settle();
    return run;
  }

  it('cursor-on-receipt: on, a failed apply is never obtained again; off, resync brings it', async () => {
    const on = await receiptScript(['cursor-on-receipt']);
    expect(on.cursorLog()).toEqual([10, 11]);
    expect(on.applied).toEqual([]);
    expect(on.history.calls).toEqual([]);
    const off = await receiptScript([]);
    expect(off.cursorLog()).toEqual([10, 11]);
    expect(off.applied).toEqual([11]);
    expect(off.history.calls).toHaveLength(1);
  });

  async function gapScript(defects: DefectId[]) {
    const run = setup({ defects, store: chain([11, 12], 's1', 10) });
    run.delivery.track('s1', 10);
    run.delivery.receive(frame(12, 11));
    run.delivery.receive(frame(11, 10));
    run.fake.advance(GAP_RESYNC_TIMEOUT_MS);
    await settle();
    return run;
  }

  it('no-gap-detection: on, an early event is applied and the late one lost silently; off, both in order', async () => {
    const on = await gapScript(['no-gap-detection']);
    expect(on.applied).toEqual([12]);
    expect(on.gaps).toEqual([]);
    expect(on.delivery.getCursor('s1')).toBe(12);
    const off = await gapScript([]);
    expect(off.applied).toEqual([11, 12]);
    expect(off.gaps).toEqual([]);
  });
});

describe('AppliedDelivery under random delivery', () => {
  it('applies each event once in order, or reports it as a gap, and never moves the cursor back', async () => {
    const scenario = fc.record({
      eventCount: fc.integer({ min: 1, max: 40 }),
      order: fc.array(fc.nat(), { maxLength: 120 }),
      failApplies: fc.array(fc.nat({ max: 60 }), { maxLength: 4 }),
      fetchFails: fc.boolean(),
      skips: fc.array(fc.nat({ max: 60 }), { maxLength: 2 }),
    });
    await fc.assert(
      fc.asyncProperty(scenario, async ({ eventCount, order, failApplies, fetchFails, skips }) => {
        const seqs = range(1, eventCount).map((n) => n * 2);
        const events = chain(seqs);
        const run = setup({ store: events });
        run.delivery.track('s1'); // unknown position: catches up from history
        run.history.failing = fetchFails;
        for (const seq of failApplies) run.failOnce.add(seq);
        for (const index of order) run.delivery.receive(events[index % events.length]!);
        for (const toSeq of skips) run.delivery.skipped({ type: 'events_skipped', sessionId: 's1', fromSeq: 1, toSeq });
        await settle();
        run.history.failing = false;
        for (let round = 0; round < 6; round += 1) {
          run.fake.advance(GAP_RESYNC_TIMEOUT_MS);
          await settle();
        }
        const cursors = run.cursorLog();
        cursors.forEach((cursor, index) => expect(cursor).toBeGreaterThan(index === 0 ? 0 : cursors[index - 1]!));
        expect(new Set(run.applied).size).toBe(run.applied.length);
        const gapped = (seq: number) => run.gaps.some((gap) => gap.fromSeq <= seq && seq <= gap.toSeq);
        expect(run.applied).toEqual(seqs.filter((seq) => run.applied.includes(seq)));
        for (const seq of seqs) expect(run.applied.includes(seq) || gapped(seq)).toBe(true);
        expect(run.delivery.bufferedCount('s1')).toBe(0);
      }),
      { numRuns: 150 },
    );
  });
});
