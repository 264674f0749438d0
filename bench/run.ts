/**
 * `npm run bench`: how fast the simulator is, as ratios (one run of the benchmark; machines
 * differ, ratios travel better than milliseconds). Targets from the design:
 *   (a) default scenario: simulated time at least 10,000x wall time;
 *   (b) cost per trace entry flat (within ~1.5x) from ~1k to ~100k entries per run;
 *   (c) the simulator's own overhead at most 2x the cost of the transport's own work for the same
 *       history. Measured two ways: a CPU profile of the very runs, split between transport code
 *       and the rest (cost-split.ts), which the target is judged on; and the transport driven
 *       directly with the run's workload and no simulator (transport-direct.ts), an estimate.
 * Not a test: it prints and exits 0 whatever the figures are.
 */
import { resolveScenario } from '../scenarios/index.ts';
import type { Scenario } from '../scenarios/index.ts';
import { measureRuns, profileRuns, warmUp, withDirectCost, type RunTotals } from './measure-runs.ts';
import type { CostSplit } from './cost-split.ts';
import { scaledScenario } from './scaled-scenario.ts';

const DEFAULT_RUNS = 20;
/**
 * Passes over the same default seeds. The same work each time, so passes differ only by what else
 * the machine did meanwhile; the median pass is reported, and the spread shows the noise.
 */
const DEFAULT_PASSES = 7;
/** Runs before anything is timed: a campaign spends nearly all its time past this point. */
const WARM_UP_RUNS = 20;
/** Scale factors of the default workload that give about 1k, 10k and 100k trace entries per run. */
const SIZES = [
  { label: '~1k', factor: 0.5, runs: 10 },
  { label: '~10k', factor: 2.5, runs: 3 },
  { label: '~100k', factor: 15, runs: 2 },
] as const;
const TARGET_SIM_TO_WALL = 10_000;
const TARGET_FLATNESS = 1.5;
const TARGET_OVERHEAD = 2;

const fixed = (value: number, digits = 1) => value.toFixed(digits);
const percent = (part: number, whole: number) => `${fixed((100 * part) / whole)}%`;
/** What the simulator (with the time no frame owns) costs per unit of the transport's own work. */
const overheadOf = (split: CostSplit) => (split.totalUs - split.transportUs) / split.transportUs;
const verdictText = (totals: RunTotals) =>
  Object.entries(totals.verdicts)
    .map(([verdict, n]) => `${n} ${verdict}`)
    .join(', ');

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
}

const simToWallOf = (totals: RunTotals) => totals.virtualMs / totals.simWallMs;

function printDefault(passes: readonly RunTotals[], cold: RunTotals): RunTotals {
  const byRatio = [...passes].sort((a, b) => simToWallOf(a) - simToWallOf(b));
  const totals = byRatio[Math.floor(byRatio.length / 2)]!;
  const simToWall = simToWallOf(totals);
  console.log(
    `(a) default scenario, ${totals.runs} runs, median of ${passes.length} passes over the same seeds, after ${cold.runs} warm-up runs (${verdictText(totals)})`,
  );
  console.log(`    runs per second          ${fixed(totals.runs / (totals.simWallMs / 1000))}`);
  console.log(
    `    simulated : wall         ${fixed(simToWall, 0)}x   (target >= ${TARGET_SIM_TO_WALL}x: ${simToWall >= TARGET_SIM_TO_WALL ? 'met' : 'MISSED'}; passes ${fixed(simToWallOf(byRatio[0]!), 0)}x to ${fixed(simToWallOf(byRatio.at(-1)!), 0)}x)`,
  );
  console.log(`    mean steps per run       ${fixed(totals.steps / totals.runs, 0)}`);
  console.log(`    mean trace entries       ${fixed(totals.entries / totals.runs, 0)}`);
  console.log(
    `    simulated : cpu          ${fixed(totals.virtualMs / totals.simCpuMs, 0)}x   (wall and cpu differ when other processes share the cores)`,
  );
  console.log(
    `    per run                  ${fixed(totals.simWallMs / totals.runs)} ms wall, ${fixed(totals.simCpuMs / totals.runs)} ms cpu`,
  );
  console.log(
    `    first ${cold.runs} runs of the process ${fixed(cold.virtualMs / cold.simWallMs, 0)}x, ${fixed(cold.simWallMs / cold.runs)} ms per run   (the JIT still compiling: a single \`run\` pays this)`,
  );
  return totals;
}

function printSplit(split: CostSplit, totals: RunTotals): void {
  const overhead = overheadOf(split);
  const simulatorUs = split.totalUs - split.transportUs - split.unownedUs;
  const direct = totals.simWallMs / totals.directWallMs;
  console.log('');
  console.log('(c) where the time of those runs goes (CPU profile of the same runs)');
  console.log(
    `    transport's own work     ${percent(split.transportUs, split.totalUs).padStart(6)}   routes, SQLite, SSE framing, client classes, the JSON they parse and write`,
  );
  console.log(
    `    simulator                ${percent(simulatorUs, split.totalUs).padStart(6)}   network, world, trace, property checks`,
  );
  console.log(
    `    owned by no frame        ${percent(split.unownedUs, split.totalUs).padStart(6)}   garbage collection, event-loop turns: charged to the simulator`,
  );
  console.log(
    `    simulator overhead       ${fixed(overhead, 2)}x the transport's own work   (target <= ${TARGET_OVERHEAD}x: ${overhead <= TARGET_OVERHEAD ? 'met' : 'MISSED'}; whole run ${fixed(overhead + 1, 2)}x)`,
  );
  console.log(
    `    transport driven directly with the run's workload, no simulator: whole run ${fixed(direct, 2)}x it (${fixed(totals.directWallMs / totals.runs)} ms per run;`,
  );
  console.log('    an estimate: it leaves out control messages, history fetches, crashes and the client classes');
  console.log('    around delivery, so it errs high)');
}

function printSizes(sized: { label: string; totals: RunTotals; split: CostSplit }[]): void {
  const widths = [8, 10, 10, 10, 10, 10, 10, 20];
  console.log('');
  console.log('(b) cost per simulated event, and (c) overhead by size');
  console.log(row(['size', 'entries', 'steps', 'us/entry', 'us/step', 'overhead', 'run/direct', 'verdicts'], widths));
  for (const { label, totals, split } of sized) {
    const cells = [
      label,
      fixed(totals.entries / totals.runs, 0),
      fixed(totals.steps / totals.runs, 0),
      fixed((totals.simWallMs * 1000) / totals.entries, 2),
      fixed((totals.simWallMs * 1000) / totals.steps, 2),
      `${fixed(overheadOf(split), 2)}x`,
      `${fixed(totals.simWallMs / totals.directWallMs, 2)}x`,
      verdictText(totals),
    ];
    console.log(row(cells, widths));
  }
  const perEntry = sized.map(({ totals }) => totals.simWallMs / totals.entries);
  const flatness = perEntry[perEntry.length - 1]! / perEntry[0]!;
  const worstOverhead = Math.max(...sized.map(({ split }) => overheadOf(split)));
  console.log('');
  console.log(
    `    per-entry cost ${sized[sized.length - 1]!.label} / ${sized[0]!.label}   ${fixed(flatness, 2)}x   (target <= ${TARGET_FLATNESS}x: ${flatness <= TARGET_FLATNESS ? 'met' : 'MISSED'})`,
  );
  console.log(
    `    worst overhead by size   ${fixed(worstOverhead, 2)}x the transport's own work   (target <= ${TARGET_OVERHEAD}x: ${worstOverhead <= TARGET_OVERHEAD ? 'met' : 'MISSED'})`,
  );
}

async function main(): Promise<void> {
  const base: Scenario = resolveScenario('default');
  const cold = await warmUp(base, WARM_UP_RUNS);
  const seeds = { firstSeed: 1, runs: DEFAULT_RUNS };
  const passes: RunTotals[] = [];
  for (let pass = 0; pass < DEFAULT_PASSES; pass++) passes.push(await measureRuns(base, seeds));
  // Every pass has the same workloads, so the transport is driven directly for one of them only.
  const defaultTotals = await withDirectCost(printDefault(passes, cold));
  printSplit(await profileRuns(base, seeds), defaultTotals);
  const sized: { label: string; totals: RunTotals; split: CostSplit }[] = [];
  for (const size of SIZES) {
    const scenario = scaledScenario(base, size.factor, `default-x${size.factor}`);
    const sizeSeeds = { firstSeed: 1, runs: size.runs };
    sized.push({
      label: size.label,
      totals: await withDirectCost(await measureRuns(scenario, sizeSeeds)),
      split: await profileRuns(scenario, sizeSeeds),
    });
  }
  printSizes(sized);
}

await main();
