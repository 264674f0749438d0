/**
 * `npm run bench`: how fast the simulator is, as ratios (one run of the benchmark; machines
 * differ, ratios travel better than milliseconds). Targets from the design:
 *   (a) default scenario: simulated time at least 10,000x wall time;
 *   (b) cost per trace entry flat (within ~1.5x) from ~1k to ~100k entries per run;
 *   (c) simulator overhead (simulated run wall / the transport's own work for the same history,
 *       driven directly) at most 2x.
 * Not a test: it prints and exits 0 whatever the figures are.
 */
import { resolveScenario } from '../scenarios/load-scenario.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { measureRuns, warmUp, type RunTotals } from './measure-runs.ts';
import { scaledScenario } from './scaled-scenario.ts';

const DEFAULT_RUNS = 20;
/** Scale factors of the default workload that give about 1k, 10k and 100k trace entries per run. */
const SIZES = [
  { label: '~1k', factor: 0.5, runs: 10 },
  { label: '~10k', factor: 2.5, runs: 3 },
  { label: '~100k', factor: 15, runs: 1 },
] as const;
const TARGET_SIM_TO_WALL = 10_000;
const TARGET_FLATNESS = 1.5;
const TARGET_OVERHEAD = 2;

const fixed = (value: number, digits = 1) => value.toFixed(digits);
const verdictText = (totals: RunTotals) => Object.entries(totals.verdicts).map(([verdict, n]) => `${n} ${verdict}`).join(', ');

function row(cells: readonly string[], widths: readonly number[]): string {
  return cells.map((cell, i) => (i === 0 ? cell.padEnd(widths[i]!) : cell.padStart(widths[i]!))).join('  ');
}

function printDefault(totals: RunTotals): number {
  const simToWall = totals.virtualMs / totals.simWallMs;
  const overhead = totals.simWallMs / totals.directWallMs;
  console.log(`(a) default scenario, ${totals.runs} runs (${verdictText(totals)})`);
  console.log(`    runs per second          ${fixed(totals.runs / (totals.simWallMs / 1000))}`);
  console.log(`    simulated : wall         ${fixed(simToWall, 0)}x   (target >= ${TARGET_SIM_TO_WALL}x: ${simToWall >= TARGET_SIM_TO_WALL ? 'met' : 'MISSED'})`);
  console.log(`    mean steps per run       ${fixed(totals.steps / totals.runs, 0)}`);
  console.log(`    mean trace entries       ${fixed(totals.entries / totals.runs, 0)}`);
  console.log(`    simulated : cpu          ${fixed(totals.virtualMs / totals.simCpuMs, 0)}x   (wall and cpu differ when other processes share the cores)`);
  console.log(`    per run                  ${fixed(totals.simWallMs / totals.runs)} ms wall, ${fixed(totals.simCpuMs / totals.runs)} ms cpu (transport alone ${fixed(totals.directWallMs / totals.runs)} ms wall)`);
  return overhead;
}

function printSizes(sized: { label: string; totals: RunTotals }[], defaultOverhead: number): void {
  const widths = [8, 10, 10, 12, 11, 10, 24];
  console.log('');
  console.log('(b) cost per simulated event, (c) simulator overhead');
  console.log(row(['size', 'entries', 'steps', 'us/entry', 'us/step', 'overhead', 'verdicts'], widths));
  for (const { label, totals } of sized) {
    const cells = [label, fixed(totals.entries / totals.runs, 0), fixed(totals.steps / totals.runs, 0), fixed((totals.simWallMs * 1000) / totals.entries, 2), fixed((totals.simWallMs * 1000) / totals.steps, 2), `${fixed(totals.simWallMs / totals.directWallMs, 2)}x`, verdictText(totals)];
    console.log(row(cells, widths));
  }
  const perEntry = sized.map(({ totals }) => totals.simWallMs / totals.entries);
  const flatness = perEntry[perEntry.length - 1]! / perEntry[0]!;
  const overheads = [defaultOverhead, ...sized.map(({ totals }) => totals.simWallMs / totals.directWallMs)];
  const worstOverhead = Math.max(...overheads);
  console.log('');
  console.log(`    per-entry cost ${sized[sized.length - 1]!.label} / ${sized[0]!.label}   ${fixed(flatness, 2)}x   (target <= ${TARGET_FLATNESS}x: ${flatness <= TARGET_FLATNESS ? 'met' : 'MISSED'})`);
  console.log(`    overhead, default        ${fixed(defaultOverhead, 2)}x   (target <= ${TARGET_OVERHEAD}x: ${defaultOverhead <= TARGET_OVERHEAD ? 'met' : 'MISSED'}; worst over all sizes ${fixed(worstOverhead, 2)}x)`);
}

async function main(): Promise<void> {
  const base: Scenario = resolveScenario('default');
  await warmUp(base, 3);
  const defaultTotals = await measureRuns(base, { firstSeed: 1, runs: DEFAULT_RUNS });
  const overhead = printDefault(defaultTotals);
  const sized: { label: string; totals: RunTotals }[] = [];
  for (const size of SIZES) {
    const scenario = scaledScenario(base, size.factor, `default-x${size.factor}`);
    sized.push({ label: size.label, totals: await measureRuns(scenario, { firstSeed: 1, runs: size.runs }) });
  }
  printSizes(sized, overhead);
}

await main();
