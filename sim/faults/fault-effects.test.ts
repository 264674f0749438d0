/**
 * Each fault kind, shown doing what it claims. A fault that is counted but has no effect proves
 * nothing, so every test finds the fault in the trace and then asserts its consequence: what the
 * client saw, what the server did or did not do, and how the transport recovered. One small
 * scenario per kind (sim/testing/tiny-scenarios.ts), a high rate, fixed seeds.
 */
import { describe, expect, it } from 'vitest';
import { resolveVersion, type TransportVersion } from '../../transport/defects.ts';
import { HEARTBEAT_INTERVAL_MS, SEND_TIMEOUT_MS } from '../../transport/protocol.ts';
import type { Scenario } from '../../scenarios/scenario.ts';
import { runScenario } from '../run.ts';
import { SLOW_RESPONSE_HOLD_MS } from './request-faults.ts';
import type { RunResult } from '../run-result.ts';
import { TINY_CALM, tinyWithFaults } from '../testing/tiny-scenarios.ts';
import {
  clientMsgIdOf,
  historyOf,
  requestEvidence,
  requestsHitBy,
  sendAttempts,
  traceOf,
  type RequestEvidence,
} from '../testing/run-evidence.ts';

const FIXED = resolveVersion('fixed');
const SEND_PATH = '/api/chat/send';
/** A seed whose run shows the effect on several prompt POSTs: with another, a tiny run's few may all pass. */
const SEED_SEVERAL_HITS = 2;

async function run(scenario: Scenario, seed = 1, version: TransportVersion = FIXED): Promise<RunResult> {
  return runScenario({ scenario, seed, version });
}

/** The connection a client held just before trace index `beforeIndex`. */
function connectionOf(result: RunResult, client: string, beforeIndex: number): string {
  const welcomes = historyOf(result, 'welcome').filter((w) => w.client === client && w.index < beforeIndex);
  return welcomes.at(-1)!.connectionId;
}

function welcomesAfter(result: RunResult, client: string, afterIndex: number) {
  return historyOf(result, 'welcome').filter((w) => w.client === client && w.index > afterIndex);
}

function firstSendHit(result: RunResult, fault: string): RequestEvidence & { clientMsgId: string } {
  const hit = requestsHitBy(result, fault).find((request) => request.path === SEND_PATH);
  expect(hit, `a prompt POST hit by ${fault}`).toBeDefined();
  return { ...hit!, clientMsgId: clientMsgIdOf(hit!)! };
}

describe('server-crash', () => {
  it('takes the server down and up again; the store keeps its events; clients are welcomed anew', async () => {
    const result = await run(tinyWithFaults('crash', { timed: { 'server-crash': 6 } }));
    const [fault] = traceOf(result, 'fault.server-crash');
    const down = historyOf(result, 'server-down').find((entry) => entry.index > fault!.index)!;
    const up = historyOf(result, 'server-up').find((entry) => entry.index > down.index)!;
    expect(down.injected).toBe(true);
    expect(up.t - down.t).toBe(fault!.details.restartMs);

    const ranBeforeCrash = historyOf(result, 'agent-run').filter((entry) => entry.index < down.index);
    expect(ranBeforeCrash.length).toBeGreaterThan(0);
    const persisted = new Set(result.history.end.userMessages.map((message) => message.clientMsgId));
    for (const ran of ranBeforeCrash) expect(persisted.has(ran.clientMsgId), ran.clientMsgId).toBe(true);

    const oldIds = new Set(
      historyOf(result, 'welcome')
        .filter((w) => w.index < down.index)
        .map((w) => w.connectionId),
    );
    for (const client of ['c1', 'c2']) {
      const [again] = welcomesAfter(result, client, up.index);
      expect(again, client).toBeDefined();
      expect(oldIds.has(again!.connectionId)).toBe(false);
    }
    expect(result.verdict).toBe('passed');
  });
});

describe('stream-drop', () => {
  it('closes the stream at the client (_close) and the client reconnects with a new welcome', async () => {
    const result = await run(tinyWithFaults('drop', { timed: { 'stream-drop': 6 } }));
    const [fault] = traceOf(result, 'fault.stream-drop');
    const client = String(fault!.details.client);
    const oldId = connectionOf(result, client, fault!.index);
    const close = historyOf(result, 'signal').find(
      (s) => s.client === client && s.index > fault!.index && s.signal.type === '_close',
    );
    expect(close).toBeDefined();
    const [again] = welcomesAfter(result, client, close!.index);
    expect(again!.connectionId).not.toBe(oldId);
    expect(result.verdict).toBe('passed');
  });
});

describe('half-open', () => {
  it('leaves the client on a dead connection: its POSTs get 404 before it notices the stream is gone', async () => {
    const result = await run(tinyWithFaults('half-open', { timed: { 'half-open': 6 } }));
    const [fault] = traceOf(result, 'fault.half-open');
    const client = String(fault!.details.client);
    const staleId = connectionOf(result, client, fault!.index);
    const noticedMs = fault!.t + Number(fault!.details.noticeMs);
    const stale = sendAttempts(result).find(
      (a) => a.client === client && a.connectionId === staleId && a.sentMs >= fault!.t,
    );
    expect(stale).toBeDefined();
    expect(stale!.fault).toBeUndefined();
    expect(stale!.status).toBe(404);
    expect(stale!.answeredMs!).toBeLessThan(noticedMs);
    const clientSideClose = traceOf(result, 'net.stream-close', `net:${client}`).find(
      (e) => e.details.streamId === fault!.details.streamId && e.details.side === 'client',
    );
    expect(clientSideClose!.t).toBeGreaterThanOrEqual(noticedMs);
  });
});

describe('forget-connection', () => {
  it('makes the next POST with the forgotten id get 404 from the server', async () => {
    const result = await run(tinyWithFaults('forget', { timed: { 'forget-connection': 6 } }));
    const [fault] = traceOf(result, 'fault.forget-connection');
    const forgotten = String(fault!.details.connectionId);
    const next = sendAttempts(result).find((a) => a.connectionId === forgotten && a.sentMs >= fault!.t);
    expect(next).toBeDefined();
    expect(next!.fault).toBeUndefined();
    expect(next!.status).toBe(404);
    expect(result.verdict).toBe('passed');
  });

  it('closes the forgotten stream at the next heartbeat when the client posts nothing', async () => {
    const quiet = {
      clients: 1,
      workload: { promptsPerClient: 1, promptGapMsMin: 0, promptGapMsMax: 100 },
      phases: { chaosMs: 40_000, healMs: 40_000 },
    };
    const result = await run(tinyWithFaults('forget-quiet', { timed: { 'forget-connection': 3 } }, quiet));
    const [fault] = traceOf(result, 'fault.forget-connection');
    expect(sendAttempts(result).filter((a) => a.sentMs > fault!.t)).toEqual([]);
    const closed = traceOf(result, 'net.stream-close', 'net:c1').find(
      (e) => e.index > fault!.index && e.details.side === 'server',
    );
    expect(closed!.details.reason).toBe('server-closed');
    expect(closed!.t - fault!.t).toBeLessThanOrEqual(HEARTBEAT_INTERVAL_MS);
    expect(welcomesAfter(result, 'c1', closed!.index).length).toBeGreaterThan(0);
  });
});

describe('injected HTTP statuses', () => {
  for (const status of [404, 429, 500, 502, 503] as const) {
    it(`http-${status}: the client sees ${status} and retries the prompt`, async () => {
      const kind = `http-${status}` as const;
      const result = await run(tinyWithFaults(kind, { request: { [kind]: [3, 10] } }));
      const hit = firstSendHit(result, kind);
      expect(hit.fault).toMatchObject({ action: 'respond', status });
      expect(hit.status).toBe(status);
      const attempts = sendAttempts(result).filter((a) => a.clientMsgId === hit.clientMsgId);
      const failedAt = attempts.findIndex((a) => a.requestId === hit.requestId);
      const retry = attempts[failedAt + 1];
      expect(retry!.attempt).toBe(attempts[failedAt]!.attempt + 1);
      expect(attempts.some((a) => a.status === 202)).toBe(true);
      expect(result.verdict).toBe('passed');
    });
  }

  it('http-429: the retry comes no earlier than Retry-After said', async () => {
    const result = await run(tinyWithFaults('http-429', { request: { 'http-429': [3, 10] } }), SEED_SEVERAL_HITS);
    const hits = requestsHitBy(result, 'http-429').filter((request) => request.path === SEND_PATH);
    expect(hits.length).toBeGreaterThan(1);
    for (const hit of hits) {
      const retryAfterMs = 1000 * Number((hit.fault!.headers as Record<string, string>)['retry-after']);
      const attempts = sendAttempts(result).filter((a) => a.clientMsgId === clientMsgIdOf(hit));
      const retry = attempts[attempts.findIndex((a) => a.requestId === hit.requestId) + 1];
      expect(retry!.sentMs - hit.answeredMs!).toBeGreaterThanOrEqual(retryAfterMs);
    }
  });
});

describe('lost requests and responses', () => {
  it('request-lost: the server never sees the request; the retry is what persists the prompt', async () => {
    const result = await run(tinyWithFaults('request-lost', { request: { 'request-lost': [3, 10] } }));
    const hit = firstSendHit(result, 'request-lost');
    expect(hit.status).toBeUndefined();
    expect(hit.failedReason).toBe('dropped');
    const retry = sendAttempts(result).find((a) => a.clientMsgId === hit.clientMsgId && a.sentMs > hit.sentMs)!;
    expect(retry.status).toBe(202);
    const runs = historyOf(result, 'agent-run').filter((r) => r.clientMsgId === hit.clientMsgId);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.t).toBeGreaterThanOrEqual(retry.sentMs);
  });

  it('response-lost: the server acts, the client retries and gets the same receipt, the agent runs once', async () => {
    const result = await run(tinyWithFaults('response-lost', { request: { 'response-lost': [3, 10] } }));
    const hit = firstSendHit(result, 'response-lost');
    expect(hit.status).toBeUndefined();
    const retry = sendAttempts(result).find((a) => a.clientMsgId === hit.clientMsgId && a.sentMs > hit.sentMs)!;
    expect(retry.status).toBe(202);
    const runs = historyOf(result, 'agent-run').filter((r) => r.clientMsgId === hit.clientMsgId);
    expect(runs).toHaveLength(1);
    expect(runs[0]!.t).toBeLessThan(retry.sentMs);
    const stored = result.history.end.userMessages.filter((m) => m.clientMsgId === hit.clientMsgId);
    expect(stored).toHaveLength(1);
    const receipt = historyOf(result, 'signal').find(
      (s) => s.signal.type === '_send_accepted' && s.signal.clientMsgId === hit.clientMsgId,
    );
    expect(receipt!.signal).toMatchObject({ seq: stored[0]!.seq });
    expect(result.verdict).toBe('passed');
  });
});

describe('slow-response', () => {
  const slow = (rate: [number, number]) =>
    tinyWithFaults(
      'slow',
      { request: rate[0] > 0 ? { 'slow-response': rate } : {} },
      {
        phases: { chaosMs: 20_000, healMs: 40_000 },
      },
    );

  it('holds answers; past the send timeout the client aborts, never hears the late answer, and retries', async () => {
    const result = await run(slow([3, 10]), SEED_SEVERAL_HITS);
    const hits = requestsHitBy(result, 'slow-response').filter((hit) => hit.path === SEND_PATH);
    const late = hits.find((hit) => Number(hit.fault!.holdMs) > SEND_TIMEOUT_MS);
    const early = hits.find((hit) => Number(hit.fault!.holdMs) < SEND_TIMEOUT_MS);
    for (const hit of hits) {
      expect(hit.fault).toMatchObject({ action: 'hold-response' });
      expect(Number(hit.fault!.holdMs)).toBeGreaterThanOrEqual(SLOW_RESPONSE_HOLD_MS.min);
      expect(Number(hit.fault!.holdMs)).toBeLessThanOrEqual(SLOW_RESPONSE_HOLD_MS.max);
    }
    expect(late, 'a prompt POST held past the timeout').toBeDefined();
    expect(early, 'a prompt POST held less than the timeout').toBeDefined();

    const aborted = traceOf(result, 'net.request-aborted').map((entry) => entry.details.requestId);
    expect(aborted).toContain(late!.requestId);
    expect(late!.status).toBeUndefined();
    const clientMsgId = clientMsgIdOf(late!)!;
    const attempts = sendAttempts(result).filter((a) => a.clientMsgId === clientMsgId);
    const lateAt = attempts.findIndex((a) => a.requestId === late!.requestId);
    const outcomes = historyOf(result, 'send-outcome').filter((o) => o.clientMsgId === clientMsgId);
    expect(outcomes.map((o) => o.attempt)).not.toContain(attempts[lateAt]!.attempt);
    const retry = attempts[lateAt + 1]!;
    expect(retry.sentMs - late!.sentMs).toBeGreaterThanOrEqual(SEND_TIMEOUT_MS);
    expect(result.history.end.userMessages.filter((m) => m.clientMsgId === clientMsgId)).toHaveLength(1);
    expect(historyOf(result, 'agent-run').filter((r) => r.clientMsgId === clientMsgId)).toHaveLength(1);

    expect(early!.answeredMs! - early!.sentMs).toBeGreaterThanOrEqual(Number(early!.fault!.holdMs));
    expect(aborted).not.toContain(early!.requestId);
    expect(result.verdict).toBe('passed');
  });

  it('holds nothing when switched off: every POST is answered within a round trip and none is aborted', async () => {
    const result = await run(slow([0, 10]));
    expect(result.faultCounts['slow-response']).toBe(0);
    expect(traceOf(result, 'net.request-aborted')).toEqual([]);
    const attempts = sendAttempts(result);
    expect(attempts.length).toBeGreaterThan(0);
    const roundTripMs = 2 * TINY_CALM.network.latencyMsMax;
    for (const a of attempts) expect(a.answeredMs! - a.sentMs).toBeLessThanOrEqual(roundTripMs);
    expect(result.verdict).toBe('passed');
  });
});

describe('latency-spike', () => {
  it('makes a request take longer than the scenario latency allows', async () => {
    const scenario = tinyWithFaults('spike', { timed: { 'latency-spike': 6 } });
    const result = await run(scenario);
    const [fault] = traceOf(result, 'fault.latency-spike');
    const untilMs = fault!.t + Number(fault!.details.forMs);
    const roundTripMaxMs = 2 * scenario.network.latencyMsMax;
    const during = traceOf(result, 'net.request')
      .filter((e) => e.t >= fault!.t && e.t < untilMs && e.details.channel === 'fetch')
      .map((e) => requestEvidence(result, String(e.details.requestId)))
      .filter((request) => request.answeredMs !== undefined);
    expect(during.length).toBeGreaterThan(0);
    expect(during.some((request) => request.fault?.action === 'delay')).toBe(true);
    const durationsMs = during.map((request) => request.answeredMs! - request.sentMs);
    expect(Math.max(...durationsMs)).toBeGreaterThan(roundTripMaxMs);
  });
});

describe('write-failure', () => {
  it('fails a live frame; a sync later resends it and the client applies every event in order', async () => {
    const result = await run(tinyWithFaults('write', { request: { 'write-failure': [2, 10] } }));
    const [failed] = traceOf(result, 'server.frame.failed').filter((e) => e.details.via === 'live');
    expect(failed).toBeDefined();
    const { connectionId, sessionId, seq } = failed!.details as {
      connectionId: string;
      sessionId: string;
      seq: number;
    };
    const client = historyOf(result, 'welcome').find((w) => w.connectionId === connectionId)!.client;
    const ownIds = new Set(
      historyOf(result, 'welcome')
        .filter((w) => w.client === client)
        .map((w) => w.connectionId),
    );
    const repair = historyOf(result, 'frame-sent').find(
      (f) => f.index > failed!.index && ownIds.has(f.connectionId) && f.sessionId === sessionId && f.seq === seq,
    );
    expect(repair!.via).not.toBe('live');
    const applied = historyOf(result, 'applied').filter(
      (a) => a.client === client && a.sessionId === sessionId && !a.failed,
    );
    expect(applied.find((a) => a.seq === seq)!.index).toBeGreaterThan(repair!.index);
    expect(applied.map((a) => a.prevSessionSeq)).toEqual([0, ...applied.slice(0, -1).map((a) => a.seq)]);
    expect(result.verdict).toBe('passed');
  });
});

describe('apply-failure', () => {
  it('makes the app fail an event, which is applied later and the cursor never passes it before', async () => {
    const result = await run(tinyWithFaults('apply', { request: { 'apply-failure': [2, 10] } }));
    const failed = historyOf(result, 'applied').find((a) => a.failed)!;
    expect(failed).toBeDefined();
    const same = (a: { client: string; sessionId: string }) =>
      a.client === failed.client && a.sessionId === failed.sessionId;
    const later = historyOf(result, 'applied').find(
      (a) => same(a) && a.index > failed.index && a.seq === failed.seq && !a.failed,
    );
    expect(later).toBeDefined();
    const cursorsBetween = historyOf(result, 'cursor').filter(
      (c) => same(c) && c.index > failed.index && c.index < later!.index,
    );
    for (const cursor of cursorsBetween) expect(cursor.cursor).toBeLessThan(failed.seq);
    expect(result.verdict).toBe('passed');
  });
});

describe('interrupt-reject', () => {
  const interrupting = tinyWithFaults(
    'interrupt',
    { request: { 'interrupt-reject': [10, 10] } },
    { workload: { promptsPerClient: 6, controlChance: [5, 10] } },
  );

  it('is survived by the fixed server: the failure is logged and the process stays up', async () => {
    const result = await run(interrupting);
    const [fault] = traceOf(result, 'fault.interrupt-reject');
    expect(fault).toBeDefined();
    expect(
      traceOf(result, 'server.error').some(
        (e) => e.index > fault!.index && String(e.details.message).includes('interrupt'),
      ),
    ).toBe(true);
    expect(historyOf(result, 'server-down')).toEqual([]);
    expect(result.verdict).toBe('passed');
  });

  it('kills the server with the interrupt-unhandled defect, and the verdict names server-survives', async () => {
    const result = await run(interrupting, 1, resolveVersion('fixed', ['interrupt-unhandled']));
    const [fault] = traceOf(result, 'fault.interrupt-reject');
    const down = historyOf(result, 'server-down').find((entry) => entry.index > fault!.index)!;
    expect(down.injected).toBe(false);
    expect(result.verdict).toBe('violation');
    expect(result.violations.map((v) => v.property)).toContain('server-survives');
  });
});

describe('concurrent-welcome', () => {
  it('holds a reconnect POST while a second welcome arrives for the same client', async () => {
    // The fault is armed at random and takes effect at the client's next reconnect, which a
    // stream drop provides; it never fires in a run without reconnects.
    const result = await run(tinyWithFaults('welcome', { timed: { 'concurrent-welcome': 12, 'stream-drop': 12 } }));
    const [fault] = traceOf(result, 'fault.concurrent-welcome');
    expect(fault).toBeDefined();
    const client = String(fault!.details.client);
    const held = traceOf(result, 'net.request', `net:${client}`)
      .filter((e) => e.index < fault!.index && String(e.details.path).endsWith('/reconnect'))
      .at(-1)!;
    const heldRequest = requestEvidence(result, String(held.details.requestId));
    expect(heldRequest.fault).toMatchObject({ action: 'delay', delayMs: fault!.details.holdMs });
    const firstWelcome = connectionOf(result, client, held.index);
    const during = historyOf(result, 'welcome').filter(
      (w) => w.client === client && w.index > held.index && w.t < heldRequest.answeredMs!,
    );
    expect(during.length).toBeGreaterThan(0);
    expect(during[0]!.connectionId).not.toBe(firstWelcome);
    expect(result.verdict).toBe('passed');
  });
});

describe('page-reload', () => {
  const reloading = tinyWithFaults(
    'reload',
    { timed: { 'page-reload': 20 } },
    {
      workload: { promptsPerClient: 8, promptGapMsMin: 100, promptGapMsMax: 600 },
      network: { latencyMsMin: 100, latencyMsMax: 400 },
    },
  );

  it('keeps storage: a prompt still queued at the reload is sent after it, under the same id, once', async () => {
    const result = await run(reloading);
    const attempts = sendAttempts(result);
    const carried = historyOf(result, 'reload').flatMap((reload) =>
      historyOf(result, 'prompt')
        .filter((p) => p.client === reload.client && p.index < reload.index && p.clientMsgId !== undefined)
        .filter((p) => !attempts.some((a) => a.clientMsgId === p.clientMsgId && a.sentMs < reload.t))
        .filter((p) => attempts.some((a) => a.clientMsgId === p.clientMsgId && a.sentMs >= reload.t)),
    );
    expect(carried.length).toBeGreaterThan(0);
    for (const prompt of carried) {
      expect(result.history.end.userMessages.filter((m) => m.clientMsgId === prompt.clientMsgId)).toHaveLength(1);
    }
    expect(result.verdict).toBe('passed');
  });

  it('loses that prompt with the reload-loses-pending defect, and the verdict names no-silent-loss', async () => {
    const result = await run(reloading, 1, resolveVersion('fixed', ['reload-loses-pending']));
    expect(result.violations.map((v) => v.property)).toContain('no-silent-loss');
  });
});

describe('tab-hidden', () => {
  it('hides the page, shows it after hiddenMs, and the client is on a new connection by then', async () => {
    const chaosMs = 40_000;
    const result = await run(
      tinyWithFaults('hidden', { timed: { 'tab-hidden': 6 } }, { phases: { chaosMs, healMs: 20_000 } }),
    );
    const faults = traceOf(result, 'fault.tab-hidden').filter((e) => e.t + Number(e.details.hiddenMs) < chaosMs);
    expect(faults.length).toBeGreaterThan(1);
    const reconnectedOnShow = faults.map((fault) => {
      const client = String(fault.details.client);
      const hiddenOn = connectionOf(result, client, fault.index);
      const shown = traceOf(result, 'page.shown', client).find((e) => e.index > fault.index)!;
      expect(shown.t).toBe(fault.t + Number(fault.details.hiddenMs));
      // A user who posts while hidden learns of the dead connection earlier (a 404); either way
      // the client holds a new connection soon after the page is shown.
      const latest = historyOf(result, 'welcome')
        .filter((w) => w.client === client && w.t <= shown.t + 2000)
        .at(-1)!;
      expect(latest.connectionId).not.toBe(hiddenOn);
      return latest.index > shown.index;
    });
    expect(reconnectedOnShow).toContain(true);
    expect(result.verdict).toBe('passed');
  });
});

describe('http-400', () => {
  it('rejects a poison prompt for good: the client reports _send_failed and the prompt is never stored', async () => {
    const result = await run(tinyWithFaults('http-400', { request: { 'http-400': [2, 10] } }), 2);
    const hit = firstSendHit(result, 'http-400');
    expect(hit.status).toBe(400);
    for (const attempt of sendAttempts(result).filter((a) => a.clientMsgId === hit.clientMsgId))
      expect(attempt.status).toBe(400);
    const failed = historyOf(result, 'signal').find(
      (s) => s.signal.type === '_send_failed' && s.signal.clientMsgId === hit.clientMsgId,
    );
    expect(failed).toBeDefined();
    expect(failed!.t).toBeGreaterThanOrEqual(hit.answeredMs!);
    expect(result.history.end.userMessages.some((m) => m.clientMsgId === hit.clientMsgId)).toBe(false);
    expect(result.verdict).toBe('passed');
  });
});

describe('stale-reconnect-answer', () => {
  it('answers a reconnect only after the client moved to a new stream, and the client is not misled', async () => {
    // Armed at random, it takes effect at the client's next reconnect, which a stream drop provides.
    const result = await run(tinyWithFaults('stale', { timed: { 'stale-reconnect-answer': 12, 'stream-drop': 12 } }));
    const [fault] = traceOf(result, 'fault.stale-reconnect-answer');
    expect(fault).toBeDefined();
    const client = String(fault!.details.client);
    const held = traceOf(result, 'net.request-fault', `net:${client}`).find(
      (e) => e.index > fault!.index && e.details.action === 'hold-response',
    )!;
    const stale = requestEvidence(result, String(held.details.requestId));
    expect(stale.path).toMatch(/\/reconnect$/);
    expect(stale.status).toBe(200);
    const newer = historyOf(result, 'welcome').filter(
      (w) => w.client === client && w.index > held.index && w.t < stale.answeredMs!,
    );
    expect(newer.length).toBeGreaterThan(0);
    expect(result.history.end.clients.find((c) => c.client === client)!.connected).toBe(true);
    expect(result.verdict).toBe('passed');
  });
});

describe('client-offline', () => {
  it('drops the client streams and fails its requests while offline; what it queued meanwhile is stored after', async () => {
    const chaosMs = 20_000;
    const result = await run(
      tinyWithFaults('offline', { timed: { 'client-offline': 6 } }, { phases: { chaosMs, healMs: 60_000 } }),
    );
    const [fault] = traceOf(result, 'fault.client-offline');
    const client = String(fault!.details.client);
    const backMs = Math.min(fault!.t + Number(fault!.details.offlineMs), chaosMs);
    const dropped = traceOf(result, 'net.stream-close', `net:${client}`).find((e) => e.index > fault!.index);
    expect(dropped).toMatchObject({ t: fault!.t, details: { reason: 'dropped' } });
    const whileOffline = traceOf(result, 'net.request', `net:${client}`).filter((e) => e.t >= fault!.t && e.t < backMs);
    expect(whileOffline.length).toBeGreaterThan(0);
    for (const request of whileOffline)
      expect(requestEvidence(result, String(request.details.requestId)).fault).toMatchObject({ action: 'drop' });
    const queued = historyOf(result, 'prompt').filter(
      (p) => p.client === client && p.t >= fault!.t && p.t < backMs && p.accepted,
    );
    expect(queued.length).toBeGreaterThan(0);
    for (const prompt of queued)
      expect(result.history.end.userMessages.filter((m) => m.clientMsgId === prompt.clientMsgId)).toHaveLength(1);
    expect(welcomesAfter(result, client, fault!.index).some((w) => w.t >= backMs)).toBe(true);
    expect(result.verdict).toBe('passed');
  });
});
