/**
 * The one validation mechanism for every file the tool reads: a zod schema parses the value, and
 * every issue zod finds becomes a Problem naming its field. The issues are reshaped where zod's
 * own view is not the one a file's author needs: a ratio is one field, not two numbers; an unknown
 * key gets the closest known name; a missing field says so rather than "expected number".
 */
import type { z } from 'zod';
import { closestName } from './closest-name.ts';
import { InputError, ROOT_FIELD, type Problem } from './input-error.ts';

type Schema = z.core.$ZodType;

/** How a schema's problems are reported, when zod's issue is not the best report of them. */
export interface ProblemHints {
  /**
   * A compound value reported as one field: a problem anywhere inside it (a ratio's denominator)
   * names the value as a whole, with this detail, since the author wrote and reads it as one.
   */
  wholeValue?: (value: unknown) => string;
  /** What an object's keys are, in an unknown-key message ('fault kind'); 'field' by default. */
  keyNoun?: string;
  /** Keys that belong in another section of the file, which an unknown-key message points to. */
  misplaced?: { keys: readonly string[]; section: string };
}

// Keyed by definition, not by schema instance: `.describe()` clones a schema but keeps its definition.
const hints = new WeakMap<object, ProblemHints>();

/** Attaches reporting hints to a schema and returns it, so a schema definition reads as one expression. */
export function withHints<S extends Schema>(schema: S, schemaHints: ProblemHints): S {
  hints.set(schema._zod.def, schemaHints);
  return schema;
}

/** The error class a file kind throws: a scenario's or a repro's. */
export type InputErrorClass = new (problems: readonly Problem[], source?: string) => InputError;

/**
 * The parsed value (a fresh copy, unknown keys never copied through) or an error listing every
 * problem; `source` (a file path) prefixes the message.
 */
export function parseWith<S extends z.ZodType>(
  schema: S,
  value: unknown,
  ErrorClass: InputErrorClass,
  source?: string,
): z.output<S> {
  const result = schema.safeParse(value);
  if (result.success) return result.data;
  throw new ErrorClass(problemsOf(result.error.issues, schema, value), source);
}

/** One problem per field, in zod's order (fields in schema order, then unknown keys, then cross-field rules). */
export function problemsOf(issues: readonly z.core.$ZodIssue[], schema: Schema, input: unknown): Problem[] {
  const problems: Problem[] = [];
  const seen = new Set<string>();
  for (const issue of issues) {
    for (const problem of problemsOfIssue(issue, schema, input)) {
      // A value can fail several checks (a float also above the maximum); its first problem says it all.
      if (seen.has(problem.field)) continue;
      seen.add(problem.field);
      problems.push(problem);
    }
  }
  return problems;
}

function problemsOfIssue(issue: z.core.$ZodIssue, root: Schema, input: unknown): Problem[] {
  const whole = wholeValueAt(root, issue.path);
  if (whole !== undefined) {
    const value = valueAt(input, whole.path);
    return [{ field: fieldName(whole.path), detail: whole.detail(value), value }];
  }
  if (issue.code === 'unrecognized_keys') return unknownKeyProblems(issue, root, input);
  const value = valueAt(input, issue.path);
  // JSON has no undefined, so an undefined field is an absent one, whatever the field's type.
  const missing = value === undefined && issue.path.length > 0 && issue.code !== 'custom';
  return [{ field: fieldName(issue.path), detail: missing ? 'missing field' : issue.message, value }];
}

function unknownKeyProblems(issue: z.core.$ZodIssueUnrecognizedKeys, root: Schema, input: unknown): Problem[] {
  const object = schemaAt(root, issue.path);
  const known = Object.keys(shapeOf(object));
  const { keyNoun = 'field', misplaced } = hintsOf(object);
  const container = valueAt(input, issue.path) as Record<string, unknown>;
  return issue.keys.map((key) => {
    const field = fieldName([...issue.path, key]);
    if (misplaced?.keys.includes(key)) {
      const detail = `${key} is not a ${keyNoun} of this section; it belongs in ${misplaced.section}`;
      return { field, detail, value: container[key] };
    }
    const guess = closestName(key, known);
    const hint = guess === undefined ? '' : `did you mean ${guess}? `;
    return { field, detail: `unknown ${keyNoun} (${hint}known: ${known.join(', ')})`, value: container[key] };
  });
}

/** 'workload.controlChance', 'faults[2].t'; the empty path is the whole value. */
function fieldName(path: readonly PropertyKey[]): string {
  if (path.length === 0) return ROOT_FIELD;
  return path
    .map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? String(key) : `.${String(key)}`))
    .join('');
}

function valueAt(input: unknown, path: readonly PropertyKey[]): unknown {
  let value = input;
  for (const key of path) {
    if (typeof value !== 'object' || value === null) return undefined;
    value = (value as Record<PropertyKey, unknown>)[key];
  }
  return value;
}

/** The outermost schema along `path` that reports itself as a whole value, with its path. */
function wholeValueAt(
  root: Schema,
  path: readonly PropertyKey[],
): { path: readonly PropertyKey[]; detail: (value: unknown) => string } | undefined {
  let schema: Schema | undefined = root;
  for (let depth = 0; schema !== undefined; depth++) {
    const detail = hintsOf(schema).wholeValue;
    if (detail !== undefined) return { path: path.slice(0, depth), detail };
    if (depth === path.length) return undefined;
    schema = childSchema(schema, path[depth]!);
  }
  return undefined;
}

function schemaAt(root: Schema, path: readonly PropertyKey[]): Schema | undefined {
  let schema: Schema | undefined = root;
  for (const key of path) schema = schema === undefined ? undefined : childSchema(schema, key);
  return schema;
}

/** The parts of zod's schema definitions that lead from a value to its children. */
interface Def {
  type: string;
  shape?: Record<string, Schema>;
  items?: Schema[];
  element?: Schema;
  valueType?: Schema;
  innerType?: Schema;
  in?: Schema;
}

function defOf(schema: Schema): Def {
  return schema._zod.def as unknown as Def;
}

/** Optional, default, readonly and pipe wrappers, peeled off down to the schema that holds children. */
function unwrapped(schema: Schema): Schema {
  let def = defOf(schema);
  while (def.innerType !== undefined || (def.type === 'pipe' && def.in !== undefined)) {
    schema = def.innerType ?? def.in!;
    def = defOf(schema);
  }
  return schema;
}

function hintsOf(schema: Schema | undefined): ProblemHints {
  for (let s = schema; s !== undefined;) {
    const found = hints.get(s._zod.def);
    if (found !== undefined) return found;
    const def = defOf(s);
    s = def.innerType ?? (def.type === 'pipe' ? def.in : undefined);
  }
  return {};
}

function shapeOf(schema: Schema | undefined): Record<string, Schema> {
  return (schema === undefined ? undefined : defOf(unwrapped(schema)).shape) ?? {};
}

function childSchema(schema: Schema, key: PropertyKey): Schema | undefined {
  const def = defOf(unwrapped(schema));
  if (def.shape !== undefined) return typeof key === 'string' ? def.shape[key] : undefined;
  if (def.items !== undefined) return typeof key === 'number' ? def.items[key] : undefined;
  return def.element ?? def.valueType;
}
