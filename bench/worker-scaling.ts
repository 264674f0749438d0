/**
 * Whether a campaign's runs per second grow with its worker count: the same campaign (generated
 * scenarios on the passing version, so the main thread has no failures to rerun, and no
 * shrinking) with one thread and with two, interleaved over passes, the order alternating so that
 * neither always runs second on a warmer process. process.cpuUsage counts every thread of the
 * process, worker threads included. Also the pool's fixed cost: how long a worker thread takes
 * from its start to its first result, and what a two-run campaign costs with two workers against
 * one, where start-up is nearly all there is. The outcomes of every campaign must agree index by
 * index, whatever its worker count. Beside them, what two threads of the machine give at the time:
 * a loop of pure arithmetic on two threads at once against one, the most two workers could reach,
 * a loop that allocates short-lived objects as a run does, whose young generation streams
 * through memory and caches the two cores share: the most two workers reach without allocating
 * less; and a loop that only streams through 8 MiB, past a core's own cache, which says what the
 * memory bandwidth the cores share gives two threads over one.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { loadavg, tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import { runCampaign, WorkerPool, type CampaignResult } from '../sim/campaign/index.ts';
import { runVersionOf } from '../sim/index.ts';
import { resolveVersion } from '../transport/index.ts';
import { measure, type Cost } from './measure.ts';

export type WorkerCount = 1 | 2;
export const WORKER_COUNTS: readonly WorkerCount[] = [1, 2];

export interface WorkerScaling {
  runs: number;
  passes: number;
  /** Per pass, each worker count's campaign. */
  campaigns: Record<WorkerCount, Cost[]>;
  /** Per pass, a worker thread's start to its first result, and that run's own time. */
  startUps: { firstResultMs: number; runMs: number }[];
  /** Per pass, a campaign of SMALL_RUNS runs, where the pool's start-up is nearly all the work. */
  small: { runs: number; costs: Record<WorkerCount, Cost[]> };
  /** Per pass and loop, the work two threads do at once over one thread's in the same time. */
  machineScaling: Record<MachineLoop, number[]>;
  /** The first index whose seed, verdict or trace hash differs between two campaigns; null if none. */
  difference: string | null;
  verdicts: Record<string, number>;
  /** The 1-minute load average before and after: other processes' turns count in wall time. */
  loadBefore: number;
  loadAfter: number;
}

const SMALL_RUNS = 2;
export type MachineLoop = 'arithmetic' | 'allocation' | 'memory';
/** Each loop's body as a worker thread, and its iterations: about half a second on one thread. */
const MACHINE_LOOPS: Record<MachineLoop, { source: string; iterations: number }> = {
  arithmetic: {
    iterations: 100_000_000,
    source: `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (n) => {
  let x = 0;
  for (let i = 0; i < n; i++) x = (x * 1664525 + 1013904223 + i) | 0;
  parentPort.postMessage(x);
});
`,
  },
  // Objects that mostly die young, one in 64 kept a while: the mix a run's frames and entries make.
  allocation: {
    iterations: 20_000_000,
    source: `
const { parentPort } = require('node:worker_threads');
parentPort.on('message', (n) => {
  let kept = [];
  let x = 0;
  for (let i = 0; i < n; i++) {
    const item = { at: i, name: 'k' + (i & 1023), pair: [i, i + 1] };
    if ((i & 63) === 0) kept.push(item);
    if (kept.length > 20000) kept = [];
    x += item.pair[1];
  }
  parentPort.postMessage(x);
});
`,
  },
  // Fills 8 MiB and copies one half over the other, over and over: native memset and memmove,
  // bandwidth and little else.
  memory: {
    iterations: 1000,
    source: `
const { parentPort } = require('node:worker_threads');
const values = new Float64Array(1 << 20);
parentPort.on('message', (n) => {
  for (let round = 0; round < n; round++) {
    values.fill(round);
    values.copyWithin(0, values.length / 2);
  }
  parentPort.postMessage(values[0]);
});
`,
  },
};
/** Every machine loop, in the order they are measured and printed. */
const MACHINE_LOOP_NAMES = Object.keys(MACHINE_LOOPS) as MachineLoop[];
const WARM_UP_RUNS = 20;

const version = runVersionOf(resolveVersion('fixed', []));
const SPEC = { version, baseSeed: 1 };

function campaignOf(runs: number, workers: WorkerCount, outDir: string): Promise<CampaignResult> {
  return runCampaign({ ...SPEC, runs, workers, shrinkRuns: 0, culpritRuns: 0, outDir });
}

/** Per index: what must not depend on the worker count. */
const outcomeKeys = (result: CampaignResult) =>
  result.outcomes.map(({ index, seed, verdict, traceHash }) => `${index} ${seed} ${verdict} ${traceHash}`);

function firstDifference(a: readonly string[], b: readonly string[]): string | null {
  for (let i = 0; i < Math.max(a.length, b.length); i++)
    if (a[i] !== b[i]) return `${a[i] ?? '(none)'} against ${b[i] ?? '(none)'}`;
  return null;
}

/** A lone worker thread of a new pool, from its start to its first result. */
async function startUp(): Promise<{ firstResultMs: number; runMs: number }> {
  const pool = new WorkerPool(SPEC, 1);
  try {
    const { value, cost } = await measure(() => pool.run(0));
    return { firstResultMs: cost.wallMs, runMs: value.outcome.wallMs };
  } finally {
    await pool.close();
  }
}

/** Two threads' work over one's on a loop: 2 on two free cores, 1 when they take turns on one. */
async function machineScaling(loop: MachineLoop): Promise<number> {
  const { source, iterations } = MACHINE_LOOPS[loop];
  const threads = [new Worker(source, { eval: true }), new Worker(source, { eval: true })];
  const spin = (thread: Worker) =>
    new Promise<void>((resolve) => {
      thread.once('message', () => resolve());
      thread.postMessage(iterations);
    });
  try {
    await Promise.all(threads.map(spin));
    const one = await measure(() => spin(threads[0]!));
    const two = await measure(() => Promise.all(threads.map(spin)));
    return (2 * one.cost.wallMs) / two.cost.wallMs;
  } finally {
    await Promise.all(threads.map((thread) => thread.terminate()));
  }
}

export async function measureWorkerScaling(runs: number, passes: number): Promise<WorkerScaling> {
  const outDir = mkdtempSync(join(tmpdir(), 'ssesim-workers-'));
  const loadBefore = loadavg()[0]!;
  const scaling: Omit<WorkerScaling, 'difference' | 'verdicts' | 'loadAfter'> = {
    runs,
    passes,
    loadBefore,
    campaigns: { 1: [], 2: [] },
    startUps: [],
    machineScaling: { arithmetic: [], allocation: [], memory: [] },
    small: { runs: SMALL_RUNS, costs: { 1: [], 2: [] } },
  };
  const keys: string[][] = [];
  let verdicts: Record<string, number> = {};
  try {
    await campaignOf(WARM_UP_RUNS, 1, outDir);
    for (let pass = 0; pass < passes; pass++) {
      const order = pass % 2 === 0 ? WORKER_COUNTS : [...WORKER_COUNTS].reverse();
      for (const workers of order) {
        const { value, cost } = await measure(() => campaignOf(runs, workers, outDir));
        scaling.campaigns[workers].push(cost);
        keys.push(outcomeKeys(value));
        verdicts = {};
        for (const outcome of value.outcomes) verdicts[outcome.verdict] = (verdicts[outcome.verdict] ?? 0) + 1;
      }
      for (const workers of order)
        scaling.small.costs[workers].push((await measure(() => campaignOf(SMALL_RUNS, workers, outDir))).cost);
      scaling.startUps.push(await startUp());
      for (const loop of MACHINE_LOOP_NAMES)
        scaling.machineScaling[loop].push(await machineScaling(loop));
    }
  } finally {
    rmSync(outDir, { recursive: true, force: true });
  }
  const difference = keys.map((k) => firstDifference(keys[0]!, k)).find((d) => d !== null) ?? null;
  return { ...scaling, difference, verdicts, loadAfter: loadavg()[0]! };
}
