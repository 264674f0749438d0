/**
 * The fixed client's queue of control messages: order, a single flush, error signals for failed
 * control POSTs, and retries of a lost permission_response.
 */
import { describe, expect, it } from 'vitest';
import { OBS } from '../observations.ts';
import { MAX_PENDING_SENDS, SEND_ATTEMPT_BUDGET, type ClientSignal } from '../protocol.ts';
import { createFakeEnv } from '../testing/fake-env.ts';
import { FakeFetch, settle } from '../testing/fake-browser.ts';
import { ControlQueue, type ControlMessage } from './control-queue.ts';

function setup(options: { open?: boolean } = {}) {
  const fake = createFakeEnv();
  const fetch = new FakeFetch();
  const signals: ClientSignal[] = [];
  const state = { connectionId: 'conn-1' as string | null, open: options.open ?? true };
  const queue = new ControlQueue({
    env: fake.env,
    fetch: fetch.fetch,
    baseUrl: 'http://test',
    connectionId: () => state.connectionId,
    canFlush: () => state.open,
    emit: (signal) => signals.push(signal),
  });
  const stop = (sessionId = 's1'): ControlMessage => ({ type: 'stop', sessionId });
  const permission = (requestId = 'perm-1'): ControlMessage => ({
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
  return { ...fake, fetch, signals, state, queue, stop, permission, welcome };
}

/** Answers every open request with 200, in order, until none is open. */
async function answerAll(t: ReturnType<typeof setup>): Promise<string[]> {
  const answered: string[] = [];
  for (let request = t.fetch.open()[0]; request; request = t.fetch.open()[0]) {
    answered.push(request.endpoint);
    request.respond({ status: 200, body: { ok: true } });
    await settle();
  }
  return answered;
}

describe('ControlQueue', () => {
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

  it('refuses at 100 queued messages and reports a permission_response that cannot be re-queued', async () => {
    const t = setup();
    t.queue.submit(t.permission());
    for (let i = 0; i < MAX_PENDING_SENDS; i += 1) expect(t.queue.submit(t.stop())).toBe(true);
    expect(t.queue.submit(t.stop())).toBe(false);
    t.fetch.single('permission').respond({ status: 503 });
    await settle();
    expect(t.signals).toEqual([
      expect.objectContaining({
        type: 'error',
        messageType: 'permission_response',
        message: expect.stringContaining('queue full'),
      }),
    ]);
    expect(t.queue.pendingCount()).toBe(MAX_PENDING_SENDS);
  });
});
