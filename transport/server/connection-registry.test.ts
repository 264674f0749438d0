import { afterEach, describe, expect, it } from 'vitest';
import { Defects, type DefectId } from '../defects.ts';
import { OBS } from '../observations.ts';
import {
  RECONNECT_REPLAY_LIMIT,
  SYNC_BATCH_LIMIT,
  SYNC_INTERVAL_MS,
  SYNC_SKIP_BACKLOG,
  type SessionState,
} from '../protocol.ts';
import { createFakeEnv } from '../testing/fake-env.ts';
import { RecordingTransport } from '../testing/recording-transport.ts';
import { ConnectionRegistry } from './connection-registry.ts';
import { EventStore } from './event-store.ts';
import { toSessionEventFrame } from './session-event-frame.ts';

const stores: EventStore[] = [];
afterEach(() => {
  for (const store of stores.splice(0)) store.close();
});

function setup(defectIds: DefectId[] = []) {
  const fake = createFakeEnv();
  const store = new EventStore({ env: fake.env, path: ':memory:' });
  stores.push(store);
  const registry = new ConnectionRegistry({ env: fake.env, store, defects: new Defects(defectIds) });
  const transport = new RecordingTransport();
  registry.register('conn-1', transport);

  const broadcastSeq = (sessionId: string, seq: number) => {
    const [event] = store.getEventsAfter(sessionId, seq - 1, 1);
    registry.broadcast(sessionId, toSessionEventFrame(event!));
    return seq;
  };
  /** Moves a session to `state` and broadcasts the state event, as the server does. */
  const session = (sessionId: string, state: SessionState = 'ACTIVE') =>
    broadcastSeq(sessionId, store.setSessionState(sessionId, state, { force: true }));
  /** Appends events without broadcasting them: a watcher misses them unless sync delivers them. */
  const appendN = (sessionId: string, count: number) =>
    Array.from({ length: count }, (_, index) => store.append(sessionId, 'assistant_delta', { text: `t${index}` }));
  /** Appends an event and broadcasts it live, as the server does. */
  const publish = (sessionId: string) =>
    broadcastSeq(sessionId, store.append(sessionId, 'assistant_delta', { text: 'live' }));
  return { fake, store, registry, transport, session, appendN, publish };
}

describe('ConnectionRegistry: connections', () => {
  it('registers, reports and removes connections', () => {
    const { registry, transport } = setup();
    expect(registry.has('conn-1')).toBe(true);
    expect(registry.isOpen('conn-1')).toBe(true);
    transport.close();
    expect(registry.isOpen('conn-1')).toBe(false);
    expect(registry.remove('conn-1')).toBe(true);
    expect(registry.has('conn-1')).toBe(false);
    expect(registry.remove('conn-1')).toBe(false);
  });

  it('removes with a transport only while the entry still belongs to it', () => {
    const { registry, transport } = setup();
    const newer = new RecordingTransport();
    registry.register('conn-1', newer);
    expect(registry.remove('conn-1', transport)).toBe(false);
    expect(registry.has('conn-1')).toBe(true);
    expect(registry.remove('conn-1', newer)).toBe(true);
  });

  it('forgets the watches of a removed connection', () => {
    const { registry, session } = setup();
    session('s1');
    registry.watch('conn-1', 's1');
    expect(registry.watcherCount('s1')).toBe(1);
    registry.remove('conn-1');
    expect(registry.watcherCount('s1')).toBe(0);
  });

  it('ignores watches for unknown connections', () => {
    const { registry } = setup();
    registry.watch('conn-9', 's1');
    registry.setActive('conn-9', 's1');
    expect(registry.watcherCount('s1')).toBe(0);
    expect(registry.getCursor('conn-9', 's1')).toBeUndefined();
  });
});

describe('ConnectionRegistry: cursors', () => {
  it('starts a watch without lastSeq at the session head and keeps it on a repeated watch', () => {
    const { registry, session, appendN } = setup();
    session('s1');
    const seqs = appendN('s1', 3);
    registry.watch('conn-1', 's1');
    expect(registry.getCursor('conn-1', 's1')).toBe(seqs[2]);
    expect(registry.hasGap('conn-1', 's1')).toBe(false);
    appendN('s1', 2);
    registry.watch('conn-1', 's1');
    expect(registry.getCursor('conn-1', 's1')).toBe(seqs[2]);
  });

  it('takes the client lastSeq on watch and resetCursor, opening a gap when behind', () => {
    const { registry, session, appendN } = setup();
    session('s1');
    const seqs = appendN('s1', 3);
    registry.watch('conn-1', 's1', seqs[0]);
    expect(registry.getCursor('conn-1', 's1')).toBe(seqs[0]);
    expect(registry.hasGap('conn-1', 's1')).toBe(true);
    registry.resetCursor('conn-1', 's1', seqs[2]!);
    expect(registry.getCursor('conn-1', 's1')).toBe(seqs[2]);
    expect(registry.hasGap('conn-1', 's1')).toBe(false);
  });

  it('moves an existing watch forward on a higher lastSeq but never back on a stale one', () => {
    const { registry, transport, session, appendN, publish } = setup();
    session('s1');
    registry.watch('conn-1', 's1');
    const delivered = [publish('s1'), publish('s1')];
    registry.watch('conn-1', 's1', 0);
    expect(registry.getCursor('conn-1', 's1')).toBe(delivered[1]);
    registry.tickSync();
    expect(transport.seqs()).toEqual(delivered);
    const fetchedElsewhere = appendN('s1', 2);
    registry.watch('conn-1', 's1', fetchedElsewhere[1]);
    expect(registry.getCursor('conn-1', 's1')).toBe(fetchedElsewhere[1]);
    expect(registry.hasGap('conn-1', 's1')).toBe(false);
  });

  it('setActive watches and marks the session active; unwatch clears both', () => {
    const { registry, session } = setup();
    session('s1');
    registry.setActive('conn-1', 's1');
    expect(registry.activeSession('conn-1')).toBe('s1');
    expect(registry.watchedSessions('conn-1')).toEqual(['s1']);
    registry.unwatch('conn-1', 's1');
    expect(registry.activeSession('conn-1')).toBeUndefined();
    expect(registry.watchedSessions('conn-1')).toEqual([]);
  });
});

describe('ConnectionRegistry: live broadcast', () => {
  it('sends to watchers only and advances their cursor', () => {
    const { registry, transport, session, publish } = setup();
    const other = new RecordingTransport();
    registry.register('conn-2', other);
    session('s1');
    registry.watch('conn-1', 's1');
    const seq = publish('s1');
    expect(transport.seqs('s1')).toEqual([seq]);
    expect(other.frames).toEqual([]);
    expect(registry.getCursor('conn-1', 's1')).toBe(seq);
  });

  it('does not resend a live event the watcher already has', () => {
    const { store, registry, transport, session } = setup();
    session('s1');
    registry.watch('conn-1', 's1');
    const seq = store.append('s1', 'assistant_delta', {});
    registry.resetCursor('conn-1', 's1', seq);
    registry.broadcast('s1', toSessionEventFrame(store.getEventsAfter('s1', seq - 1)[0]!));
    expect(transport.frames).toEqual([]);
  });

  it('opens a gap on a failed write, holds later events back and lets sync repair in order', () => {
    const { fake, registry, transport, session, publish } = setup();
    session('s1');
    registry.watch('conn-1', 's1');
    const before = registry.getCursor('conn-1', 's1');
    transport.failNextWrites(1);
    const lost = publish('s1');
    const held = [publish('s1'), publish('s1')];
    expect(registry.hasGap('conn-1', 's1')).toBe(true);
    expect(transport.seqs()).toEqual([]);
    expect(registry.getCursor('conn-1', 's1')).toBe(before);
    expect(fake.logsOf(OBS.serverFrameFailed).map((entry) => entry.data)).toEqual([
      { connectionId: 'conn-1', sessionId: 's1', seq: lost, via: 'live' },
    ]);

    registry.tickSync();
    expect(transport.seqs()).toEqual([lost, ...held]);
    expect(registry.hasGap('conn-1', 's1')).toBe(false);
    const next = publish('s1');
    expect(transport.seqs()).toEqual([lost, ...held, next]);
  });

  it('broadcastAll reaches every open connection', () => {
    const { registry, transport } = setup();
    const other = new RecordingTransport();
    const closed = new RecordingTransport();
    registry.register('conn-2', other);
    registry.register('conn-3', closed);
    closed.close();
    registry.broadcastAll({ type: 'reconnected', sessions: [] });
    expect([transport.frames.length, other.frames.length, closed.frames.length]).toEqual([1, 1, 0]);
  });
});

describe('ConnectionRegistry: history the connection fetched itself', () => {
  it('counts a page that continues from the cursor as delivered, so sync does not resend it', () => {
    const { registry, transport, session, appendN } = setup();
    session('s1');
    registry.watch('conn-1', 's1');
    const cursor = registry.getCursor('conn-1', 's1')!;
    const missed = appendN('s1', 4);
    registry.resetCursor('conn-1', 's1', cursor);
    registry.markFetched('conn-1', 's1', cursor, missed[1]!);
    expect(registry.getCursor('conn-1', 's1')).toBe(missed[1]);
    expect(registry.hasGap('conn-1', 's1')).toBe(true);
    registry.tickSync();
    expect(transport.seqs()).toEqual(missed.slice(2));
    registry.markFetched('conn-1', 's1', 0, missed[3]!);
    expect(registry.hasGap('conn-1', 's1')).toBe(false);
  });

  it('ignores a page that leaves a hole after the cursor or lies behind it', () => {
    const { registry, session, appendN } = setup();
    session('s1');
    registry.watch('conn-1', 's1');
    const cursor = registry.getCursor('conn-1', 's1')!;
    const later = appendN('s1', 4);
    registry.markFetched('conn-1', 's1', later[1]!, later[3]!);
    expect(registry.getCursor('conn-1', 's1')).toBe(cursor);
    registry.markFetched('conn-1', 's1', 0, cursor);
    expect(registry.getCursor('conn-1', 's1')).toBe(cursor);
    registry.markFetched('conn-9', 's1', cursor, later[3]!);
    expect(registry.connectionIds()).toEqual(['conn-1']);
  });
});

describe('ConnectionRegistry: periodic sync', () => {
  it(`sends at most ${SYNC_BATCH_LIMIT} events per tick, in order, advancing the cursor`, () => {
    const { registry, transport, session, appendN } = setup();
    session('s1');
    const seqs = appendN('s1', 120);
    registry.watch('conn-1', 's1', 0);
    const all = [seqs[0]! - 1, ...seqs]; // the session's state event comes first
    registry.tickSync();
    expect(transport.seqs()).toEqual(all.slice(0, SYNC_BATCH_LIMIT));
    expect(registry.getCursor('conn-1', 's1')).toBe(all[SYNC_BATCH_LIMIT - 1]);
    registry.tickSync();
    registry.tickSync();
    expect(transport.seqs()).toEqual(all);
    registry.tickSync();
    expect(transport.seqs()).toHaveLength(all.length);
    expect(registry.hasGap('conn-1', 's1')).toBe(false);
  });

  it(`hands a backlog of more than ${SYNC_SKIP_BACKLOG} events to the client with events_skipped, then goes live`, () => {
    const { fake, registry, transport, session, appendN, publish } = setup();
    session('s1');
    registry.watch('conn-1', 's1');
    const seqs = appendN('s1', SYNC_SKIP_BACKLOG + 1);
    registry.resetCursor('conn-1', 's1', seqs[0]! - 1);
    registry.tickSync();
    expect(transport.frames).toEqual([
      { type: 'events_skipped', sessionId: 's1', fromSeq: seqs[0], toSeq: seqs.at(-1) },
    ]);
    expect(registry.getCursor('conn-1', 's1')).toBe(seqs.at(-1));
    expect(registry.hasGap('conn-1', 's1')).toBe(false);
    expect(fake.logsOf(OBS.serverEventsSkipped)).toHaveLength(1);
    const live = publish('s1');
    expect(transport.seqs()).toEqual([live]);
  });

  it('keeps a backlog when the events_skipped frame cannot be written, and never skips silently', () => {
    const { registry, transport, session, appendN } = setup();
    session('s1');
    registry.watch('conn-1', 's1');
    const seqs = appendN('s1', SYNC_SKIP_BACKLOG + 1);
    registry.resetCursor('conn-1', 's1', seqs[0]! - 1);
    transport.failAfterWrites(0);
    registry.tickSync();
    expect(registry.getCursor('conn-1', 's1')).toBe(seqs[0]! - 1);
    expect(registry.hasGap('conn-1', 's1')).toBe(true);
  });

  it('stops a batch at the first failed write and resumes from there next tick', () => {
    const { fake, registry, transport, session, appendN } = setup();
    session('s1');
    registry.watch('conn-1', 's1');
    const seqs = appendN('s1', 30);
    registry.resetCursor('conn-1', 's1', seqs[0]! - 1);
    transport.failAfterWrites(10);
    registry.tickSync();
    expect(transport.seqs()).toEqual(seqs.slice(0, 10));
    expect(registry.getCursor('conn-1', 's1')).toBe(seqs[9]);
    expect(fake.logsOf(OBS.serverFrameFailed)).toHaveLength(1);
    transport.heal();
    registry.tickSync();
    expect(transport.seqs()).toEqual(seqs);
    expect(fake.logsOf(OBS.serverFrameSent).filter((entry) => entry.data.via === 'sync')).toHaveLength(30);
  });

  it('delivers the final events of an ENDED session while behind, then leaves it alone', () => {
    const { registry, transport, session, appendN } = setup();
    session('s1');
    registry.watch('conn-1', 's1');
    const cursor = registry.getCursor('conn-1', 's1')!;
    const seqs = appendN('s1', 3);
    const endSeq = session('s1', 'ENDED');
    registry.tickSync();
    expect(transport.seqs()).toEqual([...seqs, endSeq]);
    expect(cursor).toBeLessThan(seqs[0]!);
    registry.tickSync();
    expect(transport.seqs()).toHaveLength(4);
  });

  it('skips closed transports and survives a store that fails', () => {
    const { fake, store, registry, transport, session, appendN } = setup();
    session('s1');
    registry.watch('conn-1', 's1', 0);
    appendN('s1', 2);
    const other = new RecordingTransport();
    registry.register('conn-2', other);
    registry.watch('conn-2', 's1', 0);
    transport.close();
    registry.tickSync();
    expect(transport.frames).toEqual([]);
    expect(other.seqs()).toHaveLength(3);
    appendN('s1', 1);
    store.close();
    expect(() => registry.tickSync()).not.toThrow();
    expect(fake.logsOf(OBS.serverError).at(-1)?.data.where).toBe('registry.tickSync');
  });

  it('runs every SYNC_INTERVAL_MS between start and stop', () => {
    const { fake, registry, transport, session, appendN } = setup();
    session('s1');
    registry.watch('conn-1', 's1');
    registry.start();
    registry.start();
    const seqs = appendN('s1', 2);
    fake.advance(SYNC_INTERVAL_MS - 1);
    expect(transport.seqs()).toEqual([]);
    fake.advance(1);
    expect(transport.seqs()).toEqual(seqs);
    registry.stop();
    expect(fake.pendingTimerCount()).toBe(0);
  });
});

describe('ConnectionRegistry: reconnect replay', () => {
  it(`replays at most ${RECONNECT_REPLAY_LIMIT} events after lastSeq and lets sync deliver the rest in order`, () => {
    const { fake, registry, transport, session, appendN, publish } = setup();
    session('s1');
    const seqs = appendN('s1', 450);
    const lastSeq = seqs[99]!;
    registry.watch('conn-1', 's1', lastSeq);
    const replayed = registry.replay('conn-1', 's1', lastSeq);
    const missing = seqs.slice(100);
    expect(replayed).toBe(RECONNECT_REPLAY_LIMIT);
    expect(transport.seqs()).toEqual(missing.slice(0, RECONNECT_REPLAY_LIMIT));
    expect(registry.getCursor('conn-1', 's1')).toBe(missing[RECONNECT_REPLAY_LIMIT - 1]);
    expect(registry.hasGap('conn-1', 's1')).toBe(true);
    const live = publish('s1');
    expect(transport.seqs()).toHaveLength(RECONNECT_REPLAY_LIMIT);
    for (let tick = 0; tick < 6; tick += 1) registry.tickSync();
    expect(transport.seqs()).toEqual([...missing, live]);
    expect(transport.seqs().every((seq) => seq > lastSeq)).toBe(true);
    expect(fake.logsOf(OBS.serverFrameSent).filter((entry) => entry.data.via === 'replay')).toHaveLength(200);
  });

  it('stops a replay burst while the client is behind on reading; sync delivers the rest once it reads', () => {
    const { fake, store, registry, transport, session, appendN } = setup();
    session('s1');
    appendN('s1', 30);
    registry.watch('conn-1', 's1', 0);
    transport.congestAfter(10);
    expect(registry.replay('conn-1', 's1', 0)).toBe(10);
    expect(registry.hasGap('conn-1', 's1')).toBe(true);
    // Not written is not a failed write: nothing was handed to the stream.
    expect(fake.logsOf(OBS.serverFrameFailed)).toEqual([]);
    registry.tickSync();
    expect(transport.seqs()).toHaveLength(10);
    transport.heal();
    registry.tickSync();
    expect(transport.seqs()).toEqual(store.getSessionEvents('s1').map((event) => event.seq));
    expect(registry.hasGap('conn-1', 's1')).toBe(false);
  });

  it('replays nothing for a client that is up to date and leaves no gap', () => {
    const { registry, transport, session, appendN } = setup();
    session('s1');
    const seqs = appendN('s1', 3);
    registry.watch('conn-1', 's1', seqs[2]);
    expect(registry.replay('conn-1', 's1', seqs[2]!)).toBe(0);
    expect(transport.frames).toEqual([]);
    expect(registry.hasGap('conn-1', 's1')).toBe(false);
  });

  it('replays nothing for a session the connection does not watch', () => {
    const { registry, session, appendN } = setup();
    session('s1');
    appendN('s1', 3);
    expect(registry.replay('conn-1', 's1', 0)).toBe(0);
  });
});

describe('ConnectionRegistry: defect switches (same script, switch on vs off)', () => {
  function scriptEndedBehind(defect: DefectId | undefined) {
    const { registry, transport, session, appendN } = setup(defect ? [defect] : []);
    session('s1');
    registry.watch('conn-1', 's1');
    const missed = appendN('s1', 3);
    const endSeq = session('s1', 'ENDED');
    registry.tickSync();
    return { sent: transport.seqs(), expected: [...missed, endSeq] };
  }

  it('sync-on-is-active: an ENDED session behind its watcher never finishes', () => {
    const off = scriptEndedBehind(undefined);
    expect(off.sent).toEqual(off.expected);
    expect(scriptEndedBehind('sync-on-is-active').sent).toEqual([]);
  });

  it('sync-skips-ended-behind: the final events of an ended session never arrive', () => {
    const off = scriptEndedBehind(undefined);
    expect(off.sent).toEqual(off.expected);
    expect(scriptEndedBehind('sync-skips-ended-behind').sent).toEqual([]);
  });

  function scriptDetachedGap(defect: DefectId | undefined, state: SessionState) {
    const { registry, transport, session, publish } = setup(defect ? [defect] : []);
    session('s1');
    registry.watch('conn-1', 's1');
    session('s1', state);
    transport.clear();
    transport.failNextWrites(1);
    const missed = [publish('s1'), publish('s1')];
    registry.tickSync();
    return { sent: transport.seqs(), missed };
  }

  it.each(['DETACHED', 'SUSPENDED'] as const)(
    'sync-excludes-detached: events missed while %s never arrive',
    (state) => {
      const off = scriptDetachedGap(undefined, state);
      expect(off.sent).toEqual(off.missed);
      expect(scriptDetachedGap('sync-excludes-detached', state).sent).toEqual([]);
    },
  );

  function scriptNewWatch(defect: DefectId | undefined, withLastSeq: boolean) {
    const { store, registry, transport, session, appendN } = setup(defect ? [defect] : []);
    session('s1');
    appendN('s1', 10);
    registry.watch('conn-1', 's1', withLastSeq ? store.getHeadSeq('s1') : undefined);
    registry.tickSync();
    return { sent: transport.seqs(), history: store.getSessionEvents('s1').map((event) => event.seq) };
  }

  it.each([false, true])('sync-from-zero: a new watch (lastSeq given: %s) replays the whole history', (withLastSeq) => {
    expect(scriptNewWatch(undefined, withLastSeq).sent).toEqual([]);
    const on = scriptNewWatch('sync-from-zero', withLastSeq);
    expect(on.sent).toEqual(on.history);
  });

  function scriptIdleReconnect(defect: DefectId | undefined) {
    const { store, registry, transport, session, appendN } = setup(defect ? [defect] : []);
    session('s1');
    appendN('s1', 10);
    const head = store.getHeadSeq('s1');
    registry.watch('conn-1', 's1', head);
    registry.resetCursor('conn-1', 's1', head);
    const replayed = registry.replay('conn-1', 's1', head);
    registry.tickSync();
    return { replayed, sent: transport.seqs(), history: store.getSessionEvents('s1').map((event) => event.seq) };
  }

  it('sync-from-zero: a reconnect of a client that missed nothing brings the whole history again', () => {
    expect(scriptIdleReconnect(undefined)).toMatchObject({ replayed: 0, sent: [] });
    const on = scriptIdleReconnect('sync-from-zero');
    expect(on.replayed).toBe(0);
    expect(on.sent).toEqual(on.history);
  });

  function scriptLongReplay(defect: DefectId | undefined) {
    const { registry, transport, session, appendN } = setup(defect ? [defect] : []);
    session('s1');
    appendN('s1', 450);
    registry.watch('conn-1', 's1', 0);
    return { replayed: registry.replay('conn-1', 's1', 0), sent: transport.seqs().length };
  }

  it('unbounded-reconnect-replay: a reconnect replays the whole backlog at once', () => {
    expect(scriptLongReplay(undefined)).toEqual({ replayed: RECONNECT_REPLAY_LIMIT, sent: RECONNECT_REPLAY_LIMIT });
    expect(scriptLongReplay('unbounded-reconnect-replay')).toEqual({ replayed: 451, sent: 451 });
  });

  function scriptBusyNeighbours(defect: DefectId | undefined) {
    const { registry, transport, session, appendN, publish } = setup(defect ? [defect] : []);
    session('s1');
    registry.watch('conn-1', 's1');
    session('other');
    appendN('other', 300); // traffic of another session moves the global head
    transport.failWrites = true;
    const missed = [publish('s1'), publish('s1'), publish('s1')];
    transport.heal();
    registry.tickSync();
    return { sent: transport.seqs('s1'), missed, gap: registry.hasGap('conn-1', 's1') };
  }

  it('silent-gap-skip: a few missed events vanish when other sessions are busy', () => {
    const off = scriptBusyNeighbours(undefined);
    expect(off.sent).toEqual(off.missed);
    const on = scriptBusyNeighbours('silent-gap-skip');
    expect(on.sent).toEqual([]);
    expect(on.gap).toBe(false);
  });

  function scriptOvertake(defect: DefectId | undefined) {
    const { registry, transport, session, publish } = setup(defect ? [defect] : []);
    session('s1');
    registry.watch('conn-1', 's1');
    transport.failNextWrites(1);
    const seqs = [publish('s1'), publish('s1'), publish('s1')];
    registry.tickSync();
    return { sent: transport.seqs(), seqs };
  }

  it('live-send-overtakes-gap: later live events go out before the missing one', () => {
    const off = scriptOvertake(undefined);
    expect(off.sent).toEqual(off.seqs);
    const on = scriptOvertake('live-send-overtakes-gap');
    const [lost, second, third] = on.seqs;
    expect(on.sent.slice(0, 3)).toEqual([second, third, lost]);
  });
});
