import { describe, expect, it } from 'vitest';
import type { HistoryEntryBody } from '../history.ts';
import { HistoryBuilder, TEST_TIMING } from '../testing/history-builder.ts';
import { checkTimeliness } from './timeliness.ts';

const HEAL_MS = 10_000;
const schedule = TEST_TIMING.retrySchedule!;
const RTT_MS = 2 * TEST_TIMING.latencyMsMax;
/** The bound of a prompt first in its client's queue, with no Retry-After asked. */
const PROMPT_BOUND_MS =
  schedule.sendTimeoutMs + schedule.maxDelayMs + 2 * (schedule.maxDelayMs + RTT_MS) + TEST_TIMING.syncIntervalMs;
const EVENT_BOUND_MS = schedule.sendTimeoutMs + schedule.maxDelayMs + 3 * TEST_TIMING.syncIntervalMs + 4 * RTT_MS;

const landed = (clientMsgId: string, attempt = 1): Extract<HistoryEntryBody, { kind: 'send-outcome' }> => ({
  kind: 'send-outcome',
  client: 'c1',
  clientMsgId,
  sessionId: 's1',
  status: 202,
  attempt,
});

/** Prompts m1 and m2 sent in the chaos phase, still pending when it heals at 10 s. */
function pendingAtHeal(): HistoryBuilder {
  const b = new HistoryBuilder();
  b.prompt('c1', 's1', 'first', { clientMsgId: 'm1' });
  b.prompt('c1', 's1', 'second', { clientMsgId: 'm2' });
  b.at(HEAL_MS, { kind: 'phase', phase: 'heal' });
  return b;
}

describe('timeliness: prompts', () => {
  it('passes prompts that land within the bound, each later one a round trip more', () => {
    const b = pendingAtHeal();
    b.at(HEAL_MS + PROMPT_BOUND_MS, landed('m1'));
    b.at(HEAL_MS + PROMPT_BOUND_MS + RTT_MS, landed('m2'));
    b.at(HEAL_MS + 100_000, { kind: 'phase', phase: 'end' });
    expect(checkTimeliness(b.build())).toEqual([]);
  });

  it('reports a prompt that lands after its bound, and one that never lands before the end', () => {
    const b = pendingAtHeal();
    const prompt = 3; // the first entry's index
    const late = b.at(HEAL_MS + PROMPT_BOUND_MS + 1, landed('m1'));
    b.at(HEAL_MS + 100_000, { kind: 'phase', phase: 'end' });
    const [first, second, ...rest] = checkTimeliness(b.build());
    expect(rest).toEqual([]);
    expect(first!.property).toBe('timeliness');
    expect(first!.message).toBe(
      `prompt "first" (m1, client c1, session s1) landed ${PROMPT_BOUND_MS + 1} ms after its client was ` +
        `healthy again, past its bound of ${PROMPT_BOUND_MS} ms`,
    );
    expect(first!.evidence).toEqual([prompt, late]);
    expect(second!.subject).toEqual({
      client: 'c1',
      sessionId: 's1',
      prompt: 'second',
      boundMs: PROMPT_BOUND_MS + RTT_MS,
    });
    expect(second!.message).toContain('had not landed 100000 ms after');
  });

  it('waits out the Retry-After last asked, a fault that outlives the heal, and judges nothing due after the end', () => {
    const b = new HistoryBuilder();
    b.prompt('c1', 's1', 'asked to wait', { clientMsgId: 'm1' });
    b.at(5000, { ...landed('m1'), status: 429, retryAfterMs: 40_000 });
    b.at(6000, { kind: 'fault', fault: 'half-open', details: { client: 'c1', noticeMs: 20_000 } });
    b.at(HEAL_MS, { kind: 'phase', phase: 'heal' });
    const healthyMs = 26_000;
    const boundMs = PROMPT_BOUND_MS - schedule.maxDelayMs + 40_000;
    b.at(healthyMs + boundMs, landed('m1', 2));
    expect(checkTimeliness(b.build())).toEqual([]);

    const unfinished = pendingAtHeal();
    unfinished.at(HEAL_MS + PROMPT_BOUND_MS, { kind: 'phase', phase: 'end' });
    expect(checkTimeliness(unfinished.build())).toEqual([]);
  });

  it('leaves prompts reported failed or refused for good to delivery', () => {
    const b = pendingAtHeal();
    b.sendOutcome('c1', 'm1', 's1', 400);
    b.sendFailed('c1', 'm2', 's1');
    b.at(HEAL_MS + 100_000, { kind: 'phase', phase: 'end' });
    expect(checkTimeliness(b.build())).toEqual([]);
  });
});

describe('timeliness: events', () => {
  /** Event 4 of s1 first reaches c2 at 2 s; c1 watches s1 and applies it at `appliedMs`. */
  function eventApplied(appliedMs: number | null, gapMs?: number): HistoryBuilder {
    const b = new HistoryBuilder();
    b.at(2000, { kind: 'frame-received', client: 'c2', stream: 'stream-1', sessionId: 's1', seq: 4 });
    b.at(HEAL_MS, { kind: 'phase', phase: 'heal' });
    if (appliedMs !== null)
      b.at(appliedMs, { kind: 'applied', client: 'c1', sessionId: 's1', seq: 4, prevSessionSeq: 0, failed: false });
    if (gapMs !== undefined) {
      b.at(gapMs, {
        kind: 'signal',
        client: 'c1',
        signal: { type: '_gap', sessionId: 's1', fromSeq: 3, toSeq: 5, reason: 'test' },
      });
    }
    b.at(HEAL_MS + 100_000, { kind: 'phase', phase: 'end' });
    b.stored('s1', [4]).client('c1', { sessions: [{ sessionId: 's1', cursor: null }] });
    return b;
  }

  it('passes an event that reaches every watcher within the bound of the heal', () => {
    expect(checkTimeliness(eventApplied(HEAL_MS + EVENT_BOUND_MS).build())).toEqual([]);
  });

  it('passes an event whose gap the client was told of in time', () => {
    expect(checkTimeliness(eventApplied(null, HEAL_MS + 1000).build())).toEqual([]);
  });

  it('reports a watcher that gets an event late or never, once per session', () => {
    const late = checkTimeliness(eventApplied(HEAL_MS + EVENT_BOUND_MS + 1).build());
    expect(late.map((v) => v.message)).toEqual([
      `event 4 of session s1 reached it at ${HEAL_MS + EVENT_BOUND_MS + 1} ms, due at ` +
        `${HEAL_MS + EVENT_BOUND_MS} ms for client c1 (1 event(s) late)`,
    ]);
    expect(late[0]!.subject).toEqual({ client: 'c1', sessionId: 's1', seq: 4, late: 1, boundMs: EVENT_BOUND_MS });
    const never = checkTimeliness(eventApplied(null).build());
    expect(never.map((v) => v.message)).toEqual([
      `event 4 of session s1 never reached it, due at ${HEAL_MS + EVENT_BOUND_MS} ms for client c1 (1 event(s) late)`,
    ]);
  });

  it('is not checked without a stated retry schedule, nor before the heal', () => {
    const b = eventApplied(null).without('retry-schedule');
    expect(checkTimeliness(b.build())).toEqual([]);
    const unhealed = new HistoryBuilder();
    unhealed.prompt('c1', 's1', 'p', { clientMsgId: 'm1' });
    unhealed.at(500_000, { kind: 'phase', phase: 'end' });
    expect(checkTimeliness(unhealed.build())).toEqual([]);
  });
});
