/**
 * What each timed fault does to the world. Each one picks its target from the seed, records
 * itself through `fire` before it acts, and does nothing (and counts nothing) without a target.
 */
import type { TimedFaultKind } from '../../scenarios/fault-kinds.ts';
import type { World } from '../world/world.ts';

export const CRASH_RESTART_MS = { min: 500, max: 5000 } as const;
export const HALF_OPEN_NOTICE_MS = { min: 1000, max: 20_000 } as const;
export const LATENCY_SPIKE = { extraMsMin: 200, extraMsMax: 3000, forMsMin: 1000, forMsMax: 10_000 } as const;
export const TAB_HIDDEN_MS = { min: 1000, max: 30_000 } as const;
/** Long enough for a busy agent to run past the reconnect replay limit while the client is away. */
export const CLIENT_OFFLINE_MS = { min: 2000, max: 90_000 } as const;
/**
 * From shorter than the server's drain bound (the client catches up from what waited) to well
 * past it (the server closes the stream and the client reconnects when it reads again).
 */
export const SLOW_READER_MS = { min: 1000, max: 75_000 } as const;

type Fire = (details: Record<string, unknown>) => void;

export function applyTimedFault(world: World, kind: TimedFaultKind, fire: Fire): void {
  const rng = world.targetRng;
  switch (kind) {
    case 'server-crash': {
      if (!world.server.isUp()) return;
      const restartMs = rng.intBetween(CRASH_RESTART_MS.min, CRASH_RESTART_MS.max);
      fire({ restartMs });
      world.server.crash(true, 'injected crash', restartMs);
      return;
    }
    case 'stream-drop': {
      const streams = world.network.openStreams();
      if (streams.length === 0) return;
      const stream = rng.pick(streams);
      fire({ client: stream.clientId, streamId: stream.streamId });
      world.network.dropStream(stream.streamId);
      return;
    }
    case 'half-open': {
      const streams = world.network.openStreams();
      if (streams.length === 0) return;
      const stream = rng.pick(streams);
      const noticeMs = rng.intBetween(HALF_OPEN_NOTICE_MS.min, HALF_OPEN_NOTICE_MS.max);
      fire({ client: stream.clientId, streamId: stream.streamId, noticeMs });
      world.network.halfOpen(stream.streamId, noticeMs);
      return;
    }
    case 'forget-connection': {
      const server = world.server.current();
      const ids = server?.connectionIds() ?? [];
      if (!server || ids.length === 0) return;
      const connectionId = rng.pick(ids);
      fire({ connectionId });
      server.forgetConnection(connectionId);
      return;
    }
    case 'latency-spike': {
      const extraMs = rng.intBetween(LATENCY_SPIKE.extraMsMin, LATENCY_SPIKE.extraMsMax);
      const forMs = rng.intBetween(LATENCY_SPIKE.forMsMin, LATENCY_SPIKE.forMsMax);
      fire({ extraMs, forMs });
      world.networkFaults.spike(world.clock.now() + forMs, extraMs);
      return;
    }
    case 'concurrent-welcome': {
      // Armed now, counted when it takes effect: at that client's next reconnect POST.
      world.networkFaults.armConcurrentWelcome(rng.pick(world.pages).id);
      return;
    }
    case 'stale-reconnect-answer': {
      // Armed now, counted when it takes effect: at that client's next reconnect POST.
      world.networkFaults.armStaleAnswer(rng.pick(world.pages).id);
      return;
    }
    case 'page-reload': {
      const page = rng.pick(world.pages);
      fire({ client: page.id });
      world.recorder.record(page.id, 'page.reload', {}, { kind: 'reload', client: page.id });
      page.reload();
      world.users[world.pages.indexOf(page)]!.pageReloaded();
      return;
    }
    case 'client-offline': {
      const page = rng.pick(world.pages);
      const offlineMs = rng.intBetween(CLIENT_OFFLINE_MS.min, CLIENT_OFFLINE_MS.max);
      fire({ client: page.id, offlineMs });
      world.networkFaults.takeOffline(page.id, world.clock.now() + offlineMs);
      return;
    }
    case 'slow-reader':
      return pauseReader(world, fire);
    case 'tab-hidden': {
      const visible = world.pages.filter((page) => !page.isHidden());
      if (visible.length === 0) return;
      const page = rng.pick(visible);
      const hiddenMs = rng.intBetween(TAB_HIDDEN_MS.min, TAB_HIDDEN_MS.max);
      fire({ client: page.id, hiddenMs });
      hideTab(world, page.id, hiddenMs);
      return;
    }
  }
}

/** One stream that is still being read stops being read for a while. */
function pauseReader(world: World, fire: Fire): void {
  const reading = world.network.openStreams().filter((stream) => !world.network.isReadingPaused(stream.streamId));
  if (reading.length === 0) return;
  const stream = world.targetRng.pick(reading);
  const pausedMs = world.targetRng.intBetween(SLOW_READER_MS.min, SLOW_READER_MS.max);
  fire({ client: stream.clientId, streamId: stream.streamId, pausedMs });
  world.network.pauseReading(stream.streamId, pausedMs);
}

/**
 * A hidden (frozen) tab's stream is cut without the page noticing; the error surfaces when the
 * tab resumes, as a frozen socket's does, and the app's visibility handler checks the connection.
 */
function hideTab(world: World, clientId: string, hiddenMs: number): void {
  const page = world.pages.find((candidate) => candidate.id === clientId)!;
  page.hide();
  for (const stream of world.network.openStreams()) {
    if (stream.clientId === clientId) world.network.halfOpen(stream.streamId, hiddenMs);
  }
  world.worldTimers.setTimeout(() => {
    if (!page.isHidden()) return;
    world.recorder.record(clientId, 'page.shown', {});
    page.shown();
  }, hiddenMs);
}
