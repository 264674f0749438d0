import { readFileSync } from 'node:fs';
import { describe, expect, it } from 'vitest';
import { SCENARIO_SCHEMA_FILE, SCENARIO_SCHEMA_PATH, scenarioJsonSchemaText } from './scenario-json-schema.ts';
import { listScenarioFiles } from './load-scenario.ts';
import { MAX_CLIENTS, MAX_TIMED_FAULT_RATE_PER_MINUTE } from './scenario-limits.ts';

describe('scenario.schema.json', () => {
  it('is what the zod schema generates (run `npm run schema` after changing a field or limit)', () => {
    expect(readFileSync(SCENARIO_SCHEMA_PATH, 'utf8')).toBe(scenarioJsonSchemaText());
  });

  it('states the limits, the required fields and that nothing else is allowed', () => {
    const schema = JSON.parse(scenarioJsonSchemaText());
    expect(schema.properties.clients).toMatchObject({ type: 'integer', minimum: 1, maximum: MAX_CLIENTS });
    expect(schema.definitions.timedFaultRate).toMatchObject({ maximum: MAX_TIMED_FAULT_RATE_PER_MINUTE });
    expect(schema.required).toContain('stepLimit');
    expect(schema.required).not.toContain('$schema');
    expect(schema.additionalProperties).toBe(false);
    expect(Object.keys(schema.properties.faults.properties.timed.properties)).toContain('server-crash');
  });

  it.each(listScenarioFiles())('is named by the bundled scenario $name', ({ path }) => {
    expect(JSON.parse(readFileSync(path, 'utf8')).$schema).toBe(`./${SCENARIO_SCHEMA_FILE}`);
  });
});
