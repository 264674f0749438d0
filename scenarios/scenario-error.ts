/**
 * The one error a user can cause with a scenario: a bad file, bad JSON or a bad field. It carries
 * the field path and the offending value as data so the CLI can print one line and exit 2 instead
 * of a stack trace, and tests can assert on the field rather than on message wording.
 */

/** How much of an offending value a message shows; a whole pasted object would drown the field name. */
const MAX_SHOWN_VALUE_CHARS = 60;

/** The pseudo-field of whole-file problems; the message shows the path alone, since it is the source. */
export const FILE_FIELD = '(file)';

export class ScenarioError extends Error {
  readonly code = 'bad_scenario';
  /** Dotted path of the field at fault ('workload.controlChance'), or '(root)' / '(file)'. */
  readonly field: string;
  readonly value: unknown;
  /** What is wrong, without the field or source prefix. */
  readonly detail: string;
  /** Where the scenario came from (a file path), when known. */
  readonly source: string | undefined;

  constructor(field: string, value: unknown, detail: string, source?: string) {
    super([source, field === FILE_FIELD ? undefined : field, detail].filter((part) => part !== undefined).join(': '));
    this.name = 'ScenarioError';
    this.field = field;
    this.value = value;
    this.detail = detail;
    this.source = source;
  }

  /** The same error attributed to a file; validation itself does not know where its input came from. */
  withSource(source: string): ScenarioError {
    return new ScenarioError(this.field, this.value, this.detail, source);
  }
}

/** A short, single-line rendering of any value for an error message. */
export function showValue(value: unknown): string {
  let shown: string;
  if (value === undefined) shown = 'undefined';
  else if (typeof value === 'number' && !Number.isFinite(value)) shown = String(value);
  else if (typeof value === 'bigint') shown = `${value}n`;
  else if (typeof value === 'function' || typeof value === 'symbol') shown = typeof value;
  else shown = JSON.stringify(value) ?? String(value);
  return shown.length > MAX_SHOWN_VALUE_CHARS ? `${shown.slice(0, MAX_SHOWN_VALUE_CHARS - 3)}...` : shown;
}
