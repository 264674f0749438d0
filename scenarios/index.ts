/**
 * The public surface of scenarios/: what other folders may import from it. Everything else in
 * the folder is internal and may change without notice.
 */
export { closestName } from './closest-name.ts';
export { cataloguedProperties } from './defect-properties.ts';
export { FAULT_KINDS, TIMED_FAULT_KINDS } from './fault-kinds.ts';
export type { FaultKind, RequestFaultKind, TimedFaultKind } from './fault-kinds.ts';
export { anyInt, anyString, catalogueName, expected, intIn, oneOf, section, seedInt } from './field-schemas.ts';
export { runArb, scenarioArb, seedArb } from './generators.ts';
export type { ScenarioArbOptions } from './generators.ts';
export { InputError, showValue } from './input-error.ts';
export type { Problem } from './input-error.ts';
export { SCENARIOS_DIR, listScenarioFiles, loadScenarioFile, resolveScenario } from './load-scenario.ts';
export { readJsonFile } from './read-json-file.ts';
export { readUserFile } from './read-user-file.ts';
export { scenarioHash } from './scenario-hash.ts';
export {
  MAX_BURST_PROMPTS,
  MAX_TIMED_FAULT_RATE_PER_MINUTE,
  MAX_CLIENTS,
  MAX_OMITTED_ORDINALS,
  MAX_PHASE_MS,
  MAX_PROMPTS_PER_CLIENT,
  MAX_RUN_TRACE_ENTRIES,
  MAX_STEP_LIMIT,
} from './scenario-limits.ts';
export { ScenarioSchema } from './scenario.ts';
export type { Ratio, Scenario } from './scenario.ts';
export { parseWith, problemsOf } from './schema-problems.ts';
export { MAX_SEED } from './seed-range.ts';
export { validateScenario } from './validate-scenario.ts';
