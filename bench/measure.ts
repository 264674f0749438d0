/**
 * How the benchmark times one piece of work, and how it sums up passes. CPU time of the process
 * (process.cpuUsage) is the figure ratios are taken on: on a machine shared with other processes
 * wall time also counts their turns, CPU time does not. Wall time is kept beside it.
 */
import { setFlagsFromString } from 'node:v8';
import { runInNewContext } from 'node:vm';
import { wallClockMs } from '../sim/core/index.ts';

export interface Cost {
  cpuMs: number;
  wallMs: number;
}

export interface Spread {
  median: number;
  min: number;
  max: number;
}

// The collector is reachable without --expose-gc on the command line, so `npm run bench` needs no flags.
setFlagsFromString('--expose-gc');
const collectGarbage = runInNewContext('gc') as (options: { type: 'minor'; execution: 'sync' }) => void;

export const zeroCost = (): Cost => ({ cpuMs: 0, wallMs: 0 });

export function addCost(total: Cost, cost: Cost): void {
  total.cpuMs += cost.cpuMs;
  total.wallMs += cost.wallMs;
}

/**
 * Runs `work` once and times it. A young-generation collection first: pieces of different kinds
 * are interleaved, and none should pay for the short-lived garbage the one before it left.
 */
export async function measure<T>(work: () => Promise<T> | T): Promise<{ value: T; cost: Cost }> {
  collectGarbage({ type: 'minor', execution: 'sync' });
  const startCpu = process.cpuUsage();
  const startMs = wallClockMs();
  const value = await work();
  const wallMs = wallClockMs() - startMs;
  const cpu = process.cpuUsage(startCpu);
  return { value, cost: { cpuMs: (cpu.user + cpu.system) / 1000, wallMs } };
}

export function spreadOf(values: readonly number[]): Spread {
  const sorted = [...values].sort((a, b) => a - b);
  const middle = sorted.length >> 1;
  const median = sorted.length % 2 === 1 ? sorted[middle]! : (sorted[middle - 1]! + sorted[middle]!) / 2;
  return { median, min: sorted[0]!, max: sorted[sorted.length - 1]! };
}
