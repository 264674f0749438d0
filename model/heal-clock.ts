/**
 * When a run's network is healthy again, as the delivery and timing properties judge it. Faults
 * stop when the heal phase starts, but some outlive their firing: a server still restarting, a
 * half-open stream its client notices only later, an answer held back. A fault's effect is taken
 * to last the longest duration its details name (`restartMs`, `noticeMs`, `hiddenMs`, ...): that
 * over-estimates a fault the heal clears at once and never under-estimates one it does not. A
 * fault naming a client holds back that client; one naming none (a crash) holds back everyone.
 */
import type { History } from './history.ts';

export interface HealClock {
  /** When the heal phase started, or null for a run that never reached it. */
  healMs: number | null;
  /** When the run ended: its `end` phase, or its last entry. */
  endMs: number;
  /** From when nothing of the chaos phase holds this client back any more (null: never healed). */
  healthyFromMs(client: string): number | null;
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
  let endMs = history.entries.at(-1)?.t ?? 0;
  let everyoneUntilMs = 0;
  const clientUntilMs = new Map<string, number>();
  for (const e of history.entries) {
    if (e.kind === 'phase' && e.phase === 'heal' && healMs === null) healMs = e.t;
    if (e.kind === 'phase' && e.phase === 'end') endMs = e.t;
    // A server back up only now was down until now.
    if (e.kind === 'server-up') everyoneUntilMs = Math.max(everyoneUntilMs, e.t);
    if (e.kind !== 'fault') continue;
    const untilMs = e.t + longestDurationMs(e.details);
    const client = e.details.client;
    if (typeof client === 'string') clientUntilMs.set(client, Math.max(clientUntilMs.get(client) ?? 0, untilMs));
    else everyoneUntilMs = Math.max(everyoneUntilMs, untilMs);
  }
  const healthyFromMs = (client: string): number | null =>
    healMs === null ? null : Math.max(healMs, everyoneUntilMs, clientUntilMs.get(client) ?? 0);
  return { healMs, endMs, healthyFromMs };
}

function longestDurationMs(details: Record<string, unknown>): number {
  let longest = 0;
  for (const [name, value] of Object.entries(details)) {
    if (name.endsWith('Ms') && typeof value === 'number' && Number.isFinite(value)) longest = Math.max(longest, value);
  }
  return longest;
}
