/**
 * Strict validation of a scenario from untrusted JSON. Strict because a typo must not pass
 * silently: a misspelt field would otherwise fall back to nothing and a run would test less than
 * its author believes. The rules are the schema in scenario.ts (every field against a named limit,
 * min/max pairs ordered, fault names from fault-kinds.ts); every problem is reported at once, as
 * one ScenarioError.
 */
import { ScenarioFileSchema, type Scenario } from './scenario.ts';
import { ScenarioError } from './scenario-error.ts';
import { parseWith } from './schema-problems.ts';

export * from './scenario-limits.ts';

/**
 * Returns a fresh, fully checked Scenario (fields in canonical order, fault kinds in catalogue
 * order, unknown input never copied through, `$schema` dropped) or throws a ScenarioError listing
 * every bad field; `source` prefixes the message.
 */
export function validateScenario(value: unknown, source?: string): Scenario {
  const { $schema: _forEditorsOnly, ...scenario } = parseWith(
    ScenarioFileSchema,
    withoutUndefined(value),
    ScenarioError,
    source,
  );
  return scenario;
}

/**
 * JSON has no undefined: a field an object literal sets to undefined is absent, as it would be
 * after JSON.stringify, so `{ storePath: undefined }` passes and `{ stepLimit: undefined }` is missing.
 */
function withoutUndefined(value: unknown): unknown {
  if (Array.isArray(value)) return value.map(withoutUndefined);
  if (typeof value !== 'object' || value === null || Object.getPrototypeOf(value) !== Object.prototype) return value;
  return Object.fromEntries(
    Object.entries(value)
      .filter(([, field]) => field !== undefined)
      .map(([key, field]) => [key, withoutUndefined(field)]),
  );
}
