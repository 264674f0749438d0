/**
 * The error a user can cause with a scenario: a bad file, bad JSON, an unknown scenario name or
 * bad fields. It is an InputError (every problem, each naming its field) whose code says a
 * scenario was at fault, so the CLI prints one line and exits 2 instead of a stack trace.
 */
import { InputError, type Problem } from './input-error.ts';

export class ScenarioError extends InputError {
  constructor(problems: readonly Problem[], source?: string, note?: string) {
    super('bad_scenario', problems, source, note);
    this.name = 'ScenarioError';
  }
}
