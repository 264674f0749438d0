/**
 * The SendOutbox: order, receipts, retries with backoff, the attempt budget and storage across
 * reloads; and, through the historical parts, the queue defects that touch it.
 */
import { describe, expect, it } from 'vitest';
import { Defects, type DefectId } from '../defects.ts';
import { HistoricalClientPolicy } from '../legacy/historical-client-policy.ts';
import { HistoricalSendOutbox } from '../legacy/historical-send-outbox.ts';
import { OBS } from '../observations.ts';
import { MAX_PENDING_SENDS, SEND_ATTEMPT_BUDGET, type ClientSignal, type SendMessage } from '../protocol.ts';
import { MemoryStorage } from './browser-io.ts';
import { createFakeEnv } from '../testing/fake-env.ts';
import { FakeFetch, settle } from '../testing/fake-browser.ts';
import { PendingPromptStore } from './pending-prompt-store.ts';
import { SendOutbox } from './send-outbox.ts';

const receipt = (message: Record<string, unknown>, seq = 7) => ({
  status: 202,
  body: { accepted: true, clientMsgId: message.clientMsgId, sessionId: message.sessionId, seq },
});

function setup(options: { defects?: DefectId[]; storage?: MemoryStorage; connectionId?: string | null } = {}) {
  const fake = createFakeEnv();
  const fetch = new FakeFetch();
  const storage = options.storage ?? new MemoryStorage();
  const signals: ClientSignal[] = [];
  const state = { connectionId: options.connectionId === undefined ? 'conn-1' : options.connectionId };
  // As the client is assembled from a version: historical parts only where its defects touch them.
  const policy = new HistoricalClientPolicy(new Defects(options.defects ?? []), 'outbox');
  const keptIn = policy.replaces('prompt-storage') ? undefined : storage;
  const outboxOptions = {
    env: fake.env,
    fetch: fetch.fetch,
    baseUrl: 'http://test',
    store: new PendingPromptStore(keptIn, 'outbox', fake.env.logger),
    connectionId: () => state.connectionId,
    emit: (signal: ClientSignal) => signals.push(signal),
  };
  const outbox = policy.replaces('outbox')
    ? new HistoricalSendOutbox(outboxOptions, policy)
    : new SendOutbox(outboxOptions);
  let counter = 0;
  const prompt = (text: string, sessionId = 's1'): SendMessage => ({
    type: 'send',
    sessionId,
    clientMsgId: `msg-${++counter}`,
    prompt: text,
  });
  return { ...fake, fetch, storage, signals, state, outbox, prompt };
}

/** The prompts a storage holds under `key`, as a reloaded page reads them. */
function stored(storage: MemoryStorage, key = 'outbox') {
  return new PendingPromptStore(storage, key, createFakeEnv().env.logger).load();
}

/** A storage that counts what is written to it. */
class CountingStorage extends MemoryStorage {
  readonly writes: [string, string][] = [];
  override setItem(key: string, value: string): void {
    this.writes.push([key, value]);
    super.setItem(key, value);
  }
}

describe('SendOutbox', () => {
  it('sends first in, first out with one request in flight and reports each receipt', async () => {
    const t = setup();
    expect(t.outbox.enqueue(t.prompt('a'))).toBe(true);
    t.outbox.enqueue(t.prompt('b'));
    t.outbox.enqueue(t.prompt('c'));
    expect(t.fetch.requests).toHaveLength(1);
    expect(t.outbox.inFlightCount()).toBe(1);
    for (const expected of ['a', 'b', 'c']) {
      const request = t.fetch.single('send');
      expect(request.body.prompt).toBe(expected);
      expect(request.connectionId).toBe('conn-1');
      expect(request.init.headers['content-type']).toBe('application/json');
      request.respond(receipt(request.body));
      await settle();
    }
    expect(t.signals.map((s) => s.type === '_send_accepted' && s.clientMsgId)).toEqual(['msg-1', 'msg-2', 'msg-3']);
    expect(t.outbox.pendingCount()).toBe(0);
    expect(t.logsOf(OBS.clientSendAttempt).map((e) => e.data.attempt)).toEqual([1, 1, 1]);
    expect(t.logsOf(OBS.clientQueueLength).map((e) => e.data.length)).toEqual([1, 2, 3, 2, 1, 0]);
  });

  it('retries the identical body with backoff 1, 2, 4, 8, then 10 s and fails after the budget', async () => {
    const t = setup();
    t.outbox.enqueue(t.prompt('a'));
    for (let attempt = 1; attempt <= SEND_ATTEMPT_BUDGET; attempt += 1) {
      const request = t.fetch.single('send');
      expect(request.body).toEqual({ type: 'send', sessionId: 's1', clientMsgId: 'msg-1', prompt: 'a' });
      request.respond({ status: 503 });
      await settle();
      t.advance(10_000);
    }
    expect(t.logsOf('client.send.retry_scheduled').map((e) => e.data.delayMs)).toEqual([
      1000, 2000, 4000, 8000, 10_000, 10_000, 10_000,
    ]);
    expect(t.signals).toEqual([
      expect.objectContaining({
        type: '_send_failed',
        clientMsgId: 'msg-1',
        status: 503,
        reason: expect.stringContaining('budget'),
      }),
    ]);
    expect(t.fetch.requests).toHaveLength(SEND_ATTEMPT_BUDGET);
  });

  it('waits exactly the backoff before each retry', async () => {
    const t = setup();
    t.outbox.enqueue(t.prompt('a'));
    for (const delayMs of [1000, 2000, 4000, 8000, 10_000]) {
      t.fetch.single('send').fail();
      await settle();
      t.advance(delayMs - 1);
      expect(t.fetch.open()).toHaveLength(0);
      t.advance(1);
      expect(t.fetch.open()).toHaveLength(1);
    }
  });

  it('honours Retry-After on 429 and 503', async () => {
    const t = setup();
    t.outbox.enqueue(t.prompt('a'));
    t.fetch.single('send').respond({ status: 429, headers: { 'Retry-After': '5' } });
    await settle();
    t.advance(4999);
    expect(t.fetch.open()).toHaveLength(0);
    t.advance(1);
    t.fetch.single('send').respond({ status: 503, headers: { 'retry-after': '3' } });
    await settle();
    t.advance(2999);
    expect(t.fetch.open()).toHaveLength(0);
    t.advance(1);
    const third = t.fetch.single('send');
    third.respond(receipt(third.body));
    await settle();
    expect(t.signals.map((s) => s.type)).toEqual(['_send_accepted']);
  });

  it('treats other 4xx as definitive and goes on with the next prompt', async () => {
    const t = setup();
    t.outbox.enqueue(t.prompt('poison'));
    t.outbox.enqueue(t.prompt('b'));
    t.fetch.single('send').respond({ status: 400, text: 'prompt: must be a string' });
    await settle();
    expect(t.signals[0]).toEqual({
      type: '_send_failed',
      clientMsgId: 'msg-1',
      sessionId: 's1',
      status: 400,
      reason: 'status 400: prompt: must be a string',
    });
    const next = t.fetch.single('send');
    expect(next.body.prompt).toBe('b');
    expect(t.fetch.requests).toHaveLength(2);
  });

  it('counts a missing answer after 15 s as transient, aborts its fetch and ignores the late answer', async () => {
    const t = setup();
    t.outbox.enqueue(t.prompt('a'));
    const first = t.fetch.single('send');
    t.advance(14_999);
    expect(t.fetch.requests).toHaveLength(1);
    expect(first.init.signal?.aborted).toBe(false);
    t.advance(1);
    expect(first.init.signal?.aborted).toBe(true);
    await settle();
    t.advance(1000);
    expect(t.fetch.requests).toHaveLength(2);
    first.respond(receipt(first.body, 3));
    await settle();
    expect(t.signals).toEqual([]);
    const second = t.fetch.requests[1]!;
    second.respond(receipt(second.body, 3));
    await settle();
    expect(t.signals).toEqual([{ type: '_send_accepted', clientMsgId: 'msg-1', sessionId: 's1', seq: 3 }]);
  });

  it('retries a 2xx whose receipt does not match and network errors', async () => {
    const t = setup();
    t.outbox.enqueue(t.prompt('a'));
    t.fetch.single('send').respond({ status: 202, body: { accepted: true, clientMsgId: 'other', seq: 1 } });
    await settle();
    t.advance(1000);
    t.fetch.single('send').fail('socket hang up');
    await settle();
    t.advance(2000);
    const third = t.fetch.single('send');
    third.respond(receipt(third.body));
    await settle();
    expect(t.signals.map((s) => s.type)).toEqual(['_send_accepted']);
    expect(t.fetch.requests).toHaveLength(3);
  });

  it('waits while there is no connection id and uses the current one at each attempt', async () => {
    const t = setup({ connectionId: null });
    t.outbox.enqueue(t.prompt('a'));
    t.advance(60_000);
    expect(t.fetch.requests).toHaveLength(0);
    t.state.connectionId = 'conn-1';
    t.outbox.resume();
    t.fetch.single('send').respond({ status: 404 });
    await settle();
    t.state.connectionId = 'conn-2';
    t.advance(1000);
    expect(t.fetch.single('send').connectionId).toBe('conn-2');
  });

  it('refuses at 100 pending prompts and never evicts one', () => {
    const t = setup({ connectionId: null });
    for (let i = 0; i < MAX_PENDING_SENDS; i += 1) expect(t.outbox.enqueue(t.prompt(`p${i}`))).toBe(true);
    expect(t.outbox.enqueue(t.prompt('one too many'))).toBe(false);
    expect(t.outbox.pendingCount()).toBe(MAX_PENDING_SENDS);
    expect(t.signals).toEqual([]);
  });

  it('keeps pending prompts across a reload and sends them with the same ids', async () => {
    const storage = new MemoryStorage();
    const first = setup({ storage, connectionId: null });
    first.outbox.enqueue(first.prompt('a'));
    first.outbox.enqueue(first.prompt('b'));
    first.outbox.dispose();
    const reloaded = setup({ storage });
    expect(reloaded.outbox.pendingCount()).toBe(2);
    reloaded.outbox.resume();
    const request = reloaded.fetch.single('send');
    expect(request.body).toEqual({ type: 'send', sessionId: 's1', clientMsgId: 'msg-1', prompt: 'a' });
    request.respond(receipt(request.body));
    await settle();
    expect(reloaded.fetch.single('send').body.clientMsgId).toBe('msg-2');
    expect(stored(storage)).toHaveLength(1);
  });

  it('writes the text of each prompt once; a change rewrites only the index', async () => {
    const storage = new CountingStorage();
    const t = setup({ storage });
    for (const text of ['alpha', 'beta', 'gamma']) t.outbox.enqueue(t.prompt(text));
    for (let i = 0; i < 3; i++) {
      const request = t.fetch.single('send');
      request.respond(receipt(request.body));
      await settle();
    }
    expect(t.signals.map((signal) => signal.type)).toEqual(['_send_accepted', '_send_accepted', '_send_accepted']);
    for (const text of ['alpha', 'beta', 'gamma'])
      expect(storage.writes.filter(([, value]) => value.includes(text))).toHaveLength(1);
    expect(storage.writes.filter(([key]) => key !== 'outbox').map(([key]) => key)).toEqual([
      'outbox/0',
      'outbox/1',
      'outbox/2',
    ]);
    expect(storage.getItem('outbox')).toBeNull();
    expect(['outbox/0', 'outbox/1', 'outbox/2'].map((key) => storage.getItem(key))).toEqual([null, null, null]);
  });

  it('keeps attempts and order across a reload, and drops an index entry whose message is gone', () => {
    const storage = new MemoryStorage();
    const first = setup({ storage });
    first.outbox.enqueue(first.prompt('a'));
    first.outbox.enqueue(first.prompt('b'));
    first.outbox.enqueue(first.prompt('c'));
    first.outbox.dispose();
    expect(stored(storage).map((prompt) => [prompt.message.prompt, prompt.attempts])).toEqual([
      ['a', 1],
      ['b', 0],
      ['c', 0],
    ]);
    storage.removeItem('outbox/1');
    const reloaded = setup({ storage, connectionId: null });
    expect(reloaded.outbox.pendingCount()).toBe(2);
    expect(reloaded.logsOf('client.store.dropped')).toHaveLength(1);
    reloaded.outbox.enqueue(reloaded.prompt('d'));
    expect(stored(storage).map((prompt) => prompt.message.prompt)).toEqual(['a', 'c', 'd']);
    expect(storage.getItem('outbox/3')).toContain('"prompt":"d"');
  });

  it('reports a reloaded prompt whose budget is spent instead of attempting it again', () => {
    const storage = new MemoryStorage();
    const message = { type: 'send', sessionId: 's1', clientMsgId: 'msg-9', prompt: 'x' };
    storage.setItem('outbox', JSON.stringify([{ message, attempts: SEND_ATTEMPT_BUDGET }, { junk: true }]));
    const t = setup({ storage });
    t.outbox.resume();
    expect(t.signals).toEqual([expect.objectContaining({ type: '_send_failed', clientMsgId: 'msg-9' })]);
    expect(t.fetch.requests).toHaveLength(0);
    expect(t.logsOf('client.store.dropped')).toHaveLength(1);
  });

  it('never throws on unreadable storage', () => {
    const storage = new MemoryStorage();
    storage.setItem('outbox', '{not json');
    const t = setup({ storage });
    expect(t.outbox.pendingCount()).toBe(0);
  });
});

describe('SendOutbox defects', () => {
  async function threeQueuedThenConnect(defects: DefectId[]) {
    const t = setup({ defects, connectionId: null });
    for (const text of ['a', 'b', 'c']) t.outbox.enqueue(t.prompt(text));
    t.state.connectionId = 'conn-1';
    t.outbox.resume();
    await settle();
    return t;
  }

  it('parallel-flush: on, every queued prompt is in flight at once; off, one', async () => {
    const on = await threeQueuedThenConnect(['parallel-flush']);
    expect(on.fetch.open().map((r) => r.body.prompt)).toEqual(['a', 'b', 'c']);
    const off = await threeQueuedThenConnect([]);
    expect(off.fetch.open().map((r) => r.body.prompt)).toEqual(['a']);
  });

  function fillAndOverflow(defects: DefectId[]) {
    const t = setup({ defects, connectionId: null });
    for (let i = 0; i < MAX_PENDING_SENDS; i += 1) t.outbox.enqueue(t.prompt(`p${i}`));
    const accepted = t.outbox.enqueue(t.prompt('late'));
    return { t, accepted };
  }

  it('drop-oldest-at-cap: on, a full outbox silently drops its oldest; off, it refuses the new one', () => {
    const on = fillAndOverflow(['drop-oldest-at-cap']);
    expect(on.accepted).toBe(true);
    expect(stored(on.t.storage).map((s) => s.message.clientMsgId)).not.toContain('msg-1');
    expect(on.t.signals).toEqual([]);
    const off = fillAndOverflow([]);
    expect(off.accepted).toBe(false);
    expect(stored(off.t.storage)[0]).toMatchObject({ message: { clientMsgId: 'msg-1' } });
  });

  function reloadWithTwoPending(defects: DefectId[]) {
    const storage = new MemoryStorage();
    const first = setup({ defects, storage, connectionId: null });
    first.outbox.enqueue(first.prompt('a'));
    first.outbox.enqueue(first.prompt('b'));
    first.outbox.dispose();
    return setup({ defects, storage }).outbox.pendingCount();
  }

  it('reload-loses-pending: on, a reload forgets pending prompts; off, it keeps them', () => {
    expect(reloadWithTwoPending(['reload-loses-pending'])).toBe(0);
    expect(reloadWithTwoPending([])).toBe(2);
  });
});
