/**
 * Reading scenarios from disk. Every way a file can be wrong (missing, unreadable, not JSON, not a
 * valid scenario) ends as a one-line ScenarioError naming the file, which the CLI turns into
 * exit code 2; nothing here lets a raw fs or JSON.parse error escape.
 */
import { existsSync, readdirSync } from 'node:fs';
import { basename, join } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { Scenario } from './scenario.ts';
import { FILE_FIELD, ScenarioError } from './scenario-error.ts';
import { findJsonProblem } from './json-problem.ts';
import { validateScenario } from './validate-scenario.ts';
import { readUserFile } from './read-user-file.ts';

export { scenarioHash, canonicalJson } from './scenario-hash.ts';

/** The folder holding the named scenarios: this module's own folder, wherever the process runs from. */
export const SCENARIOS_DIR = fileURLToPath(new URL('.', import.meta.url));

export function loadScenarioFile(path: string): Scenario {
  const file = readUserFile(path);
  if (!file.ok) throw new ScenarioError(FILE_FIELD, path, file.reason, path);
  return validateScenario(parseJsonText(file.text, path), path);
}

function parseJsonText(text: string, path: string): unknown {
  const problem = findJsonProblem(text);
  if (problem !== undefined) {
    throw new ScenarioError(
      FILE_FIELD,
      path,
      `invalid JSON at line ${problem.line} column ${problem.column}: ${problem.detail}`,
      path,
    );
  }
  return JSON.parse(text);
}

export interface ScenarioFile {
  name: string;
  path: string;
}

/** The *.json scenarios directly in `dir` (not regressions/), sorted by name so listings are stable. */
export function listScenarioFiles(dir: string = SCENARIOS_DIR): ScenarioFile[] {
  return readdirSync(dir, { withFileTypes: true })
    .filter((entry) => entry.isFile() && entry.name.endsWith('.json'))
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
    throw new ScenarioError(
      '(scenario)',
      nameOrPath,
      `no scenario named ${JSON.stringify(nameOrPath)} (known: ${known.join(', ')})`,
    );
  }
  return loadScenarioFile(path);
}
