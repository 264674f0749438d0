/**
 * A scenario is data: who takes part, what they do, which faults are on and for how long. This
 * zod schema is the single source of the Scenario type, of its validation (validate-scenario.ts)
 * and of scenario.schema.json, the JSON Schema editors use to complete and check scenario files.
 * Every bound comes from scenario-limits.ts, so an over-limit message can state it.
 */
import { z } from 'zod';
import { expected, faultMap, intIn, ordinalList, positiveRate, ratio, section, text } from './field-schemas.ts';
import { FAULT_KINDS, REQUEST_FAULT_KINDS, TIMED_FAULT_KINDS } from './fault-kinds.ts';
import * as L from './scenario-limits.ts';

const delayMs = () => intIn(0, L.MAX_DELAY_MS);

/**
 * Adds the rule that each pair's min does not exceed its max, reported on the min field. It runs
 * whenever both fields are numbers, so it is reported alongside problems elsewhere in the section.
 */
function withOrderedPairs<S extends z.ZodObject>(schema: S, sectionName: string, pairs: readonly [string, string][]) {
  return schema.superRefine(
    (value, ctx) => {
      const fields = value as Record<string, unknown>;
      for (const [minKey, maxKey] of pairs) {
        const min = fields[minKey];
        const max = fields[maxKey];
        if (typeof min !== 'number' || typeof max !== 'number' || min <= max) continue;
        const message = `${min} is greater than ${sectionName}.${maxKey} (${max})`;
        ctx.addIssue({ code: 'custom', path: [minKey], input: min, message });
      }
    },
    { when: (payload) => typeof payload.value === 'object' && payload.value !== null },
  );
}

/** An integer ratio [numerator, denominator], so probabilities are exact. */
export type Ratio = z.output<ReturnType<typeof ratio>>;

const WorkloadSchema = withOrderedPairs(
  section({
    promptsPerClient: intIn(0, L.MAX_PROMPTS_PER_CLIENT).describe(
      "Prompts each client's user sends over the chaos phase, at most.",
    ),
    promptGapMsMin: delayMs().describe("Shortest pause between one user's prompts."),
    promptGapMsMax: delayMs().describe("Longest pause between one user's prompts."),
    controlChance: ratio().describe(
      'Chance that a user action is a control message (stop, interrupt, set_mode...) instead of a prompt.',
    ),
    permissionAnswerMsMin: delayMs().describe('Shortest time the user takes to answer a permission request.'),
    permissionAnswerMsMax: delayMs().describe('Longest time the user takes to answer a permission request.'),
    burstChance: ratio()
      .describe(
        'Chance that a prompt action is a burst instead: burstPrompts prompts sent at once (a pasted list, a ' +
          'script). A burst counts as one action toward promptsPerClient. Off when absent.',
      )
      .exactOptional(),
    burstPrompts: intIn(1, L.MAX_BURST_PROMPTS).describe('Prompts sent at once by a burst.').exactOptional(),
    interruptShare: ratio()
      .describe('Share of control messages that are interrupts; absent means an even pick among the control types.')
      .exactOptional(),
  }),
  'workload',
  [
    ['promptGapMsMin', 'promptGapMsMax'],
    ['permissionAnswerMsMin', 'permissionAnswerMsMax'],
  ],
);

const AgentSchema = withOrderedPairs(
  section({
    stepDelayMsMin: delayMs().describe("Shortest delay before each step of the agent's run for a prompt."),
    stepDelayMsMax: delayMs().describe("Longest delay before each step of the agent's run for a prompt."),
    stepsMin: intIn(0, L.MAX_AGENT_STEPS).describe("Fewest steps in the agent's run for a prompt."),
    stepsMax: intIn(0, L.MAX_AGENT_STEPS).describe("Most steps in the agent's run for a prompt."),
    permissionChance: ratio().describe('Chance that an agent step asks the user for permission.'),
  }),
  'agent',
  [
    ['stepDelayMsMin', 'stepDelayMsMax'],
    ['stepsMin', 'stepsMax'],
  ],
);

const NetworkSchema = withOrderedPairs(
  section({
    latencyMsMin: intIn(0, L.MAX_LATENCY_MS).describe('Shortest one-way network latency.'),
    latencyMsMax: intIn(0, L.MAX_LATENCY_MS).describe('Longest one-way network latency.'),
  }),
  'network',
  [['latencyMsMin', 'latencyMsMax']],
);

// Named, so the JSON Schema states each once under $defs rather than once per fault kind.
const RequestFaultChanceSchema = ratio(1).meta({
  id: 'requestFaultChance',
  description: 'The probability [numerator, denominator] that a request (or write, apply) gets this fault.',
});
const TimedFaultRateSchema = positiveRate(L.MAX_TIMED_FAULT_RATE_PER_MINUTE, 'firings per virtual minute').meta({
  id: 'timedFaultRate',
  description: 'Expected firings per virtual minute during the chaos phase.',
});

const FaultsSchema = section({
  request: faultMap(
    REQUEST_FAULT_KINDS,
    { kinds: TIMED_FAULT_KINDS, section: 'faults.timed' },
    RequestFaultChanceSchema,
  ).describe('Per-request faults, by kind: each is decided per request with a probability.'),
  timed: faultMap(
    TIMED_FAULT_KINDS,
    { kinds: REQUEST_FAULT_KINDS, section: 'faults.request' },
    TimedFaultRateSchema,
  ).describe('Timed faults, by kind: each fires at random moments of the chaos phase.'),
});

const ORDINALS_DESCRIPTION = '1-based, counting the omitted ones, so later numbers keep their meaning.';

// Named, so the JSON Schema states it once under $defs.
const OrdinalsSchema = ordinalList(L.MAX_OMITTED_ORDINALS).meta({
  id: 'omittedOrdinals',
  description: `Which firings or actions to leave out: ${ORDINALS_DESCRIPTION}`,
});

/** Client ids as the world names them: c1..cN. */
const clientMap = (what: string) =>
  z
    .partialRecord(z.string().regex(/^c[1-9][0-9]*$/, { error: expected('a client id c1..cN') }), OrdinalsSchema)
    .describe(`${what} Keyed by client id; ${ORDINALS_DESCRIPTION}`);

/**
 * Single events of the run left out while every random draw is still made: how a shrink removes
 * one fault or one user action without reshuffling the rest of the run. A scenario without it
 * runs as before.
 */
const OmitSchema = section({
  faults: faultMap(FAULT_KINDS, { kinds: [], section: 'omit.faults' }, OrdinalsSchema)
    .describe('Fault firings left out, by kind: each is drawn with all its random choices, then not applied.')
    .exactOptional(),
  faultsAfter: faultMap(FAULT_KINDS, { kinds: [], section: 'omit.faultsAfter' }, intIn(0, L.MAX_OMITTED_ORDINALS))
    .describe(
      'Per fault kind, a count N: every firing after the first N is drawn with all its random choices, then not ' +
        'applied. A shrink sets it with the kind firing at every chance, so the few firings kept come early.',
    )
    .exactOptional(),
  actions: clientMap(
    'Scheduled user actions (a prompt, a burst or a control message) that are drawn but not taken.',
  ).exactOptional(),
  answers: clientMap('Permission answers that are drawn but not sent.').exactOptional(),
  prompts: clientMap(
    "Single prompts that are not sent, by the prompt's number among the client's prompts (c1-p5 is 5): how a " +
      'shrink cuts a burst down to the prompts that matter. Each keeps its number, so the others keep their names.',
  ).exactOptional(),
});

const scenarioShape = {
  name: text(L.MAX_NAME_LENGTH, L.SCENARIO_NAME_PATTERN).describe('Names the file (scenarios/<name>.json).'),
  description: text(L.MAX_DESCRIPTION_LENGTH).describe('What the scenario is for.').exactOptional(),
  clients: intIn(1, L.MAX_CLIENTS).describe('Number of browser clients; ids c1..cN.'),
  sessions: intIn(1, L.MAX_SESSIONS).describe(
    'Number of chat sessions; ids s1..sN. Each client watches every session.',
  ),
  workload: WorkloadSchema,
  agent: AgentSchema,
  network: NetworkSchema,
  faults: FaultsSchema,
  phases: section({
    chaosMs: intIn(0, L.MAX_PHASE_MS).describe('Virtual time during which the users act and the faults fire.'),
    healMs: intIn(0, L.MAX_PHASE_MS).describe(
      'Virtual time after the chaos phase, faults off, for the system to converge.',
    ),
  }),
  omit: OmitSchema.describe(
    'Single fault firings and user actions left out of the run, every random draw still made: what a shrink ' +
      'writes to remove one event without reshuffling the rest.',
  ).exactOptional(),
  stepLimit: intIn(1, L.MAX_STEP_LIMIT).describe(
    'The run stops with verdict step-limit after this many simulator steps, or sooner when its trace reaches ' +
      `${L.MAX_RUN_TRACE_ENTRIES} entries (the work budget of every run).`,
  ),
  // Refused, not ignored: a scenario or repro that once named a database file would otherwise
  // seem to keep one. A file is for the person running the tool to choose (run --store).
  storePath: z
    .never({
      error: () => "a scenario no longer names the database: the server's is in memory, or use run --store FILE",
    })
    .describe('No longer read: the server database is in memory, or a file named with `ssesim run --store FILE`.')
    .exactOptional(),
};

/** A scenario as the simulator uses it, and as repro and regression files embed it. */
export const ScenarioSchema = section(scenarioShape);

export type Scenario = z.output<typeof ScenarioSchema>;

/**
 * A scenario file: a scenario that may also name its JSON Schema, for editors. `$schema` is no
 * part of the scenario (validateScenario drops it), so it changes neither the run nor its hash.
 */
export const ScenarioFileSchema = section({
  ...scenarioShape,
  $schema: z.string().describe('The JSON Schema of this file, for editors.').exactOptional(),
}).meta({
  title: 'ssesim scenario',
  description: 'Who takes part, what they do, which faults are on and for how long.',
});
