/**
 * What each timed fault does, in one table over every timed kind of scenarios/fault-kinds.ts, so a
 * kind named there without its effect here does not compile. Effects reach the world only through
 * TimedFaultTargets, which the world provides. Each one picks its target from the seed, records
 * itself through `fire` before it acts, and does nothing (and counts nothing) without a target.
 */
import type { TimedFaultKind } from '../../scenarios/index.ts';
import type { HistoryEntryBody } from '../../model/index.ts';
import type { Rng } from '../core/index.ts';
import type { SimNetwork } from '../net/index.ts';
import type { NetworkFaultPolicy } from './network-fault-policy.ts';

const CRASH_RESTART_MS = { min: 500, max: 5000 } as const;
const HALF_OPEN_NOTICE_MS = { min: 1000, max: 20_000 } as const;
const LATENCY_SPIKE = { extraMsMin: 200, extraMsMax: 3000, forMsMin: 1000, forMsMax: 10_000 } as const;
const TAB_HIDDEN_MS = { min: 1000, max: 30_000 } as const;
/** Long enough for a busy agent to run past the reconnect replay limit while the client is away. */
const CLIENT_OFFLINE_MS = { min: 2000, max: 90_000 } as const;
/**
 * From shorter than the server's drain bound (the client catches up from what waited) to well
 * past it (the server closes the stream and the client reconnects when it reads again).
 */
export const SLOW_READER_MS = { min: 1000, max: 75_000 } as const;

/** One browser tab as a fault sees it. */
export interface FaultTargetPage {
  readonly id: string;
  isHidden(): boolean;
  hide(): void;
  shown(): void;
  /** Memory lost, storage kept; the page's user forgets what it was doing too. */
  reload(): void;
}

/** Everything of the world a timed fault may touch. */
export interface TimedFaultTargets {
  /** Which stream, page or connection a fault hits: a stream of the seed of its own. */
  readonly rng: Rng;
  nowMs(): number;
  /** Runs `action` after `delayMs` on a timer that survives crashes and reloads. */
  after(delayMs: number, action: () => void): void;
  record(actor: string, kind: string, details: Record<string, unknown>, history?: HistoryEntryBody): void;
  readonly server: {
    isUp(): boolean;
    /** An injected crash; the process restarts after `restartMs`. */
    crash(reason: string, restartMs: number): void;
    /** The live process's connections; none while it is down or when it cannot list them. */
    connectionIds(): string[];
    forgetConnection(connectionId: string): void;
  };
  readonly streams: Pick<SimNetwork, 'openStreams' | 'dropStream' | 'halfOpen' | 'pauseReading' | 'isReadingPaused'>;
  readonly networkConditions: Pick<
    NetworkFaultPolicy,
    'spike' | 'armConcurrentWelcome' | 'armStaleAnswer' | 'takeOffline'
  >;
  readonly pages: readonly FaultTargetPage[];
}

/** Counts and records the firing; false when the scenario omits it, and the effect then does nothing. */
type Fire = (details: Record<string, unknown>) => boolean;
export type TimedFaultEffect = (targets: TimedFaultTargets, fire: Fire) => void;
export type TimedFaultEffects = Record<TimedFaultKind, TimedFaultEffect>;

export const TIMED_FAULT_EFFECTS: TimedFaultEffects = {
  'server-crash': (targets, fire) => {
    if (!targets.server.isUp()) return;
    const restartMs = targets.rng.intBetween(CRASH_RESTART_MS.min, CRASH_RESTART_MS.max);
    if (!fire({ restartMs })) return;
    targets.server.crash('injected crash', restartMs);
  },
  'stream-drop': ({ rng, streams }, fire) => {
    const open = streams.openStreams();
    if (open.length === 0) return;
    const stream = rng.pick(open);
    if (!fire({ client: stream.clientId, streamId: stream.streamId })) return;
    streams.dropStream(stream.streamId);
  },
  'half-open': ({ rng, streams }, fire) => {
    const open = streams.openStreams();
    if (open.length === 0) return;
    const stream = rng.pick(open);
    const noticeMs = rng.intBetween(HALF_OPEN_NOTICE_MS.min, HALF_OPEN_NOTICE_MS.max);
    if (!fire({ client: stream.clientId, streamId: stream.streamId, noticeMs })) return;
    streams.halfOpen(stream.streamId, noticeMs);
  },
  'forget-connection': ({ rng, server }, fire) => {
    const ids = server.connectionIds();
    if (ids.length === 0) return;
    const connectionId = rng.pick(ids);
    if (!fire({ connectionId })) return;
    server.forgetConnection(connectionId);
  },
  'latency-spike': (targets, fire) => {
    const extraMs = targets.rng.intBetween(LATENCY_SPIKE.extraMsMin, LATENCY_SPIKE.extraMsMax);
    const forMs = targets.rng.intBetween(LATENCY_SPIKE.forMsMin, LATENCY_SPIKE.forMsMax);
    if (!fire({ extraMs, forMs })) return;
    targets.networkConditions.spike(targets.nowMs() + forMs, extraMs);
  },
  // Armed now, counted when it takes effect: at that client's next reconnect POST.
  'concurrent-welcome': ({ rng, pages, networkConditions }) => {
    networkConditions.armConcurrentWelcome(rng.pick(pages).id);
  },
  // Armed now, counted when it takes effect: at that client's next reconnect POST.
  'stale-reconnect-answer': ({ rng, pages, networkConditions }) => {
    networkConditions.armStaleAnswer(rng.pick(pages).id);
  },
  'page-reload': (targets, fire) => {
    const page = targets.rng.pick(targets.pages);
    if (!fire({ client: page.id })) return;
    targets.record(page.id, 'page.reload', {}, { kind: 'reload', client: page.id });
    page.reload();
  },
  'tab-hidden': (targets, fire) => {
    const visible = targets.pages.filter((page) => !page.isHidden());
    if (visible.length === 0) return;
    const page = targets.rng.pick(visible);
    const hiddenMs = targets.rng.intBetween(TAB_HIDDEN_MS.min, TAB_HIDDEN_MS.max);
    if (!fire({ client: page.id, hiddenMs })) return;
    hideTab(targets, page, hiddenMs);
  },
  'client-offline': (targets, fire) => {
    const page = targets.rng.pick(targets.pages);
    const offlineMs = targets.rng.intBetween(CLIENT_OFFLINE_MS.min, CLIENT_OFFLINE_MS.max);
    if (!fire({ client: page.id, offlineMs })) return;
    targets.networkConditions.takeOffline(page.id, targets.nowMs() + offlineMs);
  },
  // One stream that is still being read stops being read for a while.
  'slow-reader': ({ rng, streams }, fire) => {
    const reading = streams.openStreams().filter((stream) => !streams.isReadingPaused(stream.streamId));
    if (reading.length === 0) return;
    const stream = rng.pick(reading);
    const pausedMs = rng.intBetween(SLOW_READER_MS.min, SLOW_READER_MS.max);
    if (!fire({ client: stream.clientId, streamId: stream.streamId, pausedMs })) return;
    streams.pauseReading(stream.streamId, pausedMs);
  },
};

/**
 * A hidden (frozen) tab's stream is cut without the page noticing; the error surfaces when the
 * tab resumes, as a frozen socket's does, and the app's visibility handler checks the connection.
 */
function hideTab(targets: TimedFaultTargets, page: FaultTargetPage, hiddenMs: number): void {
  page.hide();
  for (const stream of targets.streams.openStreams()) {
    if (stream.clientId === page.id) targets.streams.halfOpen(stream.streamId, hiddenMs);
  }
  targets.after(hiddenMs, () => {
    if (!page.isHidden()) return;
    targets.record(page.id, 'page.shown', {});
    page.shown();
  });
}
