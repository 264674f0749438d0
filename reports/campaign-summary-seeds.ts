/**
 * The seeds a campaign ran, in words. A shard runs every Nth seed, so "seeds 2..34" for shard 2/3
 * of 100 runs would name seeds it never ran; the text comes from the seeds themselves.
 */
import type { CampaignSummary } from './campaign-summary.ts';

/** Seeds written out in full up to this many; past it, a step or a range. */
const LISTED_SEEDS_MAX = 6;

/** `seeds 1..100`, `seeds 2, 5, 8, ..., 98 (every 3rd)`, `seed 7`, `no seeds`. */
export function seedsText(summary: Pick<CampaignSummary, 'results' | 'seedStart' | 'runs'>): string {
  const seeds = summary.results.map((run) => run.seed).sort((a, b) => a - b);
  if (seeds.length === 0 && summary.runs > 0)
    return `seeds ${summary.seedStart}..${summary.seedStart + summary.runs - 1}`;
  if (seeds.length === 0) return 'no seeds';
  const first = seeds[0]!;
  const last = seeds[seeds.length - 1]!;
  if (seeds.length === 1) return `seed ${first}`;
  const step = seeds[1]! - first;
  const even = seeds.every((seed, i) => seed === first + i * step);
  if (even && step === 1) return `seeds ${first}..${last}`;
  if (seeds.length <= LISTED_SEEDS_MAX) return `seeds ${seeds.join(', ')}`;
  if (even) return `seeds ${first}, ${first + step}, ${first + 2 * step}, ..., ${last} (every ${ordinal(step)})`;
  return `${seeds.length} seeds from ${first} to ${last}`;
}

function ordinal(n: number): string {
  const tens = n % 100;
  if (tens >= 11 && tens <= 13) return `${n}th`;
  return `${n}${({ 1: 'st', 2: 'nd', 3: 'rd' } as Record<number, string>)[n % 10] ?? 'th'}`;
}
