/**
 * The legacy pending queue: control messages and prompts in one queue, with and without each
 * historical defect of that queue.
 */
import { describe, expect, it } from 'vitest';
import { Defects, type DefectId } from '../defects.ts';
import { OBS, PROBE } from '../observations.ts';
import { MAX_PENDING_SENDS, SEND_ATTEMPT_BUDGET, type ClientMessage, type ClientSignal } from '../protocol.ts';
import { MemoryStorage } from '../client/browser-io.ts';
import { PendingPromptStore } from '../client/pending-prompt-store.ts';
import { createFakeEnv } from '../testing/fake-env.ts';
import { FakeFetch, settle, type FakeRequest } from '../testing/fake-browser.ts';
import { HistoricalClientPolicy } from './historical-client-policy.ts';
import { LegacySendQueue } from './legacy-send-queue.ts';

const receiptFor = (request: FakeRequest, seq = 5) => ({
  status: 202,
  body: { accepted: true, clientMsgId: request.body.clientMsgId, sessionId: request.body.sessionId, seq },
});

function setup(options: { defects?: DefectId[]; storage?: MemoryStorage; open?: boolean } = {}) {
  const fake = createFakeEnv();
  const fetch = new FakeFetch();
  const storage = options.storage ?? new MemoryStorage();
  const policy = new HistoricalClientPolicy(new Defects(options.defects ?? []), 'legacy-queue');
  const signals: ClientSignal[] = [];
  const state = { connectionId: 'conn-1' as string | null, open: options.open ?? true };
  // As the client is assembled: without a storage when the version keeps prompts only in memory.
  const keptIn = policy.replaces('prompt-storage') ? undefined : storage;
  const queue = new LegacySendQueue({
    env: fake.env,
    fetch: fetch.fetch,
    baseUrl: 'http://test',
    policy,
    store: new PendingPromptStore(keptIn, 'pending', fake.env.logger),
    connectionId: () => state.connectionId,
    canFlush: () => state.open,
    emit: (signal) => signals.push(signal),
  });
  let counter = 0;
  const prompt = (text: string): ClientMessage => ({
    type: 'send',
    sessionId: 's1',
    clientMsgId: `app-${++counter}`,
    prompt: text,
  });
  const stop = (sessionId = 's1'): ClientMessage => ({ type: 'stop', sessionId });
  const permission = (requestId = 'perm-1'): ClientMessage => ({
    type: 'permission_response',
    sessionId: 's1',
    requestId,
    allow: true,
  });
  /** Opens the connection and runs the welcome flush. */
  const welcome = async (connectionId = 'conn-2') => {
    state.connectionId = connectionId;
    state.open = true;
    void queue.flushAfterWelcome();
    await settle();
  };
  return { ...fake, fetch, storage, signals, state, queue, prompt, stop, permission, welcome };
}

/** Answers every open request with a receipt (prompts) or 200 (control), in order, until none is open. */
async function answerAll(t: ReturnType<typeof setup>): Promise<string[]> {
  const answered: string[] = [];
  for (let request = t.fetch.open()[0]; request; request = t.fetch.open()[0]) {
    answered.push(request.endpoint === 'send' ? String(request.body.prompt) : request.endpoint);
    request.respond(request.endpoint === 'send' ? receiptFor(request) : { status: 200, body: { ok: true } });
    await settle();
  }
  return answered;
}

describe('LegacySendQueue: control messages', () => {
  it('posts at once when the connection is usable', () => {
    const t = setup();
    expect(t.queue.submit(t.stop())).toBe(true);
    const request = t.fetch.single('stop');
    expect(request.url).toBe('http://test/api/chat/stop');
    expect(request.connectionId).toBe('conn-1');
    expect(t.logsOf(OBS.clientControlAttempt)[0]!.data).toEqual({
      messageType: 'stop',
      attempt: 1,
      connectionId: 'conn-1',
    });
  });

  it('queues while not usable and flushes in order, one at a time, by a single flush', async () => {
    const t = setup({ open: false });
    t.queue.submit({ type: 'watch', sessionId: 'a' });
    t.queue.submit(t.stop('a'));
    t.queue.submit({ type: 'set_mode', sessionId: 'a', mode: 'plan' });
    expect(t.fetch.requests).toHaveLength(0);
    t.state.open = true;
    const first = t.queue.flush();
    const second = t.queue.flush();
    expect(second).toBe(first);
    expect(t.fetch.open()).toHaveLength(1);
    expect(await answerAll(t)).toEqual(['watch', 'stop', 'mode']);
    await first;
    expect(t.queue.pendingCount()).toBe(0);
  });

  it('emits an error signal for a failed control POST and goes on', async () => {
    const t = setup({ open: false });
    t.queue.submit(t.stop());
    t.queue.submit({ type: 'unwatch', sessionId: 's1' });
    t.state.open = true;
    void t.queue.flush();
    t.fetch.single('stop').respond({ status: 404, text: 'unknown connection' });
    await settle();
    expect(t.signals).toEqual([
      {
        type: 'error',
        message: 'stop failed: status 404: unknown connection',
        messageType: 'stop',
        status: 404,
        attempts: 1,
      },
    ]);
    t.fetch.single('unwatch').fail();
    await settle();
    expect(t.signals[1]).toMatchObject({ type: 'error', messageType: 'unwatch' });
    expect(t.signals[1]).not.toHaveProperty('status');
  });

  it('retries a permission_response with backoff and re-posts it after a reconnect', async () => {
    const t = setup();
    t.queue.submit(t.permission());
    t.fetch.single('permission').respond({ status: 503 });
    await settle();
    t.advance(999);
    expect(t.fetch.open()).toHaveLength(0);
    t.advance(1);
    t.fetch.single('permission').respond({ status: 404 });
    await settle();
    t.state.open = false;
    t.advance(60_000);
    expect(t.fetch.open()).toHaveLength(0);
    await t.welcome('conn-2');
    const third = t.fetch.single('permission');
    expect(third.connectionId).toBe('conn-2');
    expect(third.body).toEqual({ type: 'permission_response', sessionId: 's1', requestId: 'perm-1', allow: true });
    third.respond({ status: 200 });
    await settle();
    expect(t.signals).toEqual([]);
    expect(t.queue.pendingCount()).toBe(0);
  });

  it('reports a permission_response refused with 400 or past its budget', async () => {
    const t = setup();
    t.queue.submit(t.permission());
    t.fetch.single('permission').respond({ status: 400 });
    await settle();
    expect(t.signals).toEqual([
      expect.objectContaining({ type: 'error', messageType: 'permission_response', status: 400 }),
    ]);
    t.queue.submit(t.permission('perm-2'));
    for (let attempt = 1; attempt <= SEND_ATTEMPT_BUDGET; attempt += 1) {
      t.fetch.single('permission').respond({ status: 500 });
      await settle();
      t.advance(10_000);
    }
    // The app is told which answer was lost and after how many POSTs, so it can ask its user again.
    expect(t.signals[1]).toMatchObject({
      type: 'error',
      messageType: 'permission_response',
      message: expect.stringContaining('budget'),
      attempts: SEND_ATTEMPT_BUDGET,
      requestId: 'perm-2',
    });
    expect(t.signals[1]).toHaveProperty('sessionId');
  });
});

describe('LegacySendQueue: prompts without defects', () => {
  it('reports receipts, keeps order and retries a failure first, with the same clientMsgId', async () => {
    const t = setup();
    t.queue.submit(t.prompt('a'));
    t.fetch.single('send').respond({ status: 503 });
    await settle();
    t.queue.submit(t.prompt('b'));
    expect(t.fetch.open()).toHaveLength(0);
    t.advance(1000);
    expect(t.fetch.single('send').body).toEqual({ type: 'send', sessionId: 's1', clientMsgId: 'app-1', prompt: 'a' });
    expect(await answerAll(t)).toEqual(['a', 'b']);
    expect(t.signals.map((s) => s.type === '_send_accepted' && s.clientMsgId)).toEqual(['app-1', 'app-2']);
  });

  it('treats other 4xx as definitive and 429 as transient with Retry-After', async () => {
    const t = setup();
    t.queue.submit(t.prompt('poison'));
    t.fetch.single('send').respond({ status: 400 });
    await settle();
    expect(t.signals).toEqual([
      { type: '_send_failed', clientMsgId: 'app-1', sessionId: 's1', reason: 'status 400', status: 400 },
    ]);
    t.queue.submit(t.prompt('b'));
    t.fetch.single('send').respond({ status: 429, headers: { 'retry-after': '4' } });
    await settle();
    t.advance(3999);
    expect(t.fetch.open()).toHaveLength(0);
    t.advance(1);
    expect(await answerAll(t)).toEqual(['b']);
    expect(t.signals[1]).toMatchObject({ type: '_send_accepted', clientMsgId: 'app-2' });
  });

  it('times out after 15 s and reports a spent budget', async () => {
    const t = setup();
    t.queue.submit(t.prompt('a'));
    for (let attempt = 1; attempt <= SEND_ATTEMPT_BUDGET; attempt += 1) {
      expect(t.fetch.requests).toHaveLength(attempt);
      t.advance(15_000);
      await settle();
      t.advance(10_000);
    }
    expect(t.fetch.requests).toHaveLength(SEND_ATTEMPT_BUDGET);
    expect(t.signals).toEqual([
      expect.objectContaining({
        type: '_send_failed',
        clientMsgId: 'app-1',
        reason: expect.stringContaining('budget'),
      }),
    ]);
    expect(t.queue.pendingCount()).toBe(0);
  });

  it('refuses at 100 queued entries and reports a failure that cannot be re-queued', async () => {
    const t = setup();
    t.queue.submit(t.prompt('head'));
    for (let i = 0; i < MAX_PENDING_SENDS; i += 1) expect(t.queue.submit(t.stop())).toBe(true);
    expect(t.queue.submit(t.prompt('refused'))).toBe(false);
    t.fetch.single('send').respond({ status: 503 });
    await settle();
    expect(t.signals).toEqual([
      expect.objectContaining({
        type: '_send_failed',
        clientMsgId: 'app-1',
        reason: expect.stringContaining('queue full'),
      }),
    ]);
    expect(t.queue.pendingCount()).toBe(MAX_PENDING_SENDS);
  });

  it('persists pending prompts and sends them after a reload', async () => {
    const storage = new MemoryStorage();
    const first = setup({ storage, open: false });
    first.queue.submit(first.prompt('a'));
    first.queue.submit(first.stop());
    first.queue.dispose();
    const reloaded = setup({ storage, open: false });
    expect(reloaded.queue.pendingCount()).toBe(1);
    await reloaded.welcome();
    expect(await answerAll(reloaded)).toEqual(['a']);
    expect(reloaded.signals).toEqual([expect.objectContaining({ type: '_send_accepted', clientMsgId: 'app-1' })]);
    expect(storage.getItem('pending')).toBeNull();
  });
});

/** Runs the same script with a defect on and off and returns what each run observed. */
async function both<T>(
  defect: DefectId,
  script: (t: ReturnType<typeof setup>) => Promise<T> | T,
  setupOptions: { open?: boolean } = {},
) {
  const on = setup({ ...setupOptions, defects: [defect] });
  const off = setup({ ...setupOptions });
  return { on: await script(on), off: await script(off), tOn: on, tOff: off };
}

describe('LegacySendQueue defects (same script, defect on then off)', () => {
  it('send-silent-drop: a failed prompt POST is ignored', async () => {
    const { on, off } = await both('send-silent-drop', async (t) => {
      t.queue.submit(t.prompt('a'));
      t.fetch.single('send').respond({ status: 500 });
      await settle();
      t.advance(1000);
      return { signals: t.signals.length, requests: t.fetch.requests.length, pending: t.queue.pendingCount() };
    });
    expect(on).toEqual({ signals: 0, requests: 1, pending: 0 });
    expect(off).toEqual({ signals: 0, requests: 2, pending: 1 });
  });

  it('parallel-flush: every queued message is in flight at once', async () => {
    const { on, off } = await both(
      'parallel-flush',
      async (t) => {
        for (const text of ['a', 'b', 'c']) t.queue.submit(t.prompt(text));
        await t.welcome();
        return t.fetch.open().map((r) => r.body.prompt);
      },
      { open: false },
    );
    expect(on).toEqual(['a', 'b', 'c']);
    expect(off).toEqual(['a']);
  });

  it('concurrent-flush: two welcomes close together run two flushes at once', async () => {
    const { on, off } = await both(
      'concurrent-flush',
      async (t) => {
        for (const text of ['a', 'b', 'c']) t.queue.submit(t.prompt(text));
        t.state.open = true;
        void t.queue.flush();
        t.state.connectionId = 'conn-2';
        void t.queue.flush();
        await settle();
        const inFlight = t.fetch.open().length;
        return { inFlight, order: await answerAll(t) };
      },
      { open: false },
    );
    expect(on.inFlight).toBe(2);
    expect(off).toEqual({ inFlight: 1, order: ['a', 'b', 'c'] });
  });

  it('drop-oldest-at-cap: a full queue drops its oldest entry silently', async () => {
    const { on, off } = await both(
      'drop-oldest-at-cap',
      async (t) => {
        for (let i = 0; i < MAX_PENDING_SENDS; i += 1) t.queue.submit(t.prompt(`p${i}`));
        const accepted = t.queue.submit(t.prompt('late'));
        const stored = new PendingPromptStore(t.storage, 'pending', createFakeEnv().env.logger).load();
        return { accepted, first: stored[0]!.message.clientMsgId, signals: t.signals.length };
      },
      { open: false },
    );
    expect(on).toEqual({ accepted: true, first: 'app-2', signals: 0 });
    expect(off).toEqual({ accepted: false, first: 'app-1', signals: 0 });
  });

  it('reload-loses-pending: pending prompts are not persisted', async () => {
    const run = (defects: DefectId[]) => {
      const storage = new MemoryStorage();
      const first = setup({ storage, defects, open: false });
      first.queue.submit(first.prompt('a'));
      first.queue.dispose();
      return setup({ storage, defects, open: false }).queue.pendingCount();
    };
    expect(run(['reload-loses-pending'])).toBe(0);
    expect(run([])).toBe(1);
  });

  it('requeue-bypasses-cap: a failed prompt is re-queued into a full queue', async () => {
    const { on, off, tOn } = await both('requeue-bypasses-cap', async (t) => {
      t.queue.submit(t.prompt('head'));
      for (let i = 0; i < MAX_PENDING_SENDS; i += 1) t.queue.submit(t.stop());
      t.fetch.single('send').respond({ status: 503 });
      await settle();
      return { pending: t.queue.pendingCount(), failed: t.signals.filter((s) => s.type === '_send_failed').length };
    });
    expect(on).toEqual({ pending: MAX_PENDING_SENDS + 1, failed: 0 });
    expect(off).toEqual({ pending: MAX_PENDING_SENDS, failed: 1 });
    expect(Math.max(...tOn.logsOf(OBS.clientQueueLength).map((e) => Number(e.data.length)))).toBe(
      MAX_PENDING_SENDS + 1,
    );
  });

  it('retry-permanent-4xx: a 400 is retried', async () => {
    const { on, off } = await both('retry-permanent-4xx', async (t) => {
      t.queue.submit(t.prompt('poison'));
      t.fetch.single('send').respond({ status: 400 });
      await settle();
      t.advance(1000);
      return { requests: t.fetch.requests.length, signals: t.signals.map((s) => s.type) };
    });
    expect(on).toEqual({ requests: 2, signals: [] });
    expect(off).toEqual({ requests: 1, signals: ['_send_failed'] });
  });

  it('no-retry-budget: attempts never stop', async () => {
    const { on, off } = await both('no-retry-budget', async (t) => {
      t.queue.submit(t.prompt('a'));
      for (let i = 0; i < SEND_ATTEMPT_BUDGET + 4; i += 1) {
        t.fetch.open()[0]?.respond({ status: 503 });
        await settle();
        t.advance(10_000);
      }
      return { requests: t.fetch.requests.length, signals: t.signals.map((s) => s.type) };
    });
    expect(on).toEqual({ requests: SEND_ATTEMPT_BUDGET + 5, signals: [] });
    expect(off).toEqual({ requests: SEND_ATTEMPT_BUDGET, signals: ['_send_failed'] });
  });

  it('no-retry-429: a rate-limited prompt is dropped without a signal', async () => {
    const { on, off } = await both('no-retry-429', async (t) => {
      t.queue.submit(t.prompt('a'));
      t.fetch.single('send').respond({ status: 429 });
      await settle();
      t.advance(1000);
      return { requests: t.fetch.requests.length, pending: t.queue.pendingCount(), signals: t.signals.length };
    });
    expect(on).toEqual({ requests: 1, pending: 0, signals: 0 });
    expect(off).toEqual({ requests: 2, pending: 1, signals: 0 });
  });

  it('flush-while-loop: a failure is retried at once on the stale id until the budget burns, dropped', async () => {
    const { on, off } = await both('flush-while-loop', async (t) => {
      t.fetch.autoRespond = (request) => (request.connectionId === 'conn-1' ? { status: 404 } : undefined);
      t.queue.submit(t.prompt('a'));
      await settle(400);
      t.state.connectionId = 'conn-2';
      const ids = t.fetch.requests.map((r) => r.connectionId);
      return { ids, signals: t.signals.map((s) => s.type), pending: t.queue.pendingCount() };
    });
    expect(on.ids).toEqual(Array(SEND_ATTEMPT_BUDGET).fill('conn-1'));
    expect(on.signals).toEqual([]);
    expect(on.pending).toBe(0);
    expect(off.ids).toEqual(['conn-1']);
    expect(off.pending).toBe(1);
  });

  it('flush-while-loop with ambiguous-ack-duplicate: the loop re-posts under a fresh clientMsgId too', async () => {
    const script = async (t: ReturnType<typeof setup>) => {
      t.fetch.autoRespond = (request) => (request.body.clientMsgId === 'app-1' ? { status: 503 } : receiptFor(request));
      t.queue.submit(t.prompt('a'));
      await settle(100);
      return t.fetch.requests.map((r) => r.body.clientMsgId);
    };
    expect(await script(setup({ defects: ['flush-while-loop', 'ambiguous-ack-duplicate'] }))).toEqual([
      'app-1',
      'msg-1',
    ]);
    expect(await script(setup({ defects: ['flush-while-loop'] }))).toEqual(Array(SEND_ATTEMPT_BUDGET).fill('app-1'));
  });

  it('drop-after-budget-silently: past the budget only a warning is logged', async () => {
    const { on, off, tOn } = await both('drop-after-budget-silently', async (t) => {
      t.queue.submit(t.prompt('a'));
      for (let i = 0; i < SEND_ATTEMPT_BUDGET; i += 1) {
        t.fetch.single('send').respond({ status: 503 });
        await settle();
        t.advance(10_000);
      }
      return { signals: t.signals.map((s) => s.type), pending: t.queue.pendingCount() };
    });
    expect(on).toEqual({ signals: [], pending: 0 });
    expect(tOn.logs.filter((e) => e.level === 'warn' && e.event === 'client.pending.dropped')).toHaveLength(1);
    expect(off).toEqual({ signals: ['_send_failed'], pending: 0 });
  });

  it('stranded-requeue: a re-queued prompt waits for the next welcome', async () => {
    const { on, off } = await both('stranded-requeue', async (t) => {
      t.queue.submit(t.prompt('a'));
      t.fetch.single('send').respond({ status: 500 });
      await settle();
      t.advance(60_000);
      const beforeWelcome = t.fetch.requests.length;
      await t.welcome();
      return { beforeWelcome, afterWelcome: t.fetch.requests.length };
    });
    expect(on).toEqual({ beforeWelcome: 1, afterWelcome: 2 });
    expect(off).toEqual({ beforeWelcome: 2, afterWelcome: 2 });
  });

  it('ambiguous-ack-duplicate: a retry posts a fresh clientMsgId', async () => {
    const { on, off } = await both('ambiguous-ack-duplicate', async (t) => {
      t.queue.submit(t.prompt('a'));
      t.advance(15_000);
      await settle();
      t.advance(1000);
      const retry = t.fetch.requests[1]!;
      retry.respond(receiptFor(retry));
      await settle();
      return { ids: t.fetch.requests.map((r) => r.body.clientMsgId), signal: t.signals[0] };
    });
    expect(on.ids).toEqual(['app-1', 'msg-1']);
    expect(on.signal).toMatchObject({ type: '_send_accepted', clientMsgId: 'app-1' });
    expect(off.ids).toEqual(['app-1', 'app-1']);
    expect(off.signal).toMatchObject({ type: '_send_accepted', clientMsgId: 'app-1' });
  });

  it('permission-not-retried: a failed permission_response is reported once and dropped', async () => {
    const { on, off } = await both('permission-not-retried', async (t) => {
      t.queue.submit(t.permission());
      t.fetch.single('permission').respond({ status: 503 });
      await settle();
      t.advance(1000);
      return {
        requests: t.fetch.requests.length,
        pending: t.queue.pendingCount(),
        signals: t.signals.map((s) => s.type),
      };
    });
    expect(on).toEqual({ requests: 1, pending: 0, signals: ['error'] });
    expect(off).toEqual({ requests: 2, pending: 1, signals: [] });
  });
});

/** The probes a script hit, in order: the decision points a campaign reports as reached. */
const probesOf = (t: ReturnType<typeof setup>) => t.logsOf(OBS.probe).map((entry) => entry.data.name);

describe('LegacySendQueue coverage probes: the same decision points as the fixed client', () => {
  it('a definitive refusal, and a Retry-After honoured', async () => {
    const t = setup();
    t.queue.submit(t.prompt('poison'));
    t.fetch.single('send').respond({ status: 400 });
    await settle();
    expect(probesOf(t)).toEqual([PROBE.sendDefinitiveFailure]);
    t.queue.submit(t.prompt('b'));
    t.fetch.single('send').respond({ status: 429, headers: { 'retry-after': '2' } });
    await settle();
    expect(probesOf(t)).toEqual([PROBE.sendDefinitiveFailure, PROBE.retryAfterHonoured]);
  });

  it('a spent budget, with or without a defect that then mishandles it', async () => {
    for (const defects of [[], ['no-retry-budget'], ['drop-after-budget-silently']] as DefectId[][]) {
      const t = setup({ defects });
      t.queue.submit(t.prompt('a'));
      for (let i = 0; i < SEND_ATTEMPT_BUDGET - 1; i += 1) {
        t.fetch.open()[0]?.respond({ status: 503 });
        await settle();
        t.advance(10_000);
      }
      expect(probesOf(t)).toEqual([]);
      t.fetch.open()[0]?.respond({ status: 503 });
      await settle();
      expect(probesOf(t)).toEqual([PROBE.sendBudgetSpent]);
    }
  });

  it('the loop of flush-while-loop spending the budget', async () => {
    const t = setup({ defects: ['flush-while-loop'] });
    t.fetch.autoRespond = () => ({ status: 404 });
    t.queue.submit(t.prompt('a'));
    await settle(400);
    expect(probesOf(t)).toEqual([PROBE.sendBudgetSpent]);
  });

  it('the queue at its cap, on submit and on a re-queue', async () => {
    const t = setup();
    t.queue.submit(t.prompt('head'));
    for (let i = 0; i < MAX_PENDING_SENDS; i += 1) t.queue.submit(t.stop());
    expect(probesOf(t)).toEqual([]);
    t.queue.submit(t.prompt('refused'));
    t.fetch.single('send').respond({ status: 503 });
    await settle();
    expect(probesOf(t)).toEqual([PROBE.outboxAtCap, PROBE.outboxAtCap]);
  });

  it('prompts reloaded from storage', async () => {
    const storage = new MemoryStorage();
    const first = setup({ storage, open: false });
    first.queue.submit(first.prompt('a'));
    const second = setup({ storage, open: false });
    expect(probesOf(first)).toEqual([]);
    expect(probesOf(second)).toEqual([PROBE.outboxReloaded]);
  });
});
