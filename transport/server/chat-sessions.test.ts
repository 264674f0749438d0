import { afterEach, describe, expect, it } from 'vitest';
import { MAX_QUEUED_PROMPT_BYTES_PER_SESSION, MAX_QUEUED_PROMPTS_PER_SESSION, type SessionState } from '../protocol.ts';
import { RecordingTransport } from '../testing/recording-transport.ts';
import { createRoutesHarness } from '../testing/routes-harness.ts';
import { CLOSE_POLL_INTERVAL_MS } from './chat-sessions.ts';

type Harness = ReturnType<typeof createRoutesHarness>;
const harnesses: Harness[] = [];
afterEach(() => {
  for (const harness of harnesses.splice(0)) harness.store.close();
});

function setup() {
  const h = createRoutesHarness();
  harnesses.push(h);
  const watcher = new RecordingTransport();
  h.registry.register('conn-1', watcher);
  return { ...h, watcher };
}

function stateEvents(h: Harness, sessionId: string) {
  return h.store
    .getSessionEvents(sessionId)
    .filter((event) => event.type === 'session_state_changed')
    .map((event) => event.payload as { from: SessionState | null; to: SessionState; reason?: string });
}

describe('ChatSessions: a full queue', () => {
  const LIMIT = MAX_QUEUED_PROMPTS_PER_SESSION;
  const FULL_MESSAGE = `session s1 has ${LIMIT} prompts queued, the limit is ${LIMIT}`;
  it('refuses a new prompt without touching the session, and names the figures', () => {
    const h = setup();
    h.sessions.send('s1', 'm1', 'first');
    h.sessions.changeState('s1', 'DETACHED', 'no_watchers');
    h.agents.get('s1')!.queued = { count: MAX_QUEUED_PROMPTS_PER_SESSION, bytes: 100 };
    const eventsBefore = h.store.getSessionEvents('s1');
    const result = h.sessions.send('s1', 'm2', 'second');
    expect(result).toEqual({
      kind: 'queue_full',
      message: FULL_MESSAGE,
      queuedPrompts: MAX_QUEUED_PROMPTS_PER_SESSION,
      queuedBytes: 100,
      promptBytes: 6,
      limitPrompts: MAX_QUEUED_PROMPTS_PER_SESSION,
      limitBytes: MAX_QUEUED_PROMPT_BYTES_PER_SESSION,
    });
    expect(h.store.getSessionEvents('s1')).toEqual(eventsBefore);
    expect(h.store.getSessionState('s1')).toBe('DETACHED');
  });
});

describe('ChatSessions: lifecycle on send', () => {
  it('creates an unknown session and walks it CREATED -> STARTING -> ACTIVE before the prompt', () => {
    const h = setup();
    const result = h.sessions.send('s1', 'm1', 'hi');
    expect(result.kind).toBe('new');
    expect(stateEvents(h, 's1').map((change) => [change.from, change.to])).toEqual([
      ['CREATED', 'STARTING'],
      ['STARTING', 'ACTIVE'],
    ]);
    expect(h.eventTypes('s1')).toEqual(['session_state_changed', 'session_state_changed', 'user_message']);
  });

  it('revives an ENDED session through CREATED', () => {
    const h = setup();
    h.store.setSessionState('s1', 'ENDED', { force: true });
    h.sessions.send('s1', 'm1', 'hi');
    expect(h.states('s1')).toEqual(['ENDED', 'CREATED', 'STARTING', 'ACTIVE']);
  });

  it.each(['DETACHED', 'SUSPENDED'] as const)('brings a %s session straight back to ACTIVE', (state) => {
    const h = setup();
    h.store.setSessionState('s1', state, { force: true });
    h.sessions.send('s1', 'm1', 'hi');
    expect(h.states('s1')).toEqual([state, 'ACTIVE']);
  });

  it('leaves an ACTIVE session alone', () => {
    const h = setup();
    h.sessions.send('s1', 'm1', 'one');
    h.sessions.send('s1', 'm2', 'two');
    expect(h.states('s1')).toEqual(['STARTING', 'ACTIVE']);
    expect(h.agents.get('s1')?.prompts.map((prompt) => prompt.clientMsgId)).toEqual(['m1', 'm2']);
  });

  it('finishes a pending close before reviving the session', () => {
    const h = setup();
    h.sessions.send('s1', 'm1', 'hi');
    h.agents.get('s1')!.stopLeavesBusy = true;
    expect(h.sessions.close('s1')).toEqual({ kind: 'ok', state: 'CLOSING' });
    h.sessions.send('s1', 'm2', 'again');
    expect(h.states('s1').slice(2)).toEqual(['CLOSING', 'ENDED', 'CREATED', 'STARTING', 'ACTIVE']);
    h.fake.advance(CLOSE_POLL_INTERVAL_MS);
    expect(h.store.getSessionState('s1')).toBe('ACTIVE');
    expect(h.fake.pendingTimerCount()).toBe(0);
  });
});

describe('ChatSessions: publishing', () => {
  it('stores every agent event before broadcasting it to watchers', () => {
    const h = setup();
    h.registry.watch('conn-1', 's1');
    h.sessions.send('s1', 'm1', 'hi');
    h.agents.get('s1')!.emitNow('assistant_delta', { clientMsgId: 'm1', text: 'a' });
    h.agents.get('s1')!.emitNow('result', { clientMsgId: 'm1', ok: true });
    const stored = h.store.getSessionEvents('s1');
    expect(stored.map((event) => event.type).slice(-2)).toEqual(['assistant_delta', 'result']);
    expect(h.watcher.seqs('s1')).toEqual(stored.map((event) => event.seq));
    expect(h.watcher.sessionEvents('s1').at(-1)).toMatchObject({
      eventType: 'result',
      payload: { clientMsgId: 'm1', ok: true },
    });
  });

  it('lets an emit fail loudly when the store is gone, for the agent to handle', () => {
    const h = setup();
    h.sessions.send('s1', 'm1', 'hi');
    h.store.close();
    expect(() => h.agents.get('s1')!.emitNow('assistant_delta', {})).toThrow();
  });
});

describe('ChatSessions: agents', () => {
  it('creates the agent of a known session on demand, and none for an unknown one', () => {
    const h = setup();
    h.store.setSessionState('s1', 'ENDED', { force: true });
    expect(h.sessions.agentFor('s1')).toBeUndefined();
    const agent = h.sessions.agentOfKnownSession('s1');
    expect(agent).toBe(h.agents.get('s1'));
    expect(h.sessions.agentOfKnownSession('s1')).toBe(agent);
    expect(h.sessions.agentOfKnownSession('nope')).toBeUndefined();
    expect(h.agents.has('nope')).toBe(false);
  });
});

describe('ChatSessions: close, suspend, detach, dispose', () => {
  it('waits for a busy agent to go idle before ENDED', () => {
    const h = setup();
    h.sessions.send('s1', 'm1', 'hi');
    const agent = h.agents.get('s1')!;
    agent.stopLeavesBusy = true;
    h.sessions.close('s1');
    h.fake.advance(CLOSE_POLL_INTERVAL_MS * 3);
    expect(h.store.getSessionState('s1')).toBe('CLOSING');
    agent.busy = false;
    h.fake.advance(CLOSE_POLL_INTERVAL_MS);
    expect(h.store.getSessionState('s1')).toBe('ENDED');
    expect(stateEvents(h, 's1').at(-1)).toEqual({ from: 'CLOSING', to: 'ENDED', reason: 'client_close' });
    expect(h.fake.pendingTimerCount()).toBe(0);
  });

  it('treats closing an ENDED session and suspending a SUSPENDED one as done', () => {
    const h = setup();
    h.sessions.send('s1', 'm1', 'hi');
    expect(h.sessions.suspend('s1')).toEqual({ kind: 'ok', state: 'SUSPENDED' });
    const head = h.store.getHeadSeq('s1');
    expect(h.sessions.suspend('s1')).toEqual({ kind: 'ok', state: 'SUSPENDED' });
    expect(h.store.getHeadSeq('s1')).toBe(head);
    h.store.setSessionState('s1', 'ENDED');
    expect(h.sessions.close('s1')).toEqual({ kind: 'ok', state: 'ENDED' });
    expect(h.sessions.close('nope')).toEqual({ kind: 'unknown_session' });
  });

  it.each(['CREATED', 'STARTING', 'SUSPENDED'] as const)(
    'ends a %s session directly, with no CLOSING step',
    (state) => {
      const h = setup();
      h.store.setSessionState('s1', state, { force: true });
      expect(h.sessions.close('s1')).toEqual({ kind: 'ok', state: 'ENDED' });
      expect(h.states('s1')).toEqual([state, 'ENDED']);
    },
  );

  it('detaches only ACTIVE sessions that nobody watches any more', () => {
    const h = setup();
    for (const sessionId of ['watched', 'orphan', 'suspended']) h.sessions.send(sessionId, `m-${sessionId}`, 'hi');
    h.sessions.suspend('suspended');
    h.registry.watch('conn-1', 'watched');
    h.sessions.detachUnwatched(['watched', 'orphan', 'suspended', 'unknown']);
    expect(['watched', 'orphan', 'suspended'].map((id) => h.store.getSessionState(id))).toEqual([
      'ACTIVE',
      'DETACHED',
      'SUSPENDED',
    ]);
  });

  it('dispose disposes every agent, cancels close polls and stops detaching', () => {
    const h = setup();
    h.sessions.send('s1', 'm1', 'hi');
    h.sessions.send('s2', 'm2', 'hi');
    h.agents.get('s1')!.stopLeavesBusy = true;
    h.sessions.close('s1');
    h.sessions.dispose();
    expect([...h.agents.values()].every((agent) => agent.disposed)).toBe(true);
    expect(h.fake.pendingTimerCount()).toBe(0);
    expect(h.sessions.agentFor('s2')).toBeUndefined();
    h.sessions.detachUnwatched(['s2']);
    expect(h.store.getSessionState('s2')).toBe('ACTIVE');
  });
});
