/**
 * Whether the cost of a run grows in proportion to its length. Runs of the default scenario scaled
 * to several sizes are timed (CPU) in interleaved passes; the cost is read as cost = a + b·entries,
 * with b, the cost of one more trace entry, taken between two sizes: (cost₂ − cost₁) / (entries₂ −
 * entries₁). The fixed part a (building a world, compiling statements, checking the end) drops
 * out, so b between small sizes and b between large sizes are comparable; flat means they agree.
 */
import type { Scenario } from '../scenarios/index.ts';
import { runScenario } from '../sim/index.ts';
import type { TransportVersion } from '../transport/index.ts';
import { measure, spreadOf, type Spread } from './measure.ts';
import { scaledScenario } from './scaled-scenario.ts';

export interface SizeSpec {
  label: string;
  /** Scale factor of the default workload (scaledScenario). */
  factor: number;
  /** Seeds run at this size in every pass: enough that the small sizes' time is not all noise. */
  runs: number;
}

export interface SizeCost {
  label: string;
  entriesPerRun: number;
  stepsPerRun: number;
  /** Median over passes of the mean CPU time of a run. */
  cpuMsPerRun: Spread;
  verdicts: Record<string, number>;
}

export interface EntrySlope {
  from: string;
  to: string;
  /** CPU microseconds per extra trace entry, median and spread over passes. */
  cpuUsPerEntry: Spread;
  /** The fixed cost a of a run, from the same two sizes. */
  fixedCpuMs: number;
}

interface SizeRuns {
  spec: SizeSpec;
  scenario: Scenario;
  entries: number;
  steps: number;
  verdicts: Record<string, number>;
  /** Mean CPU ms per run, one value per pass. */
  cpuMsByPass: number[];
}

async function timeSize(size: SizeRuns, version: TransportVersion, firstPass: boolean): Promise<void> {
  let cpuMs = 0;
  for (let seed = 1; seed <= size.spec.runs; seed++) {
    const { value: result, cost } = await measure(() =>
      runScenario({ scenario: size.scenario, seed, version, trace: 'hash' }),
    );
    cpuMs += cost.cpuMs;
    if (!firstPass) continue;
    size.entries += result.traceLength;
    size.steps += result.steps;
    size.verdicts[result.verdict] = (size.verdicts[result.verdict] ?? 0) + 1;
  }
  size.cpuMsByPass.push(cpuMs / size.spec.runs);
}

/** Times every size in each of `passes` passes (the same seeds each time) and fits the slopes. */
export async function measureEntrySlopes(
  base: Scenario,
  version: TransportVersion,
  specs: readonly SizeSpec[],
  passes: number,
): Promise<{ sizes: SizeCost[]; slopes: EntrySlope[] }> {
  const sizes: SizeRuns[] = specs.map((spec) => ({
    spec,
    scenario: scaledScenario(base, spec.factor, `default-x${spec.factor}`),
    entries: 0,
    steps: 0,
    verdicts: {},
    cpuMsByPass: [],
  }));
  for (let pass = 0; pass < passes; pass++) {
    // Smallest first one pass, largest first the next: a slow stretch of the machine spreads over both ends.
    const order = pass % 2 === 0 ? sizes : [...sizes].reverse();
    for (const size of order) await timeSize(size, version, pass === 0);
  }
  const costs = sizes.map((size) => ({
    label: size.spec.label,
    entriesPerRun: size.entries / size.spec.runs,
    stepsPerRun: size.steps / size.spec.runs,
    cpuMsPerRun: spreadOf(size.cpuMsByPass),
    verdicts: size.verdicts,
  }));
  const slopes = sizes.slice(1).map((to, i) => slopeBetween(sizes[i]!, to));
  return { sizes: costs, slopes };
}

function slopeBetween(from: SizeRuns, to: SizeRuns): EntrySlope {
  const fromEntries = from.entries / from.spec.runs;
  const extraEntries = to.entries / to.spec.runs - fromEntries;
  // Within one pass, so both sizes saw the same stretch of the machine's load.
  const byPass = from.cpuMsByPass.map((fromMs, pass) => ((to.cpuMsByPass[pass]! - fromMs) * 1000) / extraEntries);
  const cpuUsPerEntry = spreadOf(byPass);
  const fixedCpuMs = spreadOf(from.cpuMsByPass).median - (cpuUsPerEntry.median * fromEntries) / 1000;
  return { from: from.spec.label, to: to.spec.label, cpuUsPerEntry, fixedCpuMs };
}
