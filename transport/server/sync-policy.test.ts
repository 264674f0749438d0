import { describe, expect, it } from 'vitest';
import { Defects, type DefectId } from '../defects.ts';
import { PR396_SKIP_THRESHOLD, RECONNECT_REPLAY_LIMIT, SESSION_STATES, type SessionState } from '../protocol.ts';
import { legacyIsActive } from './session-transitions.ts';
import { SyncPolicy, type SyncCandidate } from './sync-policy.ts';

const policy = (...ids: DefectId[]) => new SyncPolicy(new Defects(ids));
const candidate = (state: SessionState, cursor: number | undefined, headSeq: number): SyncCandidate => ({
  state,
  isActive: legacyIsActive(state),
  cursor,
  headSeq,
});

describe('SyncPolicy (fixed)', () => {
  it('syncs producing states always and any state while the watcher is behind', () => {
    const fixed = policy();
    const atHead = SESSION_STATES.filter((state) => fixed.shouldSync(candidate(state, 10, 10)));
    expect(atHead).toEqual(['STARTING', 'ACTIVE', 'DETACHED', 'SUSPENDED', 'CLOSING']);
    expect(SESSION_STATES.every((state) => fixed.shouldSync(candidate(state, 9, 10)))).toBe(true);
  });

  it('starts new watches at the head, bounds replay, never skips and never overtakes a gap', () => {
    const fixed = policy();
    expect(fixed.cursorForClient(undefined, 42)).toBe(42);
    expect(fixed.cursorForClient(7, 42)).toBe(7);
    expect(fixed.reconnectReplayLimit()).toBe(RECONNECT_REPLAY_LIMIT);
    expect(fixed.skipsBacklogSilently(10_000, 0)).toBe(false);
    expect(fixed.sendsLiveThroughGap()).toBe(false);
  });
});

describe('SyncPolicy defect switches', () => {
  it('sync-on-is-active decides by the legacy flag, ignoring how far behind the watcher is', () => {
    const on = policy('sync-on-is-active');
    expect(on.shouldSync(candidate('ENDED', 0, 10))).toBe(false);
    expect(on.shouldSync(candidate('CREATED', 10, 10))).toBe(true);
  });

  it('sync-excludes-detached and sync-skips-ended-behind drop their states even when behind', () => {
    expect(policy('sync-excludes-detached').shouldSync(candidate('DETACHED', 0, 10))).toBe(false);
    expect(policy('sync-excludes-detached').shouldSync(candidate('SUSPENDED', 0, 10))).toBe(false);
    expect(policy('sync-excludes-detached').shouldSync(candidate('ACTIVE', 0, 10))).toBe(true);
    expect(policy('sync-skips-ended-behind').shouldSync(candidate('ENDED', 0, 10))).toBe(false);
    expect(policy('sync-skips-ended-behind').shouldSync(candidate('DETACHED', 0, 10))).toBe(true);
  });

  it('sync-from-zero leaves the cursor unset; unbounded-reconnect-replay drops the bound', () => {
    expect(policy('sync-from-zero').cursorForClient(undefined, 42)).toBeUndefined();
    expect(policy('sync-from-zero').cursorForClient(42, 42)).toBeUndefined();
    expect(policy('unbounded-reconnect-replay').reconnectReplayLimit()).toBeUndefined();
  });

  it('silent-gap-skip fires only beyond the threshold of global seqs', () => {
    const on = policy('silent-gap-skip');
    expect(on.skipsBacklogSilently(100 + PR396_SKIP_THRESHOLD, 100)).toBe(false);
    expect(on.skipsBacklogSilently(101 + PR396_SKIP_THRESHOLD, 100)).toBe(true);
    expect(on.skipsBacklogSilently(PR396_SKIP_THRESHOLD + 1, undefined)).toBe(true);
  });

  it('live-send-overtakes-gap sends through an open gap', () => {
    expect(policy('live-send-overtakes-gap').sendsLiveThroughGap()).toBe(true);
  });
});
