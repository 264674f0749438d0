/**
 * What `npm run bench` prints: the figures, each with the spread over passes beside its median
 * (on a shared machine one pass can be a fifth slower than the next) and its target, if any.
 */
import type { CostSplit } from './cost-split.ts';
import type { EntrySlope, SizeCost } from './entry-slope.ts';
import { spreadOf, type Cost, type Spread } from './measure.ts';
import { perRunSpread, type CaseSummary, type Contender, type MeasuredPass, type PassWork } from './peer-comparison.ts';
import { WORKER_COUNTS, type MachineLoop, type WorkerCount, type WorkerScaling } from './worker-scaling.ts';
import type { CliWorkerScaling } from './worker-scaling-cli.ts';

const TARGET_PEER_RATIO = 1;
const TARGET_FLOOR_RATIO = 2.5;
const TARGET_SIM_TO_CPU = 25_000;
/** Flat: the slope between the largest sizes is at most this many times the slope between the smallest. */
const TARGET_SLOPE_FLATNESS = 1.5;
/** Runs per second with two workers over one, on an otherwise idle machine of two cores. */
const TARGET_WORKER_SCALING = 1.7;

const fixed = (value: number, digits = 2) => value.toFixed(digits);
const grouped = (value: number) => Math.round(value).toLocaleString('en-US');
const spreadText = (spread: Spread, show: (value: number) => string) =>
  `${show(spread.median)} (${show(spread.min)}–${show(spread.max)})`;
const verdict = (met: boolean) => (met ? 'met' : 'MISSED');
const verdictText = (verdicts: Record<string, number>) =>
  Object.entries(verdicts)
    .map(([name, n]) => `${n} ${name}`)
    .join(', ');

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
}

/** Prints one line from parts, so that no source line runs past the formatter's width. */
const say = (...parts: string[]) => console.log(parts.join(''));

/** A headline figure: its label, median with spread, and its target with whether it is met. */
function headline(label: string, value: string, target: string, met: boolean): void {
  say(`    ${label.padEnd(28)} ${value}   (target ${target}: ${verdict(met)})`);
}

const CONTENDER_NAMES: Record<Contender, string> = {
  ssesim: 'ssesim run (faults, trace hash, checks)',
  calm: 'the same ssesim run with its faults off',
  peer: 'fake-timers drive of the same workload',
  floor: "floor: the transport's SQLite + JSON",
  floorAll: "floor with the harness's calls too",
};

export function printPeerComparison(summary: CaseSummary, passes: readonly MeasuredPass[], warmUpPasses: number): void {
  const perRun = (name: Contender, of: 'cpuMs' | 'wallMs') => perRunSpread(summary, passes, name, of);
  const ratio = (top: Contender, bottom: Contender) =>
    spreadOf(passes.map(({ cost }) => cost[top].cpuMs / cost[bottom].cpuMs));
  const ratioText = (spread: Spread) => spreadText(spread, (value) => `${fixed(value)}x`);
  say(
    `(a) ssesim against its peer and its floor: default scenario, ${summary.seeds} seeds, `,
    `median (min–max) of ${passes.length} passes after ${warmUpPasses} warm-up passes;`,
  );
  say('    in each pass the five run seed by seed, interleaved; ratios are of CPU time within a pass');
  const widths = [46, 24, 24];
  say(row(['', 'cpu ms per run', 'wall ms per run'], widths));
  for (const name of Object.keys(CONTENDER_NAMES) as Contender[]) {
    const [cpu, wall] = [perRun(name, 'cpuMs'), perRun(name, 'wallMs')];
    say(row([`    ${CONTENDER_NAMES[name]}`, spreadText(cpu, fixed), spreadText(wall, fixed)], widths));
  }
  const peer = ratio('ssesim', 'peer');
  const floor = ratio('ssesim', 'floor');
  const simToCpu = spreadOf(passes.map(({ cost }) => summary.virtualMs / cost.ssesim.cpuMs));
  say('');
  headline(
    'ssesim / fake-timers drive',
    ratioText(peer),
    `<= ${fixed(TARGET_PEER_RATIO, 1)}x`,
    peer.median <= TARGET_PEER_RATIO,
  );
  headline('ssesim / floor', ratioText(floor), `<= ${TARGET_FLOOR_RATIO}x`, floor.median <= TARGET_FLOOR_RATIO);
  const simText = spreadText(simToCpu, (value) => `${grouped(value)}x`);
  headline('simulated : cpu', simText, `>= ${grouped(TARGET_SIM_TO_CPU)}x`, simToCpu.median >= TARGET_SIM_TO_CPU);
  say(
    `    also: ssesim / floor with the harness's calls ${ratioText(ratio('ssesim', 'floorAll'))}; `,
    `fake-timers drive / floor ${ratioText(ratio('peer', 'floor'))}`,
  );
  say(
    `    without faults: ssesim / fake-timers drive ${ratioText(ratio('calm', 'peer'))}, `,
    `ssesim / floor ${ratioText(ratio('calm', 'floor'))}; `,
    `ssesim with faults / without ${ratioText(ratio('ssesim', 'calm'))}`,
  );
  printWork(summary, passes[0]?.work);
}

function printWork(summary: CaseSummary, work: PassWork | undefined): void {
  const each = (value: number, digits = 1) => fixed(value / summary.seeds, digits);
  const mb = (chars: number) => fixed(chars / summary.seeds / 1e6);
  say(
    `    work per run: ${each(summary.virtualMs / 1000, 0)} s simulated, ${each(summary.traceEntries, 0)} trace `,
    `entries; prompts persisted ${each(summary.userMessages)} by ssesim, `,
    `${each(work?.peerUserMessages ?? 0)} by the drive`,
  );
  const { floor, floorAll } = summary;
  say(
    `    floor per run: ${each(floor.sqlCalls, 0)} SQLite calls, ${each(floor.jsonCalls, 0)} JSON calls `,
    `(${mb(floor.jsonChars)} MB) by the transport; with the harness's ${each(floorAll.sqlCalls, 0)} and `,
    `${each(floorAll.jsonCalls, 0)} (${mb(floorAll.jsonChars)} MB)`,
  );
  if (!work) return;
  say(
    `    ssesim verdicts in a pass: ${verdictText(work.verdicts)}; without faults ${verdictText(work.calmVerdicts)}, `,
    `${each(work.calmTraceEntries, 0)} trace entries per run`,
  );
}

export function printCostSplit(split: CostSplit, summary: CaseSummary, passes: readonly MeasuredPass[]): void {
  const percent = (us: number) => `${fixed((100 * us) / split.totalUs, 1)}%`;
  const simulatorUs = split.totalUs - split.transportUs - split.unownedUs;
  say(
    `    where an ssesim run's time goes (CPU profile of the same seeds): transport code `,
    `${percent(split.transportUs)}, simulator ${percent(simulatorUs)}, no frame (GC, event loop) `,
    percent(split.unownedUs),
  );
  printHarnessBudget(split, summary, passes);
}

/**
 * The transport's part of a run is work the run's faults make the transport itself do, which no
 * harness that injects them can spare it: with nothing around it, how close would a run come to
 * each target, and how much of a run would each target leave to the whole harness?
 */
function printHarnessBudget(split: CostSplit, summary: CaseSummary, passes: readonly MeasuredPass[]): void {
  const cpuPerRun = (name: Contender) => perRunSpread(summary, passes, name, 'cpuMs').median;
  const ssesimMs = cpuPerRun('ssesim');
  const share = split.transportUs / split.totalUs;
  const transportMs = share * ssesimMs;
  const [peerMs, floorMs] = [cpuPerRun('peer'), cpuPerRun('floor')];
  const virtualMsPerRun = summary.virtualMs / summary.seeds;
  const ms = (value: number) => `${fixed(value)} ms`;
  say(
    `    the transport's part, ${fixed(100 * share, 1)}% of ${ms(ssesimMs)} = `,
    `${ms(transportMs)} per run; were it all, a run would be ${fixed(transportMs / peerMs)}x the drive, `,
    `${fixed(transportMs / floorMs)}x the floor, ${grouped(virtualMsPerRun / transportMs)}x simulated : cpu`,
  );
  say(
    `    what the three targets leave per run to the whole harness (network, browser, faults, trace, checks; `,
    `now ${ms(ssesimMs - transportMs)}): ${ms(TARGET_PEER_RATIO * peerMs - transportMs)}, `,
    `${ms(TARGET_FLOOR_RATIO * floorMs - transportMs)}, ${ms(virtualMsPerRun / TARGET_SIM_TO_CPU - transportMs)}`,
  );
}

export function printEntrySlopes(
  { sizes, slopes }: { sizes: SizeCost[]; slopes: EntrySlope[] },
  passes: number,
  large: boolean,
): void {
  const widths = [10, 10, 10, 26, 10, 16];
  say('');
  say(`(b) cost by run length: CPU time, median (min–max) of ${passes} interleaved passes`);
  say(row(['    size', 'entries', 'steps', 'cpu ms per run', 'us/entry', 'verdicts'], widths));
  for (const size of sizes) {
    const cells = [
      `    ${size.label}`,
      fixed(size.entriesPerRun, 0),
      fixed(size.stepsPerRun, 0),
      spreadText(size.cpuMsPerRun, (value) => fixed(value, 1)),
      fixed((size.cpuMsPerRun.median * 1000) / size.entriesPerRun),
      verdictText(size.verdicts),
    ];
    say(row(cells, widths));
  }
  say('    cost of one more trace entry between two sizes (the slope; the fixed cost of a run drops out):');
  for (const slope of slopes) {
    const text = spreadText(slope.cpuUsPerEntry, (value) => fixed(value));
    say(`    ${`${slope.from} -> ${slope.to}`.padEnd(18)} ${text} us   (fixed cost ${fixed(slope.fixedCpuMs, 1)} ms)`);
  }
  const first = slopes[0]!;
  const last = slopes[slopes.length - 1]!;
  const flatness = last.cpuUsPerEntry.median / first.cpuUsPerEntry.median;
  const label = `slope ${last.from} -> ${last.to} / ${first.from} -> ${first.to}`;
  headline(label, `${fixed(flatness)}x`, `<= ${TARGET_SLOPE_FLATNESS}x`, flatness <= TARGET_SLOPE_FLATNESS);
  if (!large) say('    (`npm run bench -- --large` measures up to ~1M entries per run)');
}

const msText = (values: number[]) => spreadText(spreadOf(values), (value) => fixed(value, 0));

/** Runs per second of campaigns of `runs` runs each, by their wall time. */
const runsPerSecond = (runs: number, costs: readonly Cost[]) =>
  spreadOf(costs.map((cost) => (runs * 1000) / cost.wallMs));

/** Runs per second, wall and CPU time per worker count, and the ratio of runs per second against the target. */
function printWorkerTable(runs: number, campaigns: Record<WorkerCount, Cost[]>): void {
  const perSec = (workers: WorkerCount) => runsPerSecond(runs, campaigns[workers]);
  const widths = [34, 24, 24, 24];
  say(row(['', 'runs/s', 'wall ms', 'cpu ms (all threads)'], widths));
  for (const workers of WORKER_COUNTS) {
    const costs = campaigns[workers];
    const cells = [`    --workers ${workers}`, spreadText(perSec(workers), (value) => fixed(value, 1))];
    say(row([...cells, msText(costs.map((c) => c.wallMs)), msText(costs.map((c) => c.cpuMs))], widths));
  }
  const ratio = spreadOf(campaigns[2].map((two, pass) => campaigns[1][pass]!.wallMs / two.wallMs));
  const ratioText = spreadText(ratio, (value) => `${fixed(value)}x`);
  headline('runs/s, workers 2 / 1', ratioText, `>= ${TARGET_WORKER_SCALING}x`, ratio.median >= TARGET_WORKER_SCALING);
  // The same runs either way: CPU that grows with the second worker is time its runs spent
  // waiting on what the cores share.
  const cpuRatio = spreadOf(campaigns[2].map((two, pass) => two.cpuMs / campaigns[1][pass]!.cpuMs));
  say(`    cpu for the same runs, workers 2 / 1  ${spreadText(cpuRatio, (value) => `${fixed(value)}x`)}`);
}

export function printWorkerScaling(scaling: WorkerScaling, cores: number): void {
  const { runs, passes, campaigns, small } = scaling;
  say('');
  say(
    `(c) workers: a campaign of ${runs} generated runs on version fixed (${verdictText(scaling.verdicts)}), `,
    `no shrinking; median (min–max) of ${passes} interleaved passes; ${cores} cores, `,
    `load average ${fixed(scaling.loadBefore)} before, ${fixed(scaling.loadAfter)} after`,
  );
  printWorkerTable(runs, campaigns);
  const machine = (loop: MachineLoop) =>
    spreadText(spreadOf(scaling.machineScaling[loop]), (value) => `${fixed(value)}x`);
  const arithmetic = machine('arithmetic');
  say(`    the machine meanwhile: a loop of pure arithmetic on two threads does ${arithmetic} what it does on one,`);
  say(`    a loop allocating short-lived objects ${machine('allocation')},`);
  say(`    a loop streaming through 8 MiB, past a core's own cache ${machine('memory')}`);
  const startUp = scaling.startUps;
  say(
    `    a worker thread's start to its first result ${msText(startUp.map((s) => s.firstResultMs))} ms wall, `,
    `of which the run itself ${msText(startUp.map((s) => s.runMs))} ms`,
  );
  const extra = (of: 'wallMs' | 'cpuMs') => msText(small.costs[2].map((two, i) => two[of] - small.costs[1][i]![of]));
  say(
    `    pool's fixed cost: a ${small.runs}-run campaign with 2 workers takes ${extra('wallMs')} ms more wall `,
    `and ${extra('cpuMs')} ms more cpu than with 1 (${msText(small.costs[1].map((c) => c.wallMs))} ms wall)`,
  );
  say(`    outcomes (seed, verdict, trace hash per index) across all campaigns: `, identicalText(scaling.difference));
}

export function printCliWorkerScaling(scaling: CliWorkerScaling | null): void {
  say('');
  if (scaling === null) {
    say('(c2) workers as a user runs them: skipped, dist/ is missing or older than the sources (npm run build)');
    return;
  }
  const { runs, passes, campaigns } = scaling;
  say(
    `(c2) workers as a user runs them: \`node dist/cli.js fuzz --runs ${runs} --workers K\` on fixed, `,
    `each campaign a fresh process (start-up and compiling included); median (min–max) of ${passes} interleaved passes`,
  );
  printWorkerTable(runs, campaigns);
  printWorkerLimits(scaling);
  const failures = new Set(scaling.failures);
  say(
    `    failures per campaign: ${[...failures].join(', ')}${failures.size === 1 ? ' in every one' : ' (they DIFFER)'}`,
  );
}

/**
 * Two limits beside the pool. The same runs as two processes that share nothing but the machine
 * (`--shard 1/2` and `2/2` at once): whether a pool of processes would do better than threads.
 * And the cores one worker's process keeps busy, since V8's collector and compiler run on threads
 * of their own: two cores give at most 2 / that many cores' worth, as long as the same runs take
 * the same CPU time, however the pool is built.
 */
function printWorkerLimits({ runs, campaigns, shards }: CliWorkerScaling): void {
  const one = campaigns[1];
  const perSec = spreadText(runsPerSecond(runs, shards), (value) => fixed(value, 1));
  const ratio = (of: (pass: number) => number) =>
    spreadText(spreadOf(shards.map((_, pass) => of(pass))), (value) => `${fixed(value)}x`);
  say(
    `    the same runs as two --workers 1 processes at once (--shard 1/2 and 2/2): ${perSec} runs/s, `,
    `cpu ${msText(shards.map((cost) => cost.cpuMs))} ms; over --workers 1 `,
    ratio((pass) => one[pass]!.wallMs / shards[pass]!.wallMs),
    `, --workers 2 over them ${ratio((pass) => shards[pass]!.wallMs / campaigns[2][pass]!.wallMs)}`,
  );
  const coresBusy = spreadOf(one.map((cost) => cost.cpuMs / cost.wallMs));
  const coresText = spreadText(coresBusy, (value) => fixed(value));
  say(
    `    cores one --workers 1 process keeps busy (its cpu / its wall) ${coresText}: `,
    `for the same cpu, two cores give at most ${fixed(2 / coresBusy.median)}x its runs/s`,
  );
}

const identicalText = (difference: string | null) =>
  difference === null ? 'identical' : `DIFFER, first at ${difference}`;
