/**
 * What `ssesim report` requires of a result.json before rendering it as it is. A result is a file
 * anyone can hand over, and the renderers trust their input's types: a string where a trace index
 * belongs would reach the HTML, an object where a name belongs would end in a stack trace, and a
 * virtual time of 1e15 ms would size an array by it. So every field a renderer reads is checked
 * here, with its bound; fields no renderer reads (the history's end state) pass as written.
 */
import { z } from 'zod';
import { ScenarioSchema } from '../scenarios/index.ts';
import { anyString, expected, intIn, oneOf, seedInt } from '../scenarios/index.ts';
import { MAX_PHASE_MS } from '../scenarios/index.ts';

const anObject = { error: expected('an object') };
const anArray = { error: expected('an array') };

/** A run lasts its chaos and heal phases, each at most MAX_PHASE_MS of virtual time. */
export const MAX_RESULT_VIRTUAL_MS = 2 * MAX_PHASE_MS;
/** Counts and indexes: any non-negative safe integer. */
const count = () => intIn(0, Number.MAX_SAFE_INTEGER);
const virtualMs = () => intIn(0, MAX_RESULT_VIRTUAL_MS);

const TraceEntrySchema = z.looseObject(
  {
    index: count(),
    t: virtualMs(),
    actor: anyString(),
    kind: anyString(),
    details: z.record(z.string(), z.unknown(), anObject),
  },
  anObject,
);

const ViolationSchema = z.looseObject(
  {
    property: anyString(),
    message: anyString(),
    subject: z.record(
      z.string(),
      z.union([z.string(), z.number()], { error: expected('a string or a number') }),
      anObject,
    ),
    evidence: z.array(count(), anArray),
  },
  anObject,
);

/** The fields the plots read of each history entry kind; entries of other kinds are not read. */
const HISTORY_FIELDS: Record<string, z.ZodType> = {
  phase: z.looseObject({ phase: anyString() }),
  queue: z.looseObject({ client: anyString(), length: count() }),
  cursor: z.looseObject({ client: anyString(), sessionId: anyString(), cursor: count() }),
  'frame-sent': z.looseObject({ sessionId: anyString(), seq: count(), via: anyString() }),
};

const HistoryEntrySchema = z
  .looseObject({ index: count(), t: virtualMs(), kind: anyString() }, anObject)
  .superRefine((entry, ctx) => {
    const fields = HISTORY_FIELDS[entry.kind];
    const parsed = fields?.safeParse(entry);
    for (const issue of parsed?.error?.issues ?? [])
      ctx.addIssue({ code: 'custom', message: issue.message, path: issue.path, input: issue.input });
  });

export const RunResultSchema = z.looseObject(
  {
    seed: seedInt(),
    verdict: oneOf(['passed', 'violation', 'liveness', 'crash', 'step-limit']),
    traceHash: anyString(),
    version: z.looseObject(
      { name: anyString(), defects: z.array(anyString(), anArray), sendPath: anyString() },
      anObject,
    ),
    faultCounts: z.record(z.string(), count(), anObject),
    probes: z.record(z.string(), count(), anObject).optional(),
    violations: z.array(ViolationSchema, anArray),
    trace: z.array(TraceEntrySchema, anArray),
    history: z.looseObject({ entries: z.array(HistoryEntrySchema, anArray) }, anObject),
    scenario: ScenarioSchema,
    scenarioHash: anyString(),
    virtualMs: virtualMs(),
    steps: count(),
    harnessError: anyString().optional(),
  },
  anObject,
);
