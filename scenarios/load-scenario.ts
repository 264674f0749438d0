/**
 * Reading scenarios from disk. Every way a file can be wrong (missing, unreadable, not JSON, not a
 * valid scenario) ends as a one-line ScenarioError naming the file and every bad field, which the
 * CLI turns into exit code 2; nothing here lets a raw fs or JSON.parse error escape.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scenario } from './scenario.ts';
import { ScenarioError } from './scenario-error.ts';
import { validateScenario } from './validate-scenario.ts';
import { readJsonFile } from './read-json-file.ts';

export { scenarioHash, canonicalJson } from './scenario-hash.ts';

/** The folder holding the named scenarios: this module's own folder, wherever the process runs from. */
export const SCENARIOS_DIR = fileURLToPath(new URL('.', import.meta.url));

export function loadScenarioFile(path: string): Scenario {
  return validateScenario(readJsonFile(path, ScenarioError), path);
}

export interface ScenarioFile {
  name: string;
  path: string;
}

/** The JSON Schema of scenario files lives beside them and is no scenario itself. */
const SCHEMA_FILE_SUFFIX = '.schema.json';

/**
 * The *.json scenarios directly in `dir` (not regressions/, not the JSON Schema), sorted by name
 * so listings are stable.
 */
export function listScenarioFiles(dir: string = SCENARIOS_DIR): ScenarioFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json') && !entry.name.endsWith(SCHEMA_FILE_SUFFIX))
    .map((entry) => ({ name: basename(entry.name, '.json'), path: join(dir, entry.name) }))
    .sort((a, b) => (a.name < b.name ? -1 : a.name > b.name ? 1 : 0));
}

/** Anything with a path separator or a .json suffix is a path; anything else names scenarios/<name>.json. */
function looksLikePath(nameOrPath: string): boolean {
  return nameOrPath.includes('/') || nameOrPath.includes('\\') || nameOrPath.endsWith('.json');
}

/** What `ssesim run <scenario>` accepts: a scenario name (`default`, `crash-storm`) or a file path. */
export function resolveScenario(nameOrPath: string, dir: string = SCENARIOS_DIR): Scenario {
  if (looksLikePath(nameOrPath)) return loadScenarioFile(nameOrPath);
  const path = join(dir, `${nameOrPath}.json`);
  if (!existsSync(path)) {
    const known = listScenarioFiles(dir).map((file) => file.name);
    const detail = `no scenario named ${JSON.stringify(nameOrPath)} (known: ${known.join(', ')})`;
    throw new ScenarioError([{ field: '(scenario)', detail, value: nameOrPath }]);
  }
  return loadScenarioFile(path);
}
