/**
 * Strict validation of a scenario from untrusted JSON. Strict because a typo must not pass
 * silently: a misspelt field would otherwise fall back to nothing and a run would test less than
 * its author believes. Every field is type-checked against a named limit, min/max pairs are
 * ordered, fault names come from sim/fault-kinds.ts, and the first problem throws a ScenarioError.
 */
import type { Scenario } from './scenario.ts';
import { ScenarioError, showValue } from './scenario-error.ts';
import {
  type Check,
  fail,
  intIn,
  isPlainObject,
  positiveRate,
  ratio,
  record,
  rejectUnknownKeys,
  text,
  childPath,
} from './field-checks.ts';
import { REQUEST_FAULT_KINDS, TIMED_FAULT_KINDS } from './fault-kinds.ts';
import * as L from './scenario-limits.ts';

export * from './scenario-limits.ts';

/**
 * A map from fault kind to rate. A kind of the other family gets its own hint, since putting
 * `server-crash` under `request` is the likeliest mistake.
 */
function faultMap<T>(
  kinds: readonly string[],
  other: readonly string[],
  otherSection: string,
  rate: Check<T>,
): Check<Record<string, T>> {
  return (value, path) => {
    if (!isPlainObject(value)) fail(path, value, `expected an object of fault kind -> rate, got ${showValue(value)}`);
    for (const kind of Object.keys(value)) {
      if (other.includes(kind))
        fail(
          childPath(path, kind),
          value[kind],
          `${kind} is not a fault of this family; it belongs in ${otherSection}`,
        );
    }
    rejectUnknownKeys(value, path, kinds, 'fault kind');
    const out: Record<string, T> = {};
    // Kinds in catalogue order, so reports list a scenario's faults the same way whatever order its file used.
    for (const kind of kinds) {
      if (Object.hasOwn(value, kind)) out[kind] = rate(value[kind], childPath(path, kind));
    }
    return out;
  };
}

const delayMs = intIn(0, L.MAX_DELAY_MS);

const checkScenario = record(
  {
    name: text(L.MAX_NAME_LENGTH, L.SCENARIO_NAME_PATTERN),
    description: text(L.MAX_DESCRIPTION_LENGTH),
    clients: intIn(1, L.MAX_CLIENTS),
    sessions: intIn(1, L.MAX_SESSIONS),
    workload: record(
      {
        promptsPerClient: intIn(0, L.MAX_PROMPTS_PER_CLIENT),
        promptGapMsMin: delayMs,
        promptGapMsMax: delayMs,
        controlChance: ratio(),
        permissionAnswerMsMin: delayMs,
        permissionAnswerMsMax: delayMs,
        burstChance: ratio(),
        burstPrompts: intIn(1, L.MAX_BURST_PROMPTS),
        interruptShare: ratio(),
      },
      ['burstChance', 'burstPrompts', 'interruptShare'],
    ),
    agent: record({
      stepDelayMsMin: delayMs,
      stepDelayMsMax: delayMs,
      stepsMin: intIn(0, L.MAX_AGENT_STEPS),
      stepsMax: intIn(0, L.MAX_AGENT_STEPS),
      permissionChance: ratio(),
    }),
    network: record({
      latencyMsMin: intIn(0, L.MAX_LATENCY_MS),
      latencyMsMax: intIn(0, L.MAX_LATENCY_MS),
    }),
    faults: record({
      request: faultMap(REQUEST_FAULT_KINDS, TIMED_FAULT_KINDS, 'faults.timed', ratio(1)),
      timed: faultMap(
        TIMED_FAULT_KINDS,
        REQUEST_FAULT_KINDS,
        'faults.request',
        positiveRate(L.MAX_TIMED_FAULT_RATE_PER_MINUTE, 'firings per virtual minute'),
      ),
    }),
    phases: record({
      chaosMs: intIn(0, L.MAX_PHASE_MS),
      healMs: intIn(0, L.MAX_PHASE_MS),
    }),
    stepLimit: intIn(1, L.MAX_STEP_LIMIT),
    storePath: text(L.MAX_STORE_PATH_LENGTH),
  },
  ['description', 'storePath'],
);

/** Pairs whose min must not exceed their max, as [section, min field, max field]. */
const MIN_MAX_PAIRS = [
  ['workload', 'promptGapMsMin', 'promptGapMsMax'],
  ['workload', 'permissionAnswerMsMin', 'permissionAnswerMsMax'],
  ['agent', 'stepDelayMsMin', 'stepDelayMsMax'],
  ['agent', 'stepsMin', 'stepsMax'],
  ['network', 'latencyMsMin', 'latencyMsMax'],
] as const;

function checkMinMaxPairs(scenario: Scenario): void {
  for (const [section, minKey, maxKey] of MIN_MAX_PAIRS) {
    const fields = scenario[section] as Record<string, number>;
    const min = fields[minKey]!;
    const max = fields[maxKey]!;
    if (min > max) fail(`${section}.${minKey}`, min, `${min} is greater than ${section}.${maxKey} (${max})`);
  }
}

/**
 * Returns a fresh, fully checked Scenario (fields in canonical order, unknown input never copied
 * through) or throws a ScenarioError naming the first bad field; `source` prefixes the message.
 */
export function validateScenario(value: unknown, source?: string): Scenario {
  try {
    const scenario = checkScenario(value, '(root)') as Scenario;
    checkMinMaxPairs(scenario);
    return scenario;
  } catch (err) {
    if (err instanceof ScenarioError && source !== undefined) throw err.withSource(source);
    throw err;
  }
}
