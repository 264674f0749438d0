/**
 * ssesim against its peer and its floor, in one process, on the same seeds: a whole ssesim run
 * (faults, trace hash, checks), the same run with the scenario's faults off, the fake-timers drive
 * of the same transport classes over that run's workload, and the run's SQLite and JSON calls
 * replayed alone. The run without faults tells the harness's own cost from the work the faults
 * make the transport do (retries, reconnects, replays), which the drive, having none, never does.
 * Passes go over every seed with all of them interleaved seed by seed, in an order that rotates
 * from pass to pass, so that whatever the machine does meanwhile falls on all of them alike; the
 * ratios are taken within each pass, and their median and spread over passes reported.
 */
import type { Scenario } from '../scenarios/index.ts';
import { runScenario, type RunResult } from '../sim/index.ts';
import type { TransportVersion } from '../transport/index.ts';
import { driveWithFakeTimers, workloadOfRun, type DriveOutcome, type DriveWorkload } from './fake-timers-drive.ts';
import { countsOf, floorProgram, recordFloor, replayFloor, type FloorCounts, type FloorProgram } from './floor.ts';
import { addCost, measure, spreadOf, zeroCost, type Cost, type Spread } from './measure.ts';

const CONTENDERS = ['ssesim', 'calm', 'peer', 'floor', 'floorAll'] as const;
export type Contender = (typeof CONTENDERS)[number];
export type PassCost = Record<Contender, Cost>;

/** One seed, ready for every contender: its workload and its recorded SQLite and JSON calls. */
export interface SeedCase {
  seed: number;
  virtualMs: number;
  traceEntries: number;
  /** user_message events the ssesim run persisted. */
  userMessages: number;
  workload: DriveWorkload;
  /** The transport's calls only; `floorAll` adds the harness's (trace, network, checks). */
  floor: FloorProgram;
  floorAll: FloorProgram;
}

export interface CaseSummary {
  seeds: number;
  virtualMs: number;
  traceEntries: number;
  userMessages: number;
  floor: FloorCounts;
  floorAll: FloorCounts;
}

/** One recorded ssesim run per seed: it gives the workload and the floor's calls. */
export async function prepareCases(scenario: Scenario, version: TransportVersion, seeds: number[]) {
  const cases: SeedCase[] = [];
  for (const seed of seeds) {
    const { value: result, recording } = await recordFloor(() => runScenario({ scenario, seed, version }));
    cases.push({
      seed,
      virtualMs: result.virtualMs,
      traceEntries: result.traceLength,
      userMessages: result.history.end.userMessages.length,
      workload: workloadOfRun(result),
      floor: floorProgram(recording, 'transport'),
      floorAll: floorProgram(recording, 'all'),
    });
  }
  return cases;
}

export function summarize(cases: readonly SeedCase[]): CaseSummary {
  const sum = (of: (seedCase: SeedCase) => number) => cases.reduce((total, seedCase) => total + of(seedCase), 0);
  const sumCounts = (of: (seedCase: SeedCase) => FloorProgram): FloorCounts => {
    const counts = cases.map((seedCase) => countsOf(of(seedCase)));
    return {
      sqlCalls: counts.reduce((total, c) => total + c.sqlCalls, 0),
      jsonCalls: counts.reduce((total, c) => total + c.jsonCalls, 0),
      jsonChars: counts.reduce((total, c) => total + c.jsonChars, 0),
    };
  };
  return {
    seeds: cases.length,
    virtualMs: sum((c) => c.virtualMs),
    traceEntries: sum((c) => c.traceEntries),
    userMessages: sum((c) => c.userMessages),
    floor: sumCounts((c) => c.floor),
    floorAll: sumCounts((c) => c.floorAll),
  };
}

/** What the pieces of one pass did, beyond their time: the evidence that each did its whole job. */
export interface PassWork {
  verdicts: Record<string, number>;
  /** The same for the runs without faults, and their trace entries over all seeds. */
  calmVerdicts: Record<string, number>;
  calmTraceEntries: number;
  /** user_message events the drives persisted, over all seeds. */
  peerUserMessages: number;
}

/** One pass's costs and work, as `comparePass` gives them. */
export interface MeasuredPass {
  cost: PassCost;
  work: PassWork;
}

/** A contender's time per run in each pass, as a median with its spread. */
export function perRunSpread(
  summary: CaseSummary,
  passes: readonly MeasuredPass[],
  name: Contender,
  of: 'cpuMs' | 'wallMs',
): Spread {
  return spreadOf(passes.map(({ cost }) => cost[name][of] / summary.seeds));
}

type Runner = (seedCase: SeedCase, work: PassWork) => Promise<unknown>;

/** The scenario with every fault kind off: the same clients, sessions, workload and phases. */
function withoutFaults(scenario: Scenario): Scenario {
  return { ...scenario, faults: { request: {}, timed: {} } };
}

function runners(scenario: Scenario, version: TransportVersion): Record<Contender, Runner> {
  const calm = withoutFaults(scenario);
  // As a campaign runs it: the trace hashed, not kept (a report or repro runs the seed again).
  const hashedRun = (of: Scenario, seed: number): Promise<RunResult> =>
    runScenario({ scenario: of, seed, version, trace: 'hash' });
  return {
    ssesim: async ({ seed }, work) => {
      const result = await hashedRun(scenario, seed);
      work.verdicts[result.verdict] = (work.verdicts[result.verdict] ?? 0) + 1;
    },
    calm: async ({ seed }, work) => {
      const result = await hashedRun(calm, seed);
      work.calmVerdicts[result.verdict] = (work.calmVerdicts[result.verdict] ?? 0) + 1;
      work.calmTraceEntries += result.traceLength;
    },
    peer: async ({ workload }, work) => {
      const outcome: DriveOutcome = await driveWithFakeTimers(workload);
      work.peerUserMessages += outcome.userMessages;
    },
    floor: async ({ floor }) => replayFloor(floor),
    floorAll: async ({ floorAll }) => replayFloor(floorAll),
  };
}

/** One pass over every seed, the contenders interleaved seed by seed, starting with the `pass`-th. */
export async function comparePass(
  scenario: Scenario,
  version: TransportVersion,
  cases: readonly SeedCase[],
  pass: number,
): Promise<MeasuredPass> {
  const run = runners(scenario, version);
  const order = CONTENDERS.map((_, i) => CONTENDERS[(i + pass) % CONTENDERS.length]!);
  const cost = Object.fromEntries(CONTENDERS.map((name) => [name, zeroCost()])) as PassCost;
  const work: PassWork = { verdicts: {}, calmVerdicts: {}, calmTraceEntries: 0, peerUserMessages: 0 };
  for (const seedCase of cases) {
    for (const name of order) addCost(cost[name], (await measure(() => run[name](seedCase, work))).cost);
  }
  return { cost, work };
}
