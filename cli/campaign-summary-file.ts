/**
 * Reading a shard's `summary.json` for `ssesim merge`. The file comes from another machine and
 * anyone can hand one over, so every field the merge and the renderers read is checked, and a bad
 * one is a usage error naming the file and the field, never a stack trace.
 */
import { readFileSync } from 'node:fs';
import { z } from 'zod';
import { anyString, expected, intIn, problemsOf, seedInt } from '../scenarios/index.ts';
import type { CampaignSummary } from '../reports/index.ts';
import { UsageError } from './usage-error.ts';

const anObject = { error: expected('an object') };
const anArray = { error: expected('an array') };
const count = () => intIn(0, Number.MAX_SAFE_INTEGER);
const nonNegative = () => z.number({ error: expected('a number') }).nonnegative();

const FindingSchema = z.looseObject(
  {
    signature: anyString(),
    property: anyString(),
    count: count(),
    firstSeed: seedInt(),
    message: anyString(),
    repro: anyString().optional(),
    culprits: z.looseObject(
      {
        defects: z.looseObject({ status: anyString() }, anObject),
        faults: z.looseObject({ status: anyString() }, anObject),
      },
      anObject,
    ),
    merged: z.array(anyString(), anArray),
    steps: count().optional(),
  },
  anObject,
);

const SummarySchema = z.looseObject(
  {
    baseSeed: seedInt(),
    scenario: anyString(),
    startedAt: anyString().optional(),
    shard: z.looseObject({ index: count(), count: count() }, anObject).optional(),
    runs: count(),
    failures: count(),
    runsPerSec: nonNegative(),
    wallMs: nonNegative(),
    seedStart: seedInt(),
    version: anyString(),
    faultCoverage: z.record(z.string(), z.looseObject({ enabledRuns: count(), fired: count() }, anObject), anObject),
    findings: z.array(FindingSchema, anArray),
    results: z.array(
      z.looseObject(
        {
          seed: seedInt(),
          verdict: anyString(),
          traceHash: anyString(),
          wallMs: nonNegative(),
          violations: count(),
          signatures: z.array(anyString(), anArray),
        },
        anObject,
      ),
      anArray,
    ),
    notChecked: z.record(z.string(), z.array(anyString(), anArray), anObject).optional(),
  },
  anObject,
);

export function readSummaryFile(path: string): CampaignSummary {
  let text: string;
  try {
    text = readFileSync(path, 'utf8');
  } catch (err) {
    const code = (err as NodeJS.ErrnoException).code ?? String(err);
    throw new UsageError(`${path}: cannot read it (${code}); a folder fuzz --out wrote holds one`);
  }
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch {
    throw new UsageError(`${path}: not JSON; expected the summary.json fuzz --out writes`);
  }
  const parsed = SummarySchema.safeParse(value);
  if (parsed.success) return parsed.data as unknown as CampaignSummary;
  const [problem] = problemsOf(parsed.error.issues, SummarySchema, value);
  throw new UsageError(`${path}: field ${problem?.field ?? '(root)'}: ${problem?.detail ?? 'not a campaign summary'}`);
}
