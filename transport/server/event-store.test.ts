import Database from 'better-sqlite3';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { SESSION_STATES, type SessionState } from '../protocol.ts';
import { createFakeEnv, type FakeEnv } from '../testing/fake-env.ts';
import { DEFAULT_SESSION_MODE, EventStore, InvalidTransitionError } from './event-store.ts';

let dir: string;
let fake: FakeEnv;
const opened: EventStore[] = [];

function openStore(name = 'events.db'): EventStore {
  const store = new EventStore({ env: fake.env, path: join(dir, name) });
  opened.push(store);
  return store;
}

/** The transition table of the spec, written out here independently of the code under test. */
const SPEC_ALLOWED: Record<SessionState, SessionState[]> = {
  CREATED: ['STARTING', 'ENDED'],
  STARTING: ['ACTIVE', 'ENDED'],
  ACTIVE: ['DETACHED', 'SUSPENDED', 'CLOSING', 'ENDED'],
  DETACHED: ['ACTIVE', 'SUSPENDED', 'CLOSING', 'ENDED'],
  SUSPENDED: ['ACTIVE', 'ENDED'],
  CLOSING: ['ENDED'],
  ENDED: ['CREATED'],
};

/** Drives a fresh session to `state` along allowed transitions only. */
const PATH_TO: Record<SessionState, SessionState[]> = {
  CREATED: [],
  STARTING: ['STARTING'],
  ACTIVE: ['STARTING', 'ACTIVE'],
  DETACHED: ['STARTING', 'ACTIVE', 'DETACHED'],
  SUSPENDED: ['STARTING', 'ACTIVE', 'SUSPENDED'],
  CLOSING: ['STARTING', 'ACTIVE', 'CLOSING'],
  ENDED: ['ENDED'],
};

function sessionIn(store: EventStore, sessionId: string, state: SessionState): void {
  store.upsertSession(sessionId);
  for (const step of PATH_TO[state]) store.setSessionState(sessionId, step);
}

beforeEach(() => {
  dir = mkdtempSync(join(tmpdir(), 'ssesim-store-'));
  fake = createFakeEnv({ startMs: 5_000 });
});

afterEach(() => {
  for (const store of opened.splice(0)) store.close();
  rmSync(dir, { recursive: true, force: true });
});

describe('EventStore events', () => {
  it('gives one global seq across sessions and chains prev_session_seq per session', () => {
    const store = openStore();
    expect(store.getGlobalHeadSeq()).toBe(0);
    expect(store.getHeadSeq('a')).toBe(0);
    const seqs = [store.append('a', 'x', { n: 1 }), store.append('b', 'x', { n: 2 }), store.append('a', 'x', { n: 3 })];
    expect(seqs).toEqual([1, 2, 3]);
    expect(store.getSessionEvents('a').map((e) => [e.seq, e.prevSessionSeq])).toEqual([
      [1, 0],
      [3, 1],
    ]);
    expect(store.getSessionEvents('b').map((e) => [e.seq, e.prevSessionSeq])).toEqual([[2, 0]]);
    expect(store.getHeadSeq('a')).toBe(3);
    expect(store.getHeadSeq('b')).toBe(2);
    expect(store.getGlobalHeadSeq()).toBe(3);
  });

  it('reads events after a seq in ascending order, with an optional limit', () => {
    const store = openStore();
    for (let i = 1; i <= 6; i += 1) store.append(i % 2 === 0 ? 'a' : 'b', 'x', { i });
    expect(store.getEventsAfter('a', 2).map((e) => e.seq)).toEqual([4, 6]);
    expect(store.getEventsAfter('a', 0, 2).map((e) => e.seq)).toEqual([2, 4]);
    expect(store.getEventsAfter('a', 6)).toEqual([]);
    expect(store.getEventsAfter('a', 0, 0)).toEqual([]);
    expect(store.countEventsAfter('a', 2)).toBe(2);
    expect(store.countEventsAfter('a', 6)).toBe(0);
  });

  it('reads one event by seq exactly as stored, the one just appended included', () => {
    const store = openStore();
    const payload = { text: 'hi', nested: { n: 1 } };
    const first = store.append('a', 'assistant_delta', payload);
    payload.nested.n = 2; // the caller's object changing later must not change the stored event
    const justAppended = store.getEvent(first);
    expect(justAppended).toEqual(store.getSessionEvents('a')[0]);
    expect(justAppended?.payload).toEqual({ text: 'hi', nested: { n: 1 } });
    const second = store.append('b', 'result', { ok: true });
    expect(store.getEvent(first)).toEqual(justAppended);
    expect(store.getEvent(second)).toEqual(store.getSessionEvents('b')[0]);
    expect(store.getEvent(99)).toBeNull();
  });

  it('stamps created_at from the injected clock and round-trips the payload', () => {
    const store = openStore();
    fake.advance(1234);
    const seq = store.append('a', 'assistant_delta', { text: 'hi', nested: [1, { ok: true }] });
    const [event] = store.getSessionEvents('a');
    expect(event).toEqual({
      seq,
      sessionId: 'a',
      type: 'assistant_delta',
      payload: { text: 'hi', nested: [1, { ok: true }] },
      prevSessionSeq: 0,
      createdAt: 6_234,
    });
  });

  it('keeps every committed event and session after close and reopen of the file', () => {
    const first = openStore();
    first.upsertSession('a', { mode: 'plan' });
    first.setSessionState('a', 'STARTING');
    first.append('a', 'x', { n: 1 });
    first.append('b', 'x', { n: 2 });
    const eventsBefore = first.getSessionEvents('a');
    const sessionBefore = first.getSession('a');
    first.close();

    const second = openStore();
    expect(second.getSessionEvents('a')).toEqual(eventsBefore);
    expect(second.getSession('a')).toEqual(sessionBefore);
    expect(second.getGlobalHeadSeq()).toBe(3);
    expect(second.append('a', 'x', { n: 3 })).toBe(4);
    expect(second.getSessionEvents('a').at(-1)?.prevSessionSeq).toBe(2);
  });

  it('keeps committed data when the writer never closes (a crashed process)', () => {
    const crashed = openStore();
    crashed.upsertSession('a');
    crashed.append('a', 'x', { n: 1 });
    const survivor = openStore();
    expect(survivor.getSessionEvents('a').map((e) => e.payload)).toEqual([{ n: 1 }]);
    expect(survivor.getSessionState('a')).toBe('CREATED');
  });

  it('never reuses a seq, also across reopen', () => {
    const first = openStore();
    first.append('a', 'x', {});
    first.append('a', 'x', {});
    first.close();
    const second = openStore();
    expect(second.append('c', 'x', {})).toBe(3);
  });

  it('uses WAL journaling on a file', () => {
    openStore().close();
    // A fresh raw connection reads the journal mode persisted in the file header.
    const raw = new Database(join(dir, 'events.db'));
    expect(raw.pragma('journal_mode', { simple: true })).toBe('wal');
    raw.close();
  });

  it('opens each in-memory store as its own empty database with the schema a file gets', () => {
    const first = new EventStore({ env: fake.env, path: ':memory:' });
    expect(first.append('a', 'x', { n: 1 })).toBe(1);
    expect(first.append('a', 'x', { n: 2 })).toBe(2);
    const second = new EventStore({ env: fake.env, path: ':memory:' });
    expect(second.append('b', 'y', {})).toBe(1);
    expect(second.getEventsAfter('a', 0)).toEqual([]);
    expect(first.getEventsAfter('a', 0).map((event) => event.payload)).toEqual([{ n: 1 }, { n: 2 }]);
    const schemaOf = (db: Database.Database) =>
      db.prepare('SELECT type, name, sql FROM sqlite_master ORDER BY name').all();
    openStore().close();
    const onFile = new Database(join(dir, 'events.db'));
    const inMemory = (second as unknown as { db: Database.Database }).db;
    expect(schemaOf(inMemory)).toEqual(schemaOf(onFile));
    onFile.close();
    first.close();
    second.close();
  });

  it('works in memory and closes twice without error', () => {
    const store = new EventStore({ env: fake.env, path: ':memory:' });
    expect(store.append('a', 'x', {})).toBe(1);
    store.close();
    expect(() => store.close()).not.toThrow();
  });
});

describe('EventStore sessions', () => {
  it('creates a session in CREATED without a state event and updates its mode', () => {
    const store = openStore();
    const created = store.upsertSession('s', { mode: 'plan' });
    expect(created).toEqual({
      sessionId: 's',
      state: 'CREATED',
      isActive: true,
      mode: 'plan',
      lastStateChange: 5_000,
      createdAt: 5_000,
      updatedAt: 5_000,
    });
    expect(store.getSessionEvents('s')).toEqual([]);
    fake.advance(10);
    expect(store.upsertSession('s')).toEqual(created);
    const changed = store.upsertSession('s', { mode: 'edit' });
    expect(changed.mode).toBe('edit');
    expect(changed.updatedAt).toBe(5_010);
    expect(store.getSession('missing')).toBeNull();
    expect(store.getSessionState('missing')).toBeNull();
  });

  it('lists sessions in creation order', () => {
    const store = openStore();
    store.upsertSession('b');
    fake.advance(1);
    store.upsertSession('a');
    expect(store.listSessions().map((s) => s.sessionId)).toEqual(['b', 'a']);
  });

  const pairs = SESSION_STATES.flatMap((from) => SESSION_STATES.map((to) => [from, to] as const));
  it.each(pairs)('transition %s -> %s is allowed only when the table says so', (from, to) => {
    const store = openStore();
    sessionIn(store, 's', from);
    const headBefore = store.getHeadSeq('s');
    const allowed = SPEC_ALLOWED[from].includes(to);
    if (allowed) {
      fake.advance(7);
      const seq = store.setSessionState('s', to, { reason: 'test' });
      expect(seq).toBe(store.getGlobalHeadSeq());
      const session = store.getSession('s');
      expect(session?.state).toBe(to);
      expect(session?.isActive).toBe(to !== 'CLOSING' && to !== 'ENDED');
      expect(session?.lastStateChange).toBe(fake.env.clock.now());
      const event = store.getSessionEvents('s').at(-1);
      expect(event).toMatchObject({ seq, type: 'session_state_changed', payload: { from, to, reason: 'test' } });
      expect(event?.prevSessionSeq).toBe(headBefore);
    } else {
      let thrown: unknown;
      try {
        store.setSessionState('s', to);
      } catch (error) {
        thrown = error;
      }
      expect(thrown).toBeInstanceOf(InvalidTransitionError);
      expect(thrown).toMatchObject({ code: 'invalid_transition', from, to, sessionId: 's' });
      expect(store.getSessionState('s')).toBe(from);
      expect(store.getHeadSeq('s')).toBe(headBefore);
    }
  });

  it('accepts an invalid transition with force and still records the event', () => {
    const store = openStore();
    sessionIn(store, 's', 'CREATED');
    const seq = store.setSessionState('s', 'ACTIVE', { force: true, reason: 'admin' });
    expect(store.getSessionState('s')).toBe('ACTIVE');
    expect(store.getSessionEvents('s').at(-1)).toMatchObject({
      seq,
      payload: { from: 'CREATED', to: 'ACTIVE', reason: 'admin' },
    });
  });

  it('refuses a state change of an unknown session unless forced, which creates it', () => {
    const store = openStore();
    expect(() => store.setSessionState('ghost', 'ACTIVE')).toThrow(InvalidTransitionError);
    expect(store.getSession('ghost')).toBeNull();
    store.setSessionState('ghost', 'ACTIVE', { force: true });
    expect(store.getSession('ghost')).toMatchObject({ state: 'ACTIVE', isActive: true });
    expect(store.getSessionEvents('ghost')[0]?.payload).toEqual({ from: null, to: 'ACTIVE' });
  });

  it('omits the reason from the event payload when none was given', () => {
    const store = openStore();
    sessionIn(store, 's', 'STARTING');
    expect(store.getSessionEvents('s')[0]?.payload).toEqual({ from: 'CREATED', to: 'STARTING' });
  });

  it('ends every session a restart orphaned, with reason server_restart, and survives reopen', () => {
    const store = openStore();
    for (const state of SESSION_STATES) sessionIn(store, `s-${state}`, state);
    expect(store.recoverStaleSessions()).toBe(5);
    for (const state of ['STARTING', 'ACTIVE', 'DETACHED', 'SUSPENDED', 'CLOSING'] as const) {
      expect(store.getSession(`s-${state}`)).toMatchObject({ state: 'ENDED', isActive: false });
      expect(store.getSessionEvents(`s-${state}`).at(-1)?.payload).toEqual({
        from: state,
        to: 'ENDED',
        reason: 'server_restart',
      });
    }
    expect(store.getSessionState('s-CREATED')).toBe('CREATED');
    expect(store.getSessionEvents('s-ENDED')).toHaveLength(1);
    expect(fake.logsOf('store.sessions.recovered')[0]?.data.count).toBe(5);
    store.close();
    const reopened = openStore();
    expect(reopened.recoverStaleSessions()).toBe(0);
  });
});

describe('EventStore.recordSend', () => {
  it('records the command and its user_message event together', () => {
    const store = openStore();
    store.append('other', 'x', {});
    const result = store.recordSend('m1', 's', { prompt: 'hello' });
    expect(result).toEqual({ kind: 'new', receipt: { accepted: true, clientMsgId: 'm1', sessionId: 's', seq: 2 } });
    expect(store.getSessionEvents('s')).toMatchObject([
      { seq: 2, type: 'user_message', payload: { clientMsgId: 'm1', prompt: 'hello' }, prevSessionSeq: 0 },
    ]);
  });

  it('returns the original receipt for a repeat, also after reopen, and appends nothing', () => {
    const first = openStore();
    const original = first.recordSend('m1', 's', { prompt: 'hello' });
    first.append('s', 'assistant_delta', { text: 'x' });
    first.close();
    const second = openStore();
    const repeat = second.recordSend('m1', 's', { prompt: 'hello' });
    expect(original).toEqual({ kind: 'new', receipt: { accepted: true, clientMsgId: 'm1', sessionId: 's', seq: 1 } });
    expect(repeat).toEqual({
      kind: 'duplicate',
      receipt: { accepted: true, clientMsgId: 'm1', sessionId: 's', seq: 1 },
    });
    expect(second.getSessionEvents('s')).toHaveLength(2);
  });

  it('reports a conflict for the same id with another prompt or session', () => {
    const store = openStore();
    store.recordSend('m1', 's', { prompt: 'hello' });
    expect(store.recordSend('m1', 's', { prompt: 'bye' })).toEqual({ kind: 'conflict', clientMsgId: 'm1' });
    expect(store.recordSend('m1', 't', { prompt: 'hello' })).toEqual({ kind: 'conflict', clientMsgId: 'm1' });
    expect(store.getGlobalHeadSeq()).toBe(1);
  });

  it('treats a prompt carrying extra fields as the same payload', () => {
    const store = openStore();
    store.recordSend('m1', 's', { prompt: 'hello' });
    const withExtra = { prompt: 'hello', extra: 1 } as { prompt: string };
    expect(store.recordSend('m1', 's', withExtra).kind).toBe('duplicate');
  });
});

describe('EventStore answers from memory', () => {
  /** A trigger added by a second connection makes the send command's insert fail after its event. */
  function failSendsWithId(clientMsgId: string): void {
    const raw = new Database(join(dir, 'events.db'));
    raw.exec(
      `CREATE TRIGGER fail_send BEFORE INSERT ON send_commands WHEN NEW.client_msg_id = '${clientMsgId}' BEGIN SELECT RAISE(ABORT, 'injected'); END`,
    );
    raw.close();
  }

  it('forgets a head seq and an event that a rolled-back transaction wrote', () => {
    const store = openStore();
    store.upsertSession('s');
    store.recordSend('m1', 's', { prompt: 'one' });
    expect(store.getHeadSeq('s')).toBe(1);
    failSendsWithId('m2');
    expect(() => store.recordSend('m2', 's', { prompt: 'two' })).toThrow(/injected/);
    expect(store.getHeadSeq('s')).toBe(1);
    expect(store.getEvent(2)).toBeNull();
    expect(store.getSessionEvents('s').map((event) => event.seq)).toEqual([1]);
    // The next event chains onto the head that survived, not onto the one rolled back.
    expect(store.recordSend('m3', 's', { prompt: 'three' })).toMatchObject({ kind: 'new', receipt: { seq: 2 } });
    expect(store.getSessionEvents('s').at(-1)?.prevSessionSeq).toBe(1);
  });

  it('shows a session row as written, frozen so no caller can change what the next one reads', () => {
    const store = openStore();
    expect(store.getSession('s')).toBeNull();
    store.upsertSession('s');
    const created = store.getSession('s');
    expect(created).toMatchObject({ state: 'CREATED', mode: DEFAULT_SESSION_MODE });
    expect(Object.isFrozen(created)).toBe(true);
    store.setSessionState('s', 'STARTING');
    expect(store.getSession('s')?.state).toBe('STARTING');
    store.upsertSession('s', { mode: 'plan' });
    expect(store.getSession('s')?.mode).toBe('plan');
    store.close();
    expect(openStore().getSession('s')).toMatchObject({ state: 'STARTING', mode: 'plan' });
  });
});
