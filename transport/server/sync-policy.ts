/**
 * The decisions of the ConnectionRegistry that historical versions got wrong, one method each,
 * so every server-side defect switch of the registry is consulted in exactly one place.
 */
import type { Defects } from '../defects.ts';
import { PR396_SKIP_THRESHOLD, RECONNECT_REPLAY_LIMIT, type SessionState } from '../protocol.ts';

/** States in which a session's agent may still produce events, so watchers must be polled. */
const PRODUCING_STATES: ReadonlySet<SessionState> = new Set(['STARTING', 'ACTIVE', 'DETACHED', 'SUSPENDED', 'CLOSING']);

export interface SyncCandidate {
  state: SessionState;
  /** The legacy flag; only the `sync-on-is-active` defect reads it. */
  isActive: boolean;
  /** Last seq delivered to this watcher; undefined when never set. */
  cursor: number | undefined;
  /** Highest seq of the session. */
  headSeq: number;
}

export class SyncPolicy {
  constructor(private readonly defects: Defects) {}

  /** Whether a periodic sync pass looks at this (watcher, session) at all. */
  shouldSync(candidate: SyncCandidate): boolean {
    if (this.skipsDetached(candidate.state) || this.skipsEndedBehind(candidate.state)) return false;
    // The legacy flag knows nothing of watchers that are behind, so ended sessions never finish.
    if (this.defects.has('sync-on-is-active')) return candidate.isActive;
    return PRODUCING_STATES.has(candidate.state) || (candidate.cursor ?? 0) < candidate.headSeq;
  }

  /**
   * The cursor a watch gets from what the client says it has (a watch's or reconnect's lastSeq),
   * or the session head for a watch without one: the client fetches older history itself.
   * Undefined means "unset", which sync reads as seq 0; the legacy server never took a cursor
   * from the client, so every new watch and every reconnect left it there.
   */
  cursorForClient(requestedSeq: number | undefined, headSeq: number): number | undefined {
    if (this.defects.has('sync-from-zero')) return undefined;
    return requestedSeq ?? headSeq;
  }

  /** Most events one reconnect replays per session; the rest arrives by periodic sync. */
  reconnectReplayLimit(): number | undefined {
    if (this.defects.has('unbounded-reconnect-replay')) return undefined;
    return RECONNECT_REPLAY_LIMIT;
  }

  /** Whether sync drops a long backlog by jumping the cursor to the head without telling anyone. */
  skipsBacklogSilently(globalHeadSeq: number, cursor: number | undefined): boolean {
    if (!this.defects.has('silent-gap-skip')) return false;
    return globalHeadSeq - (cursor ?? 0) > PR396_SKIP_THRESHOLD;
  }

  /** Whether live events go out to a watcher whose delivery gap is still open. */
  sendsLiveThroughGap(): boolean {
    return this.defects.has('live-send-overtakes-gap');
  }

  private skipsDetached(state: SessionState): boolean {
    return this.defects.has('sync-excludes-detached') && (state === 'DETACHED' || state === 'SUSPENDED');
  }

  private skipsEndedBehind(state: SessionState): boolean {
    return this.defects.has('sync-skips-ended-behind') && state === 'ENDED';
  }
}
