/**
 * One run: scenario + seed + version -> world -> chaos phase -> heal phase -> history -> verdict.
 * The bounded properties judge by the limits the transport's protocol profile states, and each
 * property is checked only when the transport reports what it needs (docs/observations.md).
 */
import { scenarioHash } from '../scenarios/index.ts';
import { MAX_RUN_TRACE_ENTRIES } from '../scenarios/index.ts';
import type { EndState, History } from '../model/index.ts';
import { checkProperties, unfinishedProperties } from '../model/index.ts';
import { decideVerdict } from '../model/index.ts';
import { wallClockMs } from './core/index.ts';
import { EventLoop } from './core/index.ts';
import { World, type WorldOptions } from './world/index.ts';
import type { RunResult } from './run-result.ts';

/** A run is built from exactly what its world is: scenario, seed, version, transport factory, store. */
export type RunOptions = WorldOptions;

export async function runScenario(options: RunOptions): Promise<RunResult> {
  const wallStartMs = wallClockMs();
  const world = new World(options);
  const { scenario } = options;
  const startMs = world.clock.now();
  let stepLimitHit = false;
  let harnessError: string | undefined;
  const loop = new EventLoop({
    clock: world.clock,
    onUnhandledRejection: (reason, actor) => world.processError(reason, actor),
    onUncaughtException: (error, actor) => world.processError(error, actor),
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
  const finished = harnessError === undefined && !stepLimitHit;
  const { history, violations, properties } = checkRun(world, finished);
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
    properties,
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

/** The run's history and, when the run finished, its properties checked; then the world is disposed. */
function checkRun(world: World, finished: boolean): Pick<RunResult, 'history' | 'violations' | 'properties'> {
  try {
    const { profile, observations } = world;
    const history: History = {
      entries: world.recorder.history,
      end: safeEndState(world),
      limits: profile.limits,
      observations,
      timing: {
        retrySchedule: profile.retrySchedule ?? null,
        syncIntervalMs: profile.syncIntervalMs,
        latencyMsMax: world.options.scenario.network.latencyMsMax,
      },
    };
    const checked = finished ? checkProperties(history) : { violations: [], properties: unfinishedProperties() };
    return { history, violations: checked.violations, properties: checked.properties };
  } finally {
    // Also when a check throws: a transport's globals must not outlive its run.
    world.dispose();
  }
}

function safeEndState(world: World): EndState {
  try {
    return world.endState();
  } catch {
    return { userMessages: [], sessionSeqs: {}, clients: [], openPermissionRequests: [] };
  }
}
