/**
 * Runs one scenario over a range of seeds and sums what the benchmark reports: wall time of the
 * simulated runs, virtual time, steps, trace entries; and, on request, the wall time the
 * transport alone needs for the same histories (driven directly, see transport-direct.ts).
 */
import type { Scenario } from '../scenarios/index.ts';
import { wallClockMs } from '../sim/core/index.ts';
import { runScenario } from '../sim/index.ts';
import { resolveVersion } from '../transport/index.ts';
import { driveTransportDirect, workloadOf, type DirectWorkload } from './transport-direct.ts';
import { profileCostSplit, type CostSplit } from './cost-split.ts';

export interface RunTotals {
  runs: number;
  simWallMs: number;
  /** CPU time of the simulated runs: on a busy machine wall time also counts other processes. */
  simCpuMs: number;
  virtualMs: number;
  steps: number;
  entries: number;
  /** Wall time of the same workloads driven straight into the transport; 0 until `withDirectCost`. */
  directWallMs: number;
  verdicts: Record<string, number>;
  /** What the server did in each run, for the direct drive. */
  workloads: DirectWorkload[];
}

export async function measureRuns(
  scenario: Scenario,
  options: { firstSeed: number; runs: number },
): Promise<RunTotals> {
  const version = resolveVersion('fixed');
  const totals: RunTotals = {
    runs: 0,
    simWallMs: 0,
    simCpuMs: 0,
    virtualMs: 0,
    steps: 0,
    entries: 0,
    directWallMs: 0,
    verdicts: {},
    workloads: [],
  };
  for (let seed = options.firstSeed; seed < options.firstSeed + options.runs; seed++) {
    const startMs = wallClockMs();
    const startCpu = process.cpuUsage();
    const result = await runScenario({ scenario, seed, version });
    totals.simWallMs += wallClockMs() - startMs;
    const cpu = process.cpuUsage(startCpu);
    totals.simCpuMs += (cpu.user + cpu.system) / 1000;
    totals.runs += 1;
    totals.virtualMs += result.virtualMs;
    totals.steps += result.steps;
    totals.entries += result.traceLength;
    totals.verdicts[result.verdict] = (totals.verdicts[result.verdict] ?? 0) + 1;
    totals.workloads.push(workloadOf(result));
  }
  return totals;
}

/**
 * Drives the runs' workloads straight into the transport and adds the wall time. Called after the
 * simulated runs, not between them: interleaved, each drive would change what the JIT and the
 * garbage collector find when the next simulated run starts.
 */
export async function withDirectCost(totals: RunTotals): Promise<RunTotals> {
  let directWallMs = 0;
  for (const workload of totals.workloads) directWallMs += (await driveTransportDirect(workload)).wallMs;
  return { ...totals, directWallMs };
}

/**
 * Unmeasured runs until the JIT has compiled the hot paths (about 20 default runs; the first few
 * of a process take twice as long). Their totals are what a process's first runs cost.
 */
export async function warmUp(scenario: Scenario, runs: number): Promise<RunTotals> {
  return withDirectCost(await measureRuns(scenario, { firstSeed: 1_000_000, runs }));
}

/** The same runs as `measureRuns`, again, under the CPU profiler: how their time splits. */
export async function profileRuns(
  scenario: Scenario,
  options: { firstSeed: number; runs: number },
): Promise<CostSplit> {
  const version = resolveVersion('fixed');
  return profileCostSplit(async () => {
    for (let seed = options.firstSeed; seed < options.firstSeed + options.runs; seed++)
      await runScenario({ scenario, seed, version });
  });
}
