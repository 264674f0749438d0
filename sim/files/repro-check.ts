/**
 * Validation of a parsed repro file. A repro is often edited by hand or copied between machines,
 * so every field is checked and every bad one is named (in one ReproError) rather than letting a
 * replay fail somewhere deep inside the simulator. Keys the format does not know are dropped, not
 * refused: a repro is written by the tool, and its format version says what it holds.
 */
import { z } from 'zod';
import { ScenarioSchema } from '../../scenarios/index.ts';
import { anyInt, anyString, catalogueName, expected, seedInt, oneOf } from '../../scenarios/index.ts';
import { parseWith } from '../../scenarios/index.ts';
import { DEFECT_IDS } from '../../transport/index.ts';
import { PROPERTY_IDS } from '../../model/index.ts';
import type { Repro } from './repro.ts';
import { ReproError } from './repro-error.ts';

const anObject = { error: expected('an object') };
const anArray = { error: expected('an array') };

const RunVersionSchema = z.object(
  {
    name: z.string({ error: expected('a name') }).min(1, { error: expected('a name') }),
    defects: z.array(catalogueName(DEFECT_IDS, 'defect'), anArray),
    sendPath: oneOf(['outbox', 'legacy-queue']),
  },
  anObject,
);

const ViolationSchema = z.object({ property: catalogueName(PROPERTY_IDS, 'property'), message: anyString() }, anObject);

const ReproFaultSchema = z.object(
  {
    index: anyInt(),
    t: anyInt(),
    kind: anyString(),
    details: z.record(z.string(), z.unknown(), anObject),
  },
  anObject,
);

const hex64 = () =>
  z.string({ error: expected('64 hex digits') }).regex(/^[0-9a-f]{64}$/, { error: expected('64 hex digits') });

const TransportModuleSchema = z.object(
  {
    path: z.string({ error: expected('a path') }).min(1, { error: expected('a path') }),
    resolvedPath: z.string({ error: expected('a path') }).min(1, { error: expected('a path') }),
    sha256: hex64(),
  },
  anObject,
);

const ReproSchema = z.object(
  {
    format: z.literal('ssesim-repro', { error: expected('"ssesim-repro"') }),
    // 2 marks a repro that records a transport module; both read the same otherwise.
    formatVersion: z.union([z.literal(1), z.literal(2)], { error: expected('1 or 2') }),
    scenario: ScenarioSchema,
    seed: seedInt(),
    version: RunVersionSchema,
    traceHash: hex64(),
    verdict: oneOf(['passed', 'violation', 'liveness', 'crash', 'step-limit']),
    violations: z.array(ViolationSchema, anArray),
    faults: z.array(ReproFaultSchema, anArray),
    command: anyString(),
    transport: TransportModuleSchema.optional(),
  },
  anObject,
);

export function validateRepro(value: unknown, source?: string): Repro {
  return parseWith(ReproSchema, value, ReproError, source);
}
