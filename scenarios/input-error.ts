/**
 * The one error a user can cause with a file the tool reads (a scenario, a repro, a regression, a
 * run result): it carries every problem found, each naming its field, so a person fixes a file in
 * one pass instead of one rerun per mistake. The CLI prints it as one line and exits 2; tests
 * assert on the fields rather than on wording.
 */

/** How much of an offending value a message shows; a whole pasted object would drown the field name. */
const MAX_SHOWN_VALUE_CHARS = 60;

/** The pseudo-field of whole-file problems; the message shows the path alone, since it is the source. */
export const FILE_FIELD = '(file)';
/** The field of a problem with the whole value (a file that holds an array instead of an object). */
export const ROOT_FIELD = '(root)';

export interface Problem {
  /** Dotted path of the field at fault ('workload.controlChance', 'faults[2].t'), or '(root)' / '(file)'. */
  field: string;
  /** What is wrong, without the field or source prefix. */
  detail: string;
  value: unknown;
}

export type InputErrorCode = 'bad_scenario' | 'bad_repro' | 'bad_transport';

export class InputError extends Error {
  readonly code: InputErrorCode;
  /** At least one; in the order the file holds the fields, so the message reads top to bottom. */
  readonly problems: readonly Problem[];
  /** Where the input came from (a file path), when known. */
  readonly source: string | undefined;

  /** `note` says once, after the problems, what the whole input should have been. */
  constructor(code: InputErrorCode, problems: readonly Problem[], source?: string, note?: string) {
    if (problems.length === 0) throw new Error('InputError: a validation error needs at least one problem');
    super(problemsMessage(problems, source) + (note === undefined ? '' : ` (${note})`));
    this.name = 'InputError';
    this.code = code;
    this.problems = problems;
    this.source = source;
  }

  /** The first problem's field, value and detail: what a caller that handles one problem needs. */
  get field(): string {
    return this.problems[0]!.field;
  }

  get value(): unknown {
    return this.problems[0]!.value;
  }

  get detail(): string {
    return this.problems[0]!.detail;
  }
}

/**
 * `source: field: detail; field: detail`, on one line: the CLI's contract is one line per error,
 * and the source is said once rather than on every problem.
 */
function problemsMessage(problems: readonly Problem[], source: string | undefined): string {
  const parts = problems.map(({ field, detail }) => (field === FILE_FIELD ? detail : `${field}: ${detail}`));
  return [source, parts.join('; ')].filter((part) => part !== undefined).join(': ');
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
