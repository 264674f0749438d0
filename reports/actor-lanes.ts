/**
 * The actors of a run in the order every report lists them: the simulator, the server, each
 * client followed by its network link, then faults, then anything else. A stable order keeps
 * reports of the same run identical and makes two runs easy to compare side by side.
 */
import type { TraceEntry } from '../sim/core/index.ts';

export function orderedActors(trace: readonly TraceEntry[]): string[] {
  const actors = new Set<string>();
  for (const entry of trace) actors.add(entry.actor);
  return [...actors].sort(compareActors);
}

function compareActors(a: string, b: string): number {
  const rankA = actorRank(a);
  const rankB = actorRank(b);
  if (rankA.group !== rankB.group) return rankA.group - rankB.group;
  if (rankA.number !== rankB.number) return rankA.number - rankB.number;
  return a < b ? -1 : a > b ? 1 : 0;
}

/** Clients c1..cN sort by number (c10 after c9), and `net:cN` right after `cN`. */
function actorRank(actor: string): { group: number; number: number } {
  if (actor === 'sim') return { group: 0, number: 0 };
  if (actor === 'server') return { group: 1, number: 0 };
  const client = /^(net:)?c(\d+)$/.exec(actor);
  if (client) return { group: 2, number: Number(client[2]) * 2 + (client[1] ? 1 : 0) };
  if (actor === 'faults') return { group: 3, number: 0 };
  return { group: 4, number: 0 };
}

/** The client a per-client actor belongs to (`c2` for `c2` and `net:c2`), else null. */
export function clientOfActor(actor: string): string | null {
  const match = /^(?:net:)?(c\d+)$/.exec(actor);
  return match ? match[1]! : null;
}
