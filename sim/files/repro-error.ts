/**
 * The one error a user can cause with a repro file: missing, not JSON, or a field that is wrong.
 * It names the file and the field so the CLI prints one line and exits 2 instead of a stack trace.
 */

export class ReproError extends Error {
  readonly code = 'bad_repro';
  /** Dotted path of the field at fault ('version.defects[2]'), or '(file)' for whole-file problems. */
  readonly field: string;
  readonly detail: string;
  readonly source: string | undefined;

  constructor(field: string, detail: string, source?: string) {
    super([source, field === '(file)' ? undefined : field, detail].filter((part) => part !== undefined).join(': '));
    this.name = 'ReproError';
    this.field = field;
    this.detail = detail;
    this.source = source;
  }
}
