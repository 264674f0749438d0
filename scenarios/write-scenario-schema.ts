/**
 * `npm run schema`: rewrites scenarios/scenario.schema.json from the zod schema. Run it after
 * changing a scenario field or limit; a test fails until the shipped file matches.
 */
import { writeFileSync } from 'node:fs';
import { SCENARIO_SCHEMA_PATH, scenarioJsonSchemaText } from './scenario-json-schema.ts';

writeFileSync(SCENARIO_SCHEMA_PATH, scenarioJsonSchemaText());
console.log(`wrote ${SCENARIO_SCHEMA_PATH}`);
