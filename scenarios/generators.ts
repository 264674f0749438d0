/**
 * fast-check arbitraries for fuzzing: random but always valid scenarios, seeds, and runs.
 *
 * Swarm testing: each run switches every fault kind wholly on or off (a coin per kind) and varies
 * the rates of those left on, so some runs hammer a few faults hard instead of every run spreading
 * thin over all of them; a bug that needs one fault without the noise of another gets found.
 *
 * Shrinking: every choice shrinks toward the smaller run (a kind shrinks to off, counts to 1,
 * phases to their minimum, rates to the lowest), and the record lists faults first, then clients,
 * sessions and phases, so a failure shrinks first to the fewest faults, then the fewest clients,
 * sessions and the shortest phases that still fail.
 */
import fc from 'fast-check';
import type { Ratio, Scenario } from './scenario.ts';
import { REQUEST_FAULT_KINDS, TIMED_FAULT_KINDS, type RequestFaultKind, type TimedFaultKind } from './fault-kinds.ts';
import { MAX_CLIENTS, MAX_PHASE_MS, MAX_PROMPTS_PER_CLIENT, MAX_SESSIONS, MAX_STEP_LIMIT } from './scenario-limits.ts';
import { MAX_SEED } from './seed-range.ts';

export interface ScenarioArbOptions {
  clientsMax?: number;
  sessionsMax?: number;
  promptsPerClientMax?: number;
  chaosMsMin?: number;
  chaosMsMax?: number;
  healMsMin?: number;
  healMsMax?: number;
  /** The kinds a run may switch on; the others stay off. Defaults to the whole catalogue. */
  requestFaultKinds?: readonly RequestFaultKind[];
  timedFaultKinds?: readonly TimedFaultKind[];
  stepLimit?: number;
}

/** Small by default: short runs mean more runs per second and faster shrinking. */
const DEFAULTS: Required<ScenarioArbOptions> = {
  clientsMax: 4,
  sessionsMax: 3,
  promptsPerClientMax: 12,
  chaosMsMin: 5_000,
  chaosMsMax: 120_000,
  // Recovery needs time: a forgotten connection shows at the next 30 s heartbeat, and a prompt's
  // retries with backoff take about a minute, so a shorter heal would fail liveness by design.
  healMsMin: 75_000,
  healMsMax: 120_000,
  requestFaultKinds: REQUEST_FAULT_KINDS,
  timedFaultKinds: TIMED_FAULT_KINDS,
  stepLimit: 1_000_000,
};

/** A coin per kind: off half the time (fc.option's 1/freq), and off is where it shrinks to. */
const SWARM_OFF_FREQ = 2;
/** Request fault chances are n/100 with n in 1..25: rare enough that requests still mostly succeed. */
const REQUEST_RATE_DENOMINATOR = 100;
const REQUEST_RATE_NUMERATOR_MAX = 25;
/** Timed rates in half-firings per virtual minute, 0.5..10 per minute. */
const TIMED_RATE_HALVES_MAX = 20;

const INTERRUPT_REJECT_NUMERATOR_MIN = 25;
const INTERRUPT_REJECT_NUMERATOR_MAX = 75;

const requestRateArb = fc
  .integer({ min: 1, max: REQUEST_RATE_NUMERATOR_MAX })
  .map((n): Ratio => [n, REQUEST_RATE_DENOMINATOR]);
/** Decided only on interrupts, a rare request, so it needs a high chance to fire at all. */
const interruptRejectRateArb = fc
  .integer({ min: INTERRUPT_REJECT_NUMERATOR_MIN, max: INTERRUPT_REJECT_NUMERATOR_MAX })
  .map((n): Ratio => [n, REQUEST_RATE_DENOMINATOR]);
const timedRateArb = fc.integer({ min: 1, max: TIMED_RATE_HALVES_MAX }).map((halves) => halves / 2);

/** The chance a run gives each request fault it switches on: every kind needs one, or this does not compile. */
export const REQUEST_FAULT_RATE_ARBS: Record<RequestFaultKind, fc.Arbitrary<Ratio>> = {
  'http-404': requestRateArb,
  'http-429': requestRateArb,
  'http-500': requestRateArb,
  'http-502': requestRateArb,
  'http-503': requestRateArb,
  'http-400': requestRateArb,
  'request-lost': requestRateArb,
  'response-lost': requestRateArb,
  'slow-response': requestRateArb,
  'write-failure': requestRateArb,
  'apply-failure': requestRateArb,
  'interrupt-reject': interruptRejectRateArb,
};

/** Firings per virtual minute of each timed fault a run switches on: every kind needs one. */
export const TIMED_FAULT_RATE_ARBS: Record<TimedFaultKind, fc.Arbitrary<number>> = {
  'server-crash': timedRateArb,
  'stream-drop': timedRateArb,
  'half-open': timedRateArb,
  'forget-connection': timedRateArb,
  'latency-spike': timedRateArb,
  'concurrent-welcome': timedRateArb,
  'stale-reconnect-answer': timedRateArb,
  'page-reload': timedRateArb,
  'tab-hidden': timedRateArb,
  'client-offline': timedRateArb,
  'slow-reader': timedRateArb,
};

function swarm<K extends string, T>(
  kinds: readonly K[],
  rateArbs: Record<K, fc.Arbitrary<T>>,
): fc.Arbitrary<Partial<Record<K, T>>> {
  // Built in the order of `kinds`, not of the table: the order is what fast-check draws and shrinks by.
  const perKind = Object.fromEntries(
    kinds.map((kind) => [kind, fc.option(rateArbs[kind], { nil: undefined, freq: SWARM_OFF_FREQ })]),
  );
  const chosenArb = fc.record(perKind) as fc.Arbitrary<Record<string, T | undefined>>;
  return chosenArb.map((chosen) => {
    const on: Partial<Record<K, T>> = {};
    for (const kind of kinds) {
      const rate = chosen[kind];
      if (rate !== undefined) on[kind] = rate;
    }
    return on;
  });
}

/** A [min, max] pair as a minimum plus a span, so both shrink toward small and min <= max always holds. */
function minMax(minLow: number, minHigh: number, spanMax: number): fc.Arbitrary<[number, number]> {
  return fc
    .tuple(fc.integer({ min: minLow, max: minHigh }), fc.integer({ min: 0, max: spanMax }))
    .map(([min, span]) => [min, min + span]);
}

function tenths(max: number): fc.Arbitrary<Ratio> {
  return fc.integer({ min: 0, max }).map((n): Ratio => [n, 10]);
}

function checkOptions(o: Required<ScenarioArbOptions>): void {
  const within = (value: number, min: number, max: number) =>
    Number.isSafeInteger(value) && value >= min && value <= max;
  const ok =
    within(o.clientsMax, 1, MAX_CLIENTS) &&
    within(o.sessionsMax, 1, MAX_SESSIONS) &&
    within(o.promptsPerClientMax, 1, MAX_PROMPTS_PER_CLIENT) &&
    within(o.chaosMsMin, 0, o.chaosMsMax) &&
    within(o.chaosMsMax, 0, MAX_PHASE_MS) &&
    within(o.healMsMin, 0, o.healMsMax) &&
    within(o.healMsMax, 0, MAX_PHASE_MS) &&
    within(o.stepLimit, 1, MAX_STEP_LIMIT);
  // A caller's mistake, not a user's: generated scenarios must always validate.
  if (!ok) throw new RangeError(`scenarioArb: options outside the scenario limits: ${JSON.stringify(o)}`);
}

/**
 * The agent's pace: usually a few steps per prompt, sometimes a busy agent that streams long
 * answers fast, so a client that is away for a while falls hundreds of events behind (the
 * backlogs that replay bounds and backlog skips are about). Shrinks toward the usual pace.
 */
interface Pace {
  stepDelayMs: [number, number];
  steps: [number, number];
  busy: boolean;
}

const agentPaceArb: fc.Arbitrary<Pace> = fc.oneof(
  {
    weight: 3,
    arbitrary: fc.record({ stepDelayMs: minMax(0, 200, 400), steps: minMax(1, 4, 6), busy: fc.constant(false) }),
  },
  {
    weight: 1,
    arbitrary: fc.record({ stepDelayMs: minMax(0, 20, 60), steps: minMax(20, 40, 20), busy: fc.constant(true) }),
  },
);

/**
 * A run's total agent work stays within what the heal phase can deliver to a client that fell
 * behind (sync sends 50 events per session every 5 s): a busy agent answers few prompts, and
 * a burst's many prompts get short answers.
 */
const BUSY_PROMPTS_PER_CLIENT_MAX = 3;
const BURST_AGENT_STEPS_MAX = 2;
/** A burst run has few clients and prompt actions, and a heal long enough for a reloaded page to fetch it all. */
const BURST_CLIENTS_MAX = 2;
const BURST_PROMPTS_PER_CLIENT_MAX = 2;
const BURST_HEAL_MS_MIN = 180_000;

function paceFor(pace: Pace, bursts: boolean): Pace {
  if (!bursts) return pace;
  const stepsMax = Math.min(pace.steps[1], BURST_AGENT_STEPS_MAX);
  return { ...pace, steps: [Math.min(pace.steps[0], stepsMax), stepsMax] };
}

/** Bursts are on in one run in three; off (first) is where they shrink to. */
const BURST_OFF_WEIGHT = 2;
/** Up to twice the 100-entry pending cap, so a burst can overfill a queue. */
const burstArb = fc.record({
  chance: fc.integer({ min: 1, max: 10 }).map((n): Ratio => [n, 10]),
  prompts: fc.integer({ min: 10, max: 150 }),
});
const INTERRUPT_SHARE_WHEN_REJECTING: Ratio = [1, 2];
/** With interrupts rejectable, at least this share of actions are control messages, so some interrupts happen. */
const CONTROL_CHANCE_WHEN_REJECTING: Ratio = [3, 10];

export function scenarioArb(options: ScenarioArbOptions = {}): fc.Arbitrary<Scenario> {
  const o = { ...DEFAULTS, ...options };
  checkOptions(o);
  // Field order is shrink priority: fast-check shrinks a record's fields first to last.
  return fc
    .record({
      request: swarm(o.requestFaultKinds, REQUEST_FAULT_RATE_ARBS),
      timed: swarm(o.timedFaultKinds, TIMED_FAULT_RATE_ARBS),
      clients: fc.integer({ min: 1, max: o.clientsMax }),
      sessions: fc.integer({ min: 1, max: o.sessionsMax }),
      chaosMs: fc.integer({ min: o.chaosMsMin, max: o.chaosMsMax }),
      healMs: fc.integer({ min: o.healMsMin, max: o.healMsMax }),
      promptsPerClient: fc.integer({ min: 1, max: o.promptsPerClientMax }),
      promptGapMs: minMax(0, 5_000, 20_000),
      controlChance: tenths(3),
      permissionAnswerMs: minMax(0, 2_000, 5_000),
      agentPace: agentPaceArb,
      burst: fc.oneof(
        { weight: BURST_OFF_WEIGHT, arbitrary: fc.constant(undefined) },
        { weight: 1, arbitrary: burstArb },
      ),
      permissionChance: tenths(5),
      latencyMs: minMax(0, 50, 150),
    })
    .map((r) => toScenario(r, o.stepLimit));
}

type Drawn = {
  request: Partial<Record<RequestFaultKind, Ratio>>;
  timed: Partial<Record<TimedFaultKind, number>>;
  clients: number;
  sessions: number;
  chaosMs: number;
  healMs: number;
  promptsPerClient: number;
  promptGapMs: [number, number];
  controlChance: Ratio;
  permissionAnswerMs: [number, number];
  agentPace: Pace;
  burst: { chance: Ratio; prompts: number } | undefined;
  permissionChance: Ratio;
  latencyMs: [number, number];
};

function promptsPerClient(r: Drawn): number {
  if (r.burst) return Math.min(r.promptsPerClient, BURST_PROMPTS_PER_CLIENT_MAX);
  return r.agentPace.busy ? Math.min(r.promptsPerClient, BUSY_PROMPTS_PER_CLIENT_MAX) : r.promptsPerClient;
}

function toScenario(r: Drawn, stepLimit: number): Scenario {
  const pace = paceFor(r.agentPace, r.burst !== undefined);
  return {
    name: 'generated',
    clients: r.burst ? Math.min(r.clients, BURST_CLIENTS_MAX) : r.clients,
    sessions: r.sessions,
    workload: {
      promptsPerClient: promptsPerClient(r),
      promptGapMsMin: r.promptGapMs[0],
      promptGapMsMax: r.promptGapMs[1],
      controlChance:
        r.request['interrupt-reject'] && r.controlChance[0] < CONTROL_CHANCE_WHEN_REJECTING[0]
          ? CONTROL_CHANCE_WHEN_REJECTING
          : r.controlChance,
      permissionAnswerMsMin: r.permissionAnswerMs[0],
      permissionAnswerMsMax: r.permissionAnswerMs[1],
      ...(r.burst ? { burstChance: r.burst.chance, burstPrompts: r.burst.prompts } : {}),
      // A rejecting interrupt only fires on an interrupt, one control type in six otherwise.
      ...(r.request['interrupt-reject'] ? { interruptShare: INTERRUPT_SHARE_WHEN_REJECTING } : {}),
    },
    agent: {
      stepDelayMsMin: pace.stepDelayMs[0],
      stepDelayMsMax: pace.stepDelayMs[1],
      stepsMin: pace.steps[0],
      stepsMax: pace.steps[1],
      permissionChance: r.permissionChance,
    },
    network: { latencyMsMin: r.latencyMs[0], latencyMsMax: r.latencyMs[1] },
    faults: { request: r.request, timed: r.timed },
    phases: { chaosMs: r.chaosMs, healMs: r.burst ? Math.max(r.healMs, BURST_HEAL_MS_MIN) : r.healMs },
    stepLimit,
  };
}

/** Seeds for the simulator's PRNG: non-negative 31-bit, so they print and pass on a command line unchanged. */
export const seedArb: fc.Arbitrary<number> = fc.integer({ min: 0, max: MAX_SEED });

export const runArb: fc.Arbitrary<{ scenario: Scenario; seed: number }> = fc.record({
  scenario: scenarioArb(),
  seed: seedArb,
});
