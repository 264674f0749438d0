/**
 * A short fingerprint of a scenario for reports and repro files: two runs with the same hash ran
 * the same scenario. It is computed over canonical JSON (keys sorted at every depth, undefined
 * fields dropped), so the order of fields in a file or object literal never changes it.
 */
import { createHash } from 'node:crypto';
import type { Scenario } from './scenario.ts';

/** Hex characters kept: 64 bits is plenty to tell scenarios apart and short enough to read aloud. */
const HASH_HEX_CHARS = 16;

export function canonicalJson(value: unknown): string {
  return JSON.stringify(value, (_key, v: unknown) => {
    if (typeof v !== 'object' || v === null || Array.isArray(v)) return v;
    const sorted: Record<string, unknown> = {};
    for (const key of Object.keys(v).sort()) sorted[key] = (v as Record<string, unknown>)[key];
    return sorted;
  });
}

export function scenarioHash(scenario: Scenario): string {
  return createHash('sha256').update(canonicalJson(scenario)).digest('hex').slice(0, HASH_HEX_CHARS);
}
