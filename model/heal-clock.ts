/**
 * When a client's network is healthy, as the delivery and timing properties judge it. Faults
 * stop when the heal phase starts, but some outlive their firing: a server still restarting, a
 * half-open stream its client notices only later, an answer held back. A fault's effect is taken
 * to last the longest duration its details name (`restartMs`, `noticeMs`, `hiddenMs`, ...): that
 * over-estimates a fault the heal clears at once and never under-estimates one it does not. A
 * fault naming a client holds back that client; one naming none (a crash) holds back everyone,
 * and so does the server being down until it is back up.
 */
import type { History } from './history.ts';
import { entriesOf, entriesOfKinds } from './history-entries.ts';

export interface HealClock {
  /** When the heal phase started, or null for a run that never reached it. */
  healMs: number | null;
  /** When the run ended: its `end` phase, or its last entry. */
  endMs: number;
  /** From when nothing of the chaos phase holds this client back any more (null: never healed). */
  healthyFromMs(client: string): number | null;
  /** Whether a fault or the server being down held this client back at some moment of [fromMs, toMs]. */
  heldBackDuring(client: string, fromMs: number, toMs: number): boolean;
}

interface Trouble {
  /** The client it holds back, or null for everyone. */
  client: string | null;
  fromMs: number;
  untilMs: number;
}

const cache = new WeakMap<History, HealClock>();

export function healClockOf(history: History): HealClock {
  let clock = cache.get(history);
  if (clock === undefined) {
    clock = buildHealClock(history);
    cache.set(history, clock);
  }
  return clock;
}

function buildHealClock(history: History): HealClock {
  let healMs: number | null = null;
  const entries = entriesOf(history);
  let endMs = entries.at(-1)?.t ?? 0;
  const troubles: Trouble[] = [];
  let downSinceMs: number | null = null;
  for (const e of entriesOfKinds(history, ['phase', 'server-down', 'server-up', 'fault'])) {
    if (e.kind === 'phase' && e.phase === 'heal' && healMs === null) healMs = e.t;
    if (e.kind === 'phase' && e.phase === 'end') endMs = e.t;
    if (e.kind === 'server-down') downSinceMs ??= e.t;
    if (e.kind === 'server-up') {
      troubles.push({ client: null, fromMs: downSinceMs ?? e.t, untilMs: e.t });
      downSinceMs = null;
    }
    if (e.kind !== 'fault') continue;
    const client = typeof e.details.client === 'string' ? e.details.client : null;
    troubles.push({ client, fromMs: e.t, untilMs: e.t + longestDurationMs(e.details) });
  }
  if (downSinceMs !== null) troubles.push({ client: null, fromMs: downSinceMs, untilMs: Infinity });
  const concerns = (trouble: Trouble, client: string) => trouble.client === null || trouble.client === client;
  const healthyFromMs = (client: string): number | null => {
    if (healMs === null) return null;
    let fromMs = healMs;
    for (const trouble of troubles) if (concerns(trouble, client)) fromMs = Math.max(fromMs, trouble.untilMs);
    return fromMs;
  };
  const heldBackDuring = (client: string, fromMs: number, toMs: number): boolean =>
    troubles.some((trouble) => concerns(trouble, client) && trouble.fromMs <= toMs && trouble.untilMs >= fromMs);
  return { healMs, endMs, healthyFromMs, heldBackDuring };
}

function longestDurationMs(details: Record<string, unknown>): number {
  let longest = 0;
  for (const [name, value] of Object.entries(details)) {
    if (name.endsWith('Ms') && typeof value === 'number' && Number.isFinite(value)) longest = Math.max(longest, value);
  }
  return longest;
}
