import { afterEach, describe, expect, it } from 'vitest';
import type { DefectId } from '../defects.ts';
import { OBS } from '../observations.ts';
import {
  CONNECTION_HEADER,
  HISTORY_PAGE_LIMIT,
  MAX_BODY_BYTES,
  MAX_QUEUED_PROMPT_BYTES_PER_SESSION,
  MAX_QUEUED_PROMPTS_PER_SESSION,
  POST_PREFIX,
  PROMPT_QUEUE_RETRY_AFTER_S,
} from '../protocol.ts';
import { RecordingTransport } from '../testing/recording-transport.ts';
import { asBody, bodyOf, createRoutesHarness } from '../testing/routes-harness.ts';

type Harness = ReturnType<typeof createRoutesHarness>;
const harnesses: Harness[] = [];
afterEach(() => {
  for (const harness of harnesses.splice(0)) harness.store.close();
});

function setup(defects: DefectId[] = []): Harness {
  const harness = createRoutesHarness(defects);
  harnesses.push(harness);
  return harness;
}

const send = (clientMsgId: string, prompt = 'hello', sessionId = 's1') => ({
  type: 'send',
  sessionId,
  clientMsgId,
  prompt,
});

describe('routes: request boundary', () => {
  it('answers 404 for unknown paths and endpoints, 405 for a wrong method', async () => {
    const h = setup();
    expect((await h.get('/nope')).status).toBe(404);
    const { connectionId } = await h.openStream();
    expect((await h.post('nope', { type: 'send' }, connectionId)).status).toBe(404);
    const wrongMethod = asBody(await h.handle({ method: 'GET', path: `${POST_PREFIX}send`, headers: {}, body: '' }));
    expect(wrongMethod.status).toBe(405);
    expect(wrongMethod.headers.allow).toBe('POST');
    expect((await h.post('events', {}, connectionId)).status).toBe(405);
  });

  it('answers 400 without the X-Connection-ID header', async () => {
    const h = setup();
    const response = await h.post('send', send('m1'));
    expect(response.status).toBe(400);
    expect(bodyOf(response).field).toBe(CONNECTION_HEADER);
  });

  it('answers 413 for a body over MAX_BODY_BYTES before parsing it', async () => {
    const h = setup();
    const { connectionId } = await h.openStream();
    const prompt = 'x'.repeat(MAX_BODY_BYTES);
    const response = await h.post('send', send('m1', prompt), connectionId);
    expect(response.status).toBe(413);
    expect(bodyOf(response)).toMatchObject({ error: 'body_too_large', limitBytes: MAX_BODY_BYTES });
  });

  it.each([
    ['malformed JSON', 'send', '{"type":"send",', 'body'],
    ['a non-object body', 'send', '[1,2]', 'body'],
    ['a missing type', 'send', { sessionId: 's1' }, 'type'],
    ['an unknown message type', 'send', { type: 'launch_missiles', sessionId: 's1' }, 'type'],
    ['a type of another endpoint', 'send', { type: 'stop', sessionId: 's1' }, 'type'],
    ['a missing sessionId', 'stop', { type: 'stop' }, 'sessionId'],
    ['an empty prompt', 'send', send('m1', ''), 'prompt'],
    [
      'a non-boolean allow',
      'permission',
      { type: 'permission_response', sessionId: 's1', requestId: 'r', allow: 'yes' },
      'allow',
    ],
    [
      'a negative lastSeq',
      'reconnect',
      { type: 'reconnect', sessions: [{ sessionId: 's1', lastSeq: -1 }] },
      'sessions[0].lastSeq',
    ],
  ])('answers 400 naming the field for %s, and persists nothing', async (_name, endpoint, body, field) => {
    const h = setup();
    const { connectionId } = await h.openStream();
    const response = await h.post(endpoint, body, connectionId);
    expect(response.status).toBe(400);
    expect(bodyOf(response).field).toBe(field);
    expect(typeof bodyOf(response).error).toBe('string');
    expect(h.store.listSessions()).toEqual([]);
    expect(h.store.getGlobalHeadSeq()).toBe(0);
    expect(h.agents.size).toBe(0);
  });

  it('answers 404 for a connection that is not registered, before touching anything', async () => {
    const h = setup();
    for (const [endpoint, body] of [
      ['send', send('m1')],
      ['watch', { type: 'watch', sessionId: 's1' }],
      ['reconnect', { type: 'reconnect', sessions: [] }],
    ] as const) {
      const response = await h.post(endpoint, body, 'conn-404');
      expect(response.status).toBe(404);
      expect(bodyOf(response).field).toBe(CONNECTION_HEADER);
    }
    expect(h.store.listSessions()).toEqual([]);
  });

  it('answers 404 to send and interrupt when the connection has no open stream', async () => {
    const h = setup();
    const dead = new RecordingTransport();
    h.registry.register('conn-dead', dead);
    dead.close();
    expect((await h.post('send', send('m1'), 'conn-dead')).status).toBe(404);
    expect((await h.post('interrupt', { type: 'interrupt', sessionId: 's1' }, 'conn-dead')).status).toBe(404);
    expect((await h.post('watch', { type: 'watch', sessionId: 's1' }, 'conn-dead')).status).toBe(200);
    expect(h.store.getGlobalHeadSeq()).toBe(0);
  });

  it('answers 500 when handling throws, and keeps serving', async () => {
    const h = setup();
    const { connectionId } = await h.openStream();
    h.store.close();
    const response = await h.post('send', send('m1'), connectionId);
    expect(response.status).toBe(500);
    expect(bodyOf(response)).toEqual({ error: 'internal_error' });
    expect(h.fake.logsOf(OBS.serverError).at(-1)?.data.where).toBe('POST /api/chat/send');
    expect((await h.get('/nope')).status).toBe(404);
  });
});

describe('routes: send', () => {
  it('answers 202 with a receipt, activates the session, broadcasts and runs the prompt', async () => {
    const h = setup();
    const { sink, connectionId } = await h.openStream();
    await h.post('watch', { type: 'watch', sessionId: 's1' }, connectionId);
    const response = await h.post('send', send('m1', 'do it'), connectionId);
    expect(response.status).toBe(202);
    const receipt = bodyOf(response);
    const userMessage = h.store.getSessionEvents('s1').find((event) => event.type === 'user_message');
    expect(receipt).toEqual({ accepted: true, clientMsgId: 'm1', sessionId: 's1', seq: userMessage?.seq });
    expect(h.states('s1')).toEqual(['STARTING', 'ACTIVE']);
    expect(h.agents.get('s1')?.prompts).toEqual([{ clientMsgId: 'm1', prompt: 'do it' }]);
    expect(sink.sessionSeqs('s1')).toEqual(h.store.getSessionEvents('s1').map((event) => event.seq));
  });

  it('answers a repeated send with the same receipt and does not run it again', async () => {
    const h = setup();
    const { connectionId } = await h.openStream();
    const first = await h.post('send', send('m1'), connectionId);
    const headAfterFirst = h.store.getGlobalHeadSeq();
    const again = await h.post('send', send('m1'), connectionId);
    expect(again.status).toBe(202);
    expect(bodyOf(again)).toEqual(bodyOf(first));
    expect(h.store.getGlobalHeadSeq()).toBe(headAfterFirst);
    expect(h.agents.get('s1')?.prompts).toHaveLength(1);
  });

  it('answers 409 when a clientMsgId comes back with another prompt', async () => {
    const h = setup();
    const { connectionId } = await h.openStream();
    await h.post('send', send('m1', 'one'), connectionId);
    const response = await h.post('send', send('m1', 'two'), connectionId);
    expect(response.status).toBe(409);
    expect(bodyOf(response).field).toBe('clientMsgId');
    expect(h.agents.get('s1')?.prompts).toHaveLength(1);
    expect(h.eventTypes('s1').filter((type) => type === 'user_message')).toHaveLength(1);
  });
});

describe('routes: agent control', () => {
  async function withAgent(defects: DefectId[] = []) {
    const h = setup(defects);
    const { connectionId } = await h.openStream();
    await h.post('send', send('m1'), connectionId);
    return { h, connectionId, agent: h.agents.get('s1')! };
  }

  it('stop reaches the agent and answers 200', async () => {
    const { h, connectionId, agent } = await withAgent();
    expect((await h.post('stop', { type: 'stop', sessionId: 's1' }, connectionId)).status).toBe(200);
    expect(agent.stopCalls).toBe(1);
  });

  it('interrupt answers 202, reaching the agent of a known session even one this process never ran', async () => {
    const { h, connectionId, agent } = await withAgent();
    expect((await h.post('interrupt', { type: 'interrupt', sessionId: 's1' }, connectionId)).status).toBe(202);
    expect(agent.interruptCalls).toBe(1);
    h.store.setSessionState('restored', 'ENDED', { force: true });
    expect((await h.post('interrupt', { type: 'interrupt', sessionId: 'restored' }, connectionId)).status).toBe(202);
    expect(h.agents.get('restored')?.interruptCalls).toBe(1);
    expect((await h.post('interrupt', { type: 'interrupt', sessionId: 'unknown' }, connectionId)).status).toBe(202);
    expect(h.agents.has('unknown')).toBe(false);
  });

  it('a rejecting interrupt is caught and logged; the answer is still 202', async () => {
    const { h, connectionId, agent } = await withAgent();
    agent.interruptError = new Error('agent refused');
    const rejections = await captureUnhandledRejections(async () => {
      const response = await h.post('interrupt', { type: 'interrupt', sessionId: 's1' }, connectionId);
      expect(response.status).toBe(202);
    });
    expect(rejections).toEqual([]);
    expect(h.fake.logsOf(OBS.serverError).map((entry) => entry.data.message)).toContain('agent refused');
    expect((await h.post('stop', { type: 'stop', sessionId: 's1' }, connectionId)).status).toBe(200);
  });

  it('interrupt-unhandled: the same rejection escapes unhandled (switch on vs off)', async () => {
    for (const defects of [[], ['interrupt-unhandled']] as DefectId[][]) {
      const { h, connectionId, agent } = await withAgent(defects);
      agent.interruptError = new Error('agent refused');
      const rejections = await captureUnhandledRejections(async () => {
        const response = await h.post('interrupt', { type: 'interrupt', sessionId: 's1' }, connectionId);
        expect(response.status).toBe(202);
      });
      if (defects.length === 0) expect(rejections).toEqual([]);
      else expect(rejections.map((reason) => (reason as Error).message)).toEqual(['agent refused']);
    }
  });

  it('permission_response answers ok:true for a pending request and ok:false otherwise', async () => {
    const { h, connectionId, agent } = await withAgent();
    agent.pendingPermissions = ['perm-1'];
    const answer = (requestId: string) =>
      h.post('permission', { type: 'permission_response', sessionId: 's1', requestId, allow: true }, connectionId);
    const known = await answer('perm-1');
    expect([known.status, bodyOf(known).ok]).toEqual([200, true]);
    const unknown = await answer('perm-1');
    expect([unknown.status, bodyOf(unknown).ok]).toEqual([200, false]);
    expect(agent.permissionAnswers).toEqual([{ requestId: 'perm-1', allow: true }]);
  });

  it('set_mode stores the mode and announces a change once', async () => {
    const { h, connectionId } = await withAgent();
    const setMode = () => h.post('mode', { type: 'set_mode', sessionId: 's1', mode: 'plan' }, connectionId);
    expect((await setMode()).status).toBe(200);
    await setMode();
    expect(h.store.getSession('s1')?.mode).toBe('plan');
    expect(h.eventTypes('s1').filter((type) => type === 'mode_changed')).toHaveLength(1);
  });
});

describe('routes: watching and lifecycle', () => {
  it('watch, switch and unwatch drive the registry', async () => {
    const h = setup();
    const { connectionId } = await h.openStream();
    h.store.upsertSession('s1');
    h.store.append('s1', 'assistant_delta', {});
    const watched = await h.post('watch', { type: 'watch', sessionId: 's1' }, connectionId);
    expect(bodyOf(watched)).toEqual({ ok: true, cursor: 1 });
    const switched = await h.post('switch', { type: 'switch_session', sessionId: 's2', lastSeq: 0 }, connectionId);
    expect(switched.status).toBe(200);
    expect(h.registry.activeSession(connectionId)).toBe('s2');
    expect(h.registry.watchedSessions(connectionId)).toEqual(['s1', 's2']);
    expect((await h.post('unwatch', { type: 'unwatch', sessionId: 's1' }, connectionId)).status).toBe(200);
    expect(h.registry.watchedSessions(connectionId)).toEqual(['s2']);
  });

  it('suspend answers 404 for an unknown session, 409 for an invalid transition, 200 otherwise', async () => {
    const h = setup();
    const { connectionId } = await h.openStream();
    const suspend = () => h.post('suspend', { type: 'session_suspend', sessionId: 's1' }, connectionId);
    expect((await suspend()).status).toBe(404);
    h.store.upsertSession('s1');
    const invalid = await suspend();
    expect(invalid.status).toBe(409);
    expect(bodyOf(invalid)).toMatchObject({
      code: 'invalid_transition',
      field: 'sessionId',
      from: 'CREATED',
      to: 'SUSPENDED',
    });
    await h.post('send', send('m1'), connectionId);
    const suspended = await suspend();
    expect(bodyOf(suspended)).toEqual({ ok: true, state: 'SUSPENDED' });
    expect(h.store.getSessionState('s1')).toBe('SUSPENDED');
  });

  it('close stops the agent and ends the session', async () => {
    const h = setup();
    const { sink, connectionId } = await h.openStream();
    await h.post('watch', { type: 'watch', sessionId: 's1' }, connectionId);
    await h.post('send', send('m1'), connectionId);
    const closed = await h.post('close', { type: 'session_close', sessionId: 's1' }, connectionId);
    expect(bodyOf(closed)).toEqual({ ok: true, state: 'ENDED' });
    expect(h.agents.get('s1')?.stopCalls).toBe(1);
    expect(h.states('s1').slice(-2)).toEqual(['CLOSING', 'ENDED']);
    expect(sink.sessionSeqs('s1')).toEqual(h.store.getSessionEvents('s1').map((event) => event.seq));
    expect((await h.post('close', { type: 'session_close', sessionId: 'nope' }, connectionId)).status).toBe(404);
  });

  it('a session loses its last watcher when the stream closes and goes DETACHED', async () => {
    const h = setup();
    const first = await h.openStream();
    const second = await h.openStream();
    for (const { connectionId } of [first, second])
      await h.post('watch', { type: 'watch', sessionId: 's1' }, connectionId);
    await h.post('send', send('m1'), first.connectionId);
    first.sink.closeFromClient();
    expect(h.store.getSessionState('s1')).toBe('ACTIVE');
    second.sink.closeFromClient();
    expect(h.store.getSessionState('s1')).toBe('DETACHED');
    expect(h.agents.get('s1')?.stopCalls).toBe(0);
  });
});

describe('routes: reconnect', () => {
  it('replays what each session missed, then one reconnected frame, then answers 200', async () => {
    const h = setup();
    const { sink, connectionId } = await h.openStream();
    for (const sessionId of ['a', 'b']) {
      h.store.upsertSession(sessionId);
      for (let index = 0; index < 3; index += 1) h.store.append(sessionId, 'assistant_delta', { index });
    }
    const [a1] = h.store.getSessionEvents('a');
    const response = await h.post(
      'reconnect',
      {
        type: 'reconnect',
        sessions: [
          { sessionId: 'a', lastSeq: a1!.seq },
          { sessionId: 'b', lastSeq: 0 },
        ],
      },
      connectionId,
    );
    const summary = [
      { sessionId: 'a', replayed: 2 },
      { sessionId: 'b', replayed: 3 },
    ];
    expect(response.status).toBe(200);
    expect(bodyOf(response)).toEqual({ ok: true, sessions: summary });
    const frames = sink.frames().slice(1);
    expect(frames.map((frame) => frame.type)).toEqual([...Array(5).fill('session_event'), 'reconnected']);
    expect(frames.at(-1)).toEqual({ type: 'reconnected', sessions: summary });
    expect(sink.sessionSeqs('a').every((seq) => seq > a1!.seq)).toBe(true);
    expect(h.fake.logsOf(OBS.serverReconnect).map((entry) => entry.data)).toEqual([
      { connectionId, sessionId: 'a', lastSeq: a1!.seq, replayed: 2 },
      { connectionId, sessionId: 'b', lastSeq: 0, replayed: 3 },
    ]);
  });

  it.each([
    [{ type: 'reconnect' }, 'sessions'],
    [{ type: 'reconnect', sessions: [{ sessionId: 'a' }] }, 'sessions[0].lastSeq'],
    [
      {
        type: 'reconnect',
        sessions: [
          { sessionId: 'a', lastSeq: 0 },
          { sessionId: 'a', lastSeq: 1 },
        ],
      },
      'sessions[1].sessionId',
    ],
  ])('rejects a malformed reconnect with 400 naming %j', async (body, field) => {
    const h = setup();
    const { sink, connectionId } = await h.openStream();
    const response = await h.post('reconnect', body, connectionId);
    expect([response.status, bodyOf(response).field]).toEqual([400, field]);
    expect(sink.frames()).toHaveLength(1);
  });
});

describe('routes: history', () => {
  it('pages through stored events, capped at HISTORY_PAGE_LIMIT, for a connection watching the session', async () => {
    const h = setup();
    const { connectionId } = await h.openStream();
    h.store.upsertSession('s1');
    for (let index = 0; index < HISTORY_PAGE_LIMIT + 20; index += 1) h.store.append('s1', 'assistant_delta', { index });
    await h.post('watch', { type: 'watch', sessionId: 's1' }, connectionId);
    const get = (path: string) => h.get(path, connectionId);
    const response = await get(`/api/chat/history?sessionId=s1&afterSeq=5&limit=${HISTORY_PAGE_LIMIT * 2}`);
    expect(response.status).toBe(200);
    const body = bodyOf(response) as { sessionId: string; events: { seq: number; type: string }[]; headSeq: number };
    expect(body.sessionId).toBe('s1');
    expect(body.headSeq).toBe(HISTORY_PAGE_LIMIT + 20);
    expect(body.events).toHaveLength(HISTORY_PAGE_LIMIT);
    expect(body.events[0]).toMatchObject({ type: 'session_event', seq: 6, prevSessionSeq: 5, sessionId: 's1' });
    const small = bodyOf(await get('/api/chat/history?sessionId=s1&limit=2')) as { events: unknown[] };
    expect(small.events).toHaveLength(2);
    const range = bodyOf(await get('/api/chat/history?sessionId=s1&afterSeq=3&toSeq=6')) as {
      events: { seq: number }[];
    };
    expect(range.events.map((event) => event.seq)).toEqual([4, 5, 6]);
  });

  it('counts a page fetched with the connection header as delivered to that connection', async () => {
    const h = setup();
    const { sink, connectionId } = await h.openStream();
    h.store.upsertSession('s1');
    const seqs = [1, 2, 3].map((index) => h.store.append('s1', 'assistant_delta', { index }));
    await h.post('watch', { type: 'watch', sessionId: 's1', lastSeq: 0 }, connectionId);
    const response = asBody(
      await h.handle({
        method: 'GET',
        path: '/api/chat/history?sessionId=s1&afterSeq=0',
        headers: { [CONNECTION_HEADER]: connectionId },
        body: '',
      }),
    );
    expect(response.status).toBe(200);
    expect(h.registry.getCursor(connectionId, 's1')).toBe(seqs[2]);
    h.registry.tickSync();
    expect(sink.sessionSeqs('s1')).toEqual([]);
  });

  it.each([
    ['', 'sessionId'],
    ['?sessionId=s1&afterSeq=-1', 'afterSeq'],
    ['?sessionId=s1&afterSeq=abc', 'afterSeq'],
    ['?sessionId=s1&limit=0', 'limit'],
  ])('answers 400 for the query %j', async (query, field) => {
    const h = setup();
    const response = await h.get(`/api/chat/history${query}`);
    expect([response.status, bodyOf(response).field]).toEqual([400, field]);
  });
});

/**
 * Runs `action` with this file's own listener in place of the test runner's, so a rejection that
 * escapes unhandled is captured instead of failing the run, and reports what escaped.
 */
async function captureUnhandledRejections(action: () => Promise<void>): Promise<unknown[]> {
  const captured: unknown[] = [];
  const previous = process.listeners('unhandledRejection');
  const listener = (reason: unknown) => captured.push(reason);
  process.removeAllListeners('unhandledRejection');
  process.on('unhandledRejection', listener);
  try {
    await action();
    for (let turn = 0; turn < 3; turn += 1) await new Promise((resolve) => setImmediate(resolve));
  } finally {
    process.off('unhandledRejection', listener);
    for (const handler of previous) process.on('unhandledRejection', handler);
  }
  return captured;
}

describe('routes: a connection id is a capability', () => {
  /** Every id one character away from `id` in its random part, as a client probing for neighbours would try. */
  function oneCharacterAway(id: string): string[] {
    const hex = id.slice('conn-'.length);
    return [...hex].map((digit, index) => {
      const changed = ((parseInt(digit, 16) + 1) % 16).toString(16);
      return `conn-${hex.slice(0, index)}${changed}${hex.slice(index + 1)}`;
    });
  }

  /** The old scheme was `conn-<counter>`: a client subtracted one from its own id. */
  function sequentialGuesses(id: string): string[] {
    const asNumber = BigInt(`0x${id.slice('conn-'.length)}`);
    const neighbours = [asNumber - 1n, asNumber + 1n].map((n) => `conn-${n.toString(16).padStart(32, '0')}`);
    return [...neighbours, 'conn-1', 'conn-2', 'conn-1719000000000001'];
  }

  it('mints ids of 128 random bits in hex that share no pattern', async () => {
    const h = setup();
    const ids = await Promise.all(Array.from({ length: 50 }, async () => (await h.openStream()).connectionId));
    for (const id of ids) expect(id).toMatch(/^conn-[0-9a-f]{32}$/);
    expect(new Set(ids).size).toBe(ids.length);
    // Consecutive ids differ in about half their bits, not in the last digit.
    const differingDigits = (a: string, b: string) => [...a].filter((digit, index) => digit !== b[index]).length;
    for (let i = 1; i < ids.length; i++) expect(differingDigits(ids[i - 1]!, ids[i]!)).toBeGreaterThan(16);
  });

  it('refuses a client that guesses its neighbour, and the neighbour keeps everything', async () => {
    const h = setup();
    const prober = await h.openStream();
    const victim = await h.openStream();
    await h.post('watch', { type: 'watch', sessionId: 's1' }, victim.connectionId);
    const guesses = [...oneCharacterAway(prober.connectionId), ...sequentialGuesses(prober.connectionId)];
    expect(guesses).not.toContain(victim.connectionId);
    for (const guess of guesses) {
      for (const [endpoint, body] of [
        ['unwatch', { type: 'unwatch', sessionId: 's1' }],
        ['send', send(`probe-${guess}`)],
        ['close', { type: 'session_close', sessionId: 's1' }],
        ['reconnect', { type: 'reconnect', sessions: [{ sessionId: 's1', lastSeq: 0 }] }],
      ] as const) {
        const response = await h.post(endpoint, body, guess);
        expect([response.status, bodyOf(response).error]).toEqual([404, 'unknown connection']);
      }
    }
    expect(h.registry.watchedSessions(victim.connectionId)).toEqual(['s1']);
    expect(h.store.getSessionEvents('s1')).toEqual([]);
    expect(victim.sink.frames().map((frame) => frame.type)).toEqual(['welcome']);
  });
});

describe('routes: history needs a connection watching the session', () => {
  const historyPath = '/api/chat/history?sessionId=s1&afterSeq=0';

  async function withHistory() {
    const h = setup();
    h.store.upsertSession('s1');
    for (let index = 0; index < 3; index += 1) h.store.append('s1', 'assistant_delta', { index });
    const watcher = await h.openStream();
    await h.post('watch', { type: 'watch', sessionId: 's1', lastSeq: 0 }, watcher.connectionId);
    return { h, watcher };
  }

  it('answers a watching connection', async () => {
    const { h, watcher } = await withHistory();
    const response = await h.get(historyPath, watcher.connectionId);
    expect(response.status).toBe(200);
    expect((bodyOf(response).events as unknown[]).length).toBe(3);
  });

  it('answers 404 as for an unknown connection: no header, unknown id, guessed id, not watching', async () => {
    const { h, watcher } = await withHistory();
    const bystander = await h.openStream();
    const unknown = await h.post('watch', { type: 'watch', sessionId: 's1' }, 'conn-0');
    const refusals = [
      await h.get(historyPath),
      await h.get(historyPath, 'conn-0'),
      await h.get(historyPath, `${watcher.connectionId.slice(0, -1)}x`),
      await h.get(historyPath, bystander.connectionId),
    ];
    for (const response of refusals) {
      expect(response.status).toBe(404);
      const { connectionId: _echo, ...rest } = bodyOf(response);
      const { connectionId: _unknownEcho, ...unknownRest } = bodyOf(unknown);
      expect(rest).toEqual(unknownRest);
      expect(response.body).not.toContain('"events"');
    }
  });

  it('stops answering once the connection unwatches the session or its stream closes', async () => {
    const { h, watcher } = await withHistory();
    await h.post('unwatch', { type: 'unwatch', sessionId: 's1' }, watcher.connectionId);
    expect((await h.get(historyPath, watcher.connectionId)).status).toBe(404);
    await h.post('watch', { type: 'watch', sessionId: 's1' }, watcher.connectionId);
    expect((await h.get(historyPath, watcher.connectionId)).status).toBe(200);
    watcher.sink.closeFromClient();
    expect((await h.get(historyPath, watcher.connectionId)).status).toBe(404);
  });
});

describe('routes: a session queue is bounded', () => {
  const LIMIT = MAX_QUEUED_PROMPTS_PER_SESSION;
  const FULL_MESSAGE = `session s1 has ${LIMIT} prompts queued, the limit is ${LIMIT}`;
  async function withQueue(queued: { count: number; bytes: number }) {
    const h = setup();
    const { connectionId } = await h.openStream();
    expect((await h.post('send', send('m0'), connectionId)).status).toBe(202);
    h.agents.get('s1')!.queued = queued;
    return { h, connectionId };
  }

  it(`answers 429 with Retry-After at ${LIMIT} queued prompts, recording nothing`, async () => {
    const { h, connectionId } = await withQueue({ count: MAX_QUEUED_PROMPTS_PER_SESSION, bytes: 1000 });
    const eventsBefore = h.store.getSessionEvents('s1').length;
    const response = await h.post('send', send('m1', 'one more'), connectionId);
    expect(response.status).toBe(429);
    expect(response.headers['retry-after']).toBe(String(PROMPT_QUEUE_RETRY_AFTER_S));
    expect(bodyOf(response)).toMatchObject({
      error: FULL_MESSAGE,
      sessionId: 's1',
      queuedPrompts: MAX_QUEUED_PROMPTS_PER_SESSION,
      limitPrompts: MAX_QUEUED_PROMPTS_PER_SESSION,
    });
    expect(h.store.getSessionEvents('s1')).toHaveLength(eventsBefore);
    expect(h.store.hasSend('m1')).toBe(false);
    expect(h.agents.get('s1')!.prompts.map((prompt) => prompt.clientMsgId)).toEqual(['m0']);
  });

  it('takes the same clientMsgId as a fresh prompt once the queue has room', async () => {
    const { h, connectionId } = await withQueue({ count: MAX_QUEUED_PROMPTS_PER_SESSION, bytes: 1000 });
    expect((await h.post('send', send('m1'), connectionId)).status).toBe(429);
    h.agents.get('s1')!.queued = { count: MAX_QUEUED_PROMPTS_PER_SESSION - 1, bytes: 1000 };
    const retried = await h.post('send', send('m1'), connectionId);
    expect(retried.status).toBe(202);
    expect(bodyOf(retried)).toMatchObject({ accepted: true, clientMsgId: 'm1' });
    expect(h.agents.get('s1')!.prompts.map((prompt) => prompt.clientMsgId)).toEqual(['m0', 'm1']);
  });

  it('still answers a prompt it already recorded with its receipt while the queue is full', async () => {
    const { h, connectionId } = await withQueue({ count: 0, bytes: 0 });
    const first = await h.post('send', send('m1'), connectionId);
    h.agents.get('s1')!.queued = { count: MAX_QUEUED_PROMPTS_PER_SESSION, bytes: 1000 };
    const again = await h.post('send', send('m1'), connectionId);
    expect([again.status, bodyOf(again)]).toEqual([202, bodyOf(first)]);
  });

  it(`answers 429 when the prompt would take the queue past ${MAX_QUEUED_PROMPT_BYTES_PER_SESSION} bytes`, async () => {
    const room = 10;
    const { h, connectionId } = await withQueue({ count: 1, bytes: MAX_QUEUED_PROMPT_BYTES_PER_SESSION - room });
    const tooBig = await h.post('send', send('m1', 'x'.repeat(room + 1)), connectionId);
    expect(tooBig.status).toBe(429);
    expect(bodyOf(tooBig)).toMatchObject({
      queuedBytes: MAX_QUEUED_PROMPT_BYTES_PER_SESSION - room,
      promptBytes: room + 1,
      limitBytes: MAX_QUEUED_PROMPT_BYTES_PER_SESSION,
    });
    expect(String(bodyOf(tooBig).error)).toContain(`the limit is ${MAX_QUEUED_PROMPT_BYTES_PER_SESSION}`);
    expect((await h.post('send', send('m2', 'x'.repeat(room)), connectionId)).status).toBe(202);
  });
});
