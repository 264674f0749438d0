/**
 * The error a user can cause with a repro, regression or run result file: missing, not JSON, or
 * fields that are wrong. It is an InputError (every problem, each naming its field) whose code
 * says a run file was at fault, so the CLI prints one line and exits 2 instead of a stack trace.
 */
import { InputError, type Problem } from '../../scenarios/index.ts';

export class ReproError extends InputError {
  constructor(problems: readonly Problem[], source?: string, note?: string) {
    super('bad_repro', problems, source, note);
    this.name = 'ReproError';
  }
}
