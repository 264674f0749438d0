/**
 * One run: scenario + seed + version -> world -> chaos phase -> heal phase -> history -> verdict.
 */
import type { TransportVersion } from '../transport/defects.ts';
import {
  APPLY_BUFFER_LIMIT,
  MAX_PENDING_SENDS,
  RECONNECT_REPLAY_LIMIT,
  SEND_ATTEMPT_BUDGET,
} from '../transport/protocol.ts';
import type { Scenario } from '../scenarios/scenario.ts';
import { scenarioHash } from '../scenarios/scenario-hash.ts';
import { MAX_RUN_TRACE_ENTRIES } from '../scenarios/scenario-limits.ts';
import type { EndState, History, HistoryLimits } from '../model/history.ts';
import { checkAll } from '../model/properties/index.ts';
import { decideVerdict } from '../model/verdict.ts';
import { wallClockMs } from './core/clock.ts';
import { EventLoop } from './core/loop.ts';
import { World } from './world/world.ts';
import type { TransportFactory } from './world/transport-factory.ts';
import type { RunResult } from './run-result.ts';

export const DEFAULT_LIMITS: HistoryLimits = {
  maxPendingSends: MAX_PENDING_SENDS,
  applyBufferLimit: APPLY_BUFFER_LIMIT,
  sendAttemptBudget: SEND_ATTEMPT_BUDGET,
  reconnectReplayLimit: RECONNECT_REPLAY_LIMIT,
  replayAmplificationMax: 1.5,
};

export interface RunOptions {
  scenario: Scenario;
  seed: number;
  version: TransportVersion;
  factory?: TransportFactory;
  /** The server's SQLite database file (run --store); in memory without it. Never from a scenario. */
  storePath?: string;
}

export async function runScenario(options: RunOptions): Promise<RunResult> {
  const wallStartMs = wallClockMs();
  const world = new World(options);
  const { scenario } = options;
  const startMs = world.clock.now();
  let stepLimitHit = false;
  let harnessError: string | undefined;
  const loop = new EventLoop({
    clock: world.clock,
    onUnhandledRejection: (reason) => world.processError(reason),
    onUncaughtException: (error) => world.processError(error),
  });
  try {
    world.phase('chaos');
    world.start();
    const workLimit = { done: () => world.trace.length, max: MAX_RUN_TRACE_ENTRIES };
    const chaos = await loop.run({
      untilMs: startMs + scenario.phases.chaosMs,
      stepLimit: scenario.stepLimit,
      workLimit,
    });
    stepLimitHit = chaos.reason === 'step-limit';
    if (!stepLimitHit) {
      world.phase('heal');
      world.heal();
      const untilMs = startMs + scenario.phases.chaosMs + scenario.phases.healMs;
      const heal = await loop.run({ untilMs, stepLimit: scenario.stepLimit - chaos.steps, workLimit });
      stepLimitHit = heal.reason === 'step-limit';
    }
    world.phase('end');
  } catch (error) {
    harnessError = error instanceof Error ? `${error.name}: ${error.message}` : String(error);
  }
  const history: History = { entries: world.recorder.history, end: safeEndState(world), limits: DEFAULT_LIMITS };
  const violations = harnessError || stepLimitHit ? [] : checkAll(history);
  world.dispose();
  const trace = world.trace;
  return {
    scenario,
    scenarioHash: scenarioHash(scenario),
    seed: options.seed,
    version: {
      name: options.version.name,
      defects: options.version.defects.list(),
      sendPath: options.version.sendPath,
    },
    verdict: decideVerdict({ violations, crashed: harnessError !== undefined, stepLimitHit }),
    violations,
    faultCounts: { ...world.faults.counts },
    traceHash: world.trace.hash(),
    virtualMs: world.clock.now() - startMs,
    wallMs: Math.round(wallClockMs() - wallStartMs),
    steps: loop.stepsRun,
    ...(harnessError ? { harnessError } : {}),
    traceLength: trace.length,
    // Parsed from the canonical lines only when read: most runs of a campaign never look.
    get trace() {
      return trace.entries();
    },
    history,
  };
}

function safeEndState(world: World): EndState {
  try {
    return world.endState();
  } catch {
    return { userMessages: [], sessionSeqs: {}, clients: [], openPermissionRequests: [] };
  }
}
