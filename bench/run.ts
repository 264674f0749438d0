/**
 * `npm run bench` (`npm run bench -- --large` adds runs of about a million trace entries): how
 * fast the simulator is, as ratios from one run of the benchmark, since machines differ and
 * ratios taken within one process travel better than milliseconds. The design's targets:
 *   (a) a whole default-scenario run (faults, trace hash, checks) costs no more CPU than the
 *       fake-timers drive of the same transport classes over the same workload (its peer, what an
 *       app's own test suite would do instead), and at most 2.5x the floor, the run's SQLite and
 *       JSON work alone; and simulates at least 25,000 times faster than it spends CPU;
 *   (b) the cost per trace entry is flat from about 1k to about 1M entries per run: the slope of
 *       cost over entries between small sizes matches the slope between large ones;
 *   (c) `--workers 2` makes at least 1.7 times the runs per second of `--workers 1` on an
 *       otherwise idle machine of two cores, with the same outcomes (`npm run bench -- --workers`
 *       measures this alone).
 * Not a test: it prints and exits 0 whatever the figures are.
 */
import { resolveScenario, type Scenario } from '../scenarios/index.ts';
import { runScenario } from '../sim/index.ts';
import { resolveVersion } from '../transport/index.ts';
import { profileCostSplit } from './cost-split.ts';
import { measureEntrySlopes, type SizeSpec } from './entry-slope.ts';
import { comparePass, prepareCases, summarize, type MeasuredPass } from './peer-comparison.ts';
import {
  printCliWorkerScaling,
  printCostSplit,
  printEntrySlopes,
  printPeerComparison,
  printWorkerScaling,
} from './report.ts';
import { measureWorkerScaling } from './worker-scaling.ts';
import { measureCliWorkerScaling } from './worker-scaling-cli.ts';
import { availableParallelism } from 'node:os';

/** Seeds of the default scenario every pass goes over. */
const SEEDS = 20;
/** Passes before any is counted: the JIT compiles the hot paths of all three contenders meanwhile. */
const WARM_UP_PASSES = 2;
const PASSES = 9;
/** Scale factors of the default workload that give about 1k, 10k, 100k and 200k trace entries per run. */
const SIZES: SizeSpec[] = [
  { label: '~1k', factor: 0.5, runs: 16 },
  { label: '~10k', factor: 2.5, runs: 4 },
  { label: '~100k', factor: 15, runs: 2 },
  { label: '~200k', factor: 30, runs: 1 },
];
/** With --large the largest size is about a million entries (several seconds a run). */
const LARGE_SIZES: SizeSpec[] = [...SIZES.slice(0, 3), { label: '~1M', factor: 120, runs: 1 }];
const SLOPE_PASSES = 5;
/** Runs of the workers campaign: a few seconds with one worker. */
const WORKER_CAMPAIGN_RUNS = 300;
const WORKER_PASSES = 3;
/** Runs of each campaign process: long enough that start-up is not most of it, as in a real campaign. */
const CLI_WORKER_CAMPAIGN_RUNS = 1000;

async function comparePeers(base: Scenario): Promise<void> {
  const version = resolveVersion('fixed');
  const seeds = Array.from({ length: SEEDS }, (_, i) => i + 1);
  const cases = await prepareCases(base, version, seeds);
  for (let pass = 0; pass < WARM_UP_PASSES; pass++) await comparePass(base, version, cases, pass);
  const passes: MeasuredPass[] = [];
  for (let pass = 0; pass < PASSES; pass++) passes.push(await comparePass(base, version, cases, pass));
  const summary = summarize(cases);
  printPeerComparison(summary, passes, WARM_UP_PASSES);
  const split = await profileCostSplit(async () => {
    for (const seed of seeds) await runScenario({ scenario: base, seed, version, trace: 'hash' });
  });
  printCostSplit(split, summary, passes);
}

async function main(): Promise<void> {
  const large = process.argv.includes('--large');
  if (!process.argv.includes('--workers')) await measureOneThread(large);
  const scaling = await measureWorkerScaling(WORKER_CAMPAIGN_RUNS, WORKER_PASSES);
  printWorkerScaling(scaling, availableParallelism());
  printCliWorkerScaling(await measureCliWorkerScaling(CLI_WORKER_CAMPAIGN_RUNS, WORKER_PASSES));
}

async function measureOneThread(large: boolean): Promise<void> {
  const base = resolveScenario('default');
  await comparePeers(base);
  const sizes = large ? LARGE_SIZES : SIZES;
  const slopes = await measureEntrySlopes(base, resolveVersion('fixed'), sizes, SLOPE_PASSES);
  printEntrySlopes(slopes, SLOPE_PASSES, large);
}

await main();
