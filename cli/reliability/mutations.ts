/**
 * Bad variants of a good JSON file, generated rather than listed: every chosen field replaced by
 * a value of each other JSON type (markup among the strings) or removed. Which variants are bad is
 * decided by the file's own validator, so the suite asks only how the CLI fails, never which
 * variants should.
 */

export type Path = readonly (string | number)[];

export interface Mutation {
  /** `workload.promptGapMsMin = null`, for the case name. */
  label: string;
  value: unknown;
}

const REMOVED = Symbol('removed');

/** One value of each JSON type; each field gets those of a type other than its own. */
const REPLACEMENTS: readonly unknown[] = [null, 7, -1, 2.5, true, '<script>alert(1)</script>', '', [], { x: 1 }];

function typeOf(value: unknown): string {
  if (value === null) return 'null';
  if (Array.isArray(value)) return 'array';
  return typeof value;
}

/** Every path to a field at most `maxDepth` levels down, containers included, in document order. */
export function pathsOf(value: unknown, maxDepth: number, prefix: Path = []): Path[] {
  if (prefix.length >= maxDepth || typeof value !== 'object' || value === null) return [];
  const entries: [string | number, unknown][] = Array.isArray(value)
    ? value.map((item, i): [number, unknown] => [i, item])
    : Object.entries(value);
  return entries.flatMap(([key, field]) => [[...prefix, key], ...pathsOf(field, maxDepth, [...prefix, key])]);
}

export function valueAt(value: unknown, path: Path): unknown {
  return path.reduce<unknown>((at, key) => (at as Record<string | number, unknown>)[key], value);
}

/** A copy of `value` with the field at `path` replaced, or removed with REMOVED. */
function withField(value: unknown, path: Path, replacement: unknown): unknown {
  if (path.length === 0) return replacement;
  const [key, ...rest] = path;
  if (Array.isArray(value)) {
    const copy = [...value];
    if (rest.length === 0 && replacement === REMOVED) copy.splice(key as number, 1);
    else copy[key as number] = withField(value[key as number], rest, replacement);
    return copy;
  }
  const copy = { ...(value as Record<string, unknown>) };
  if (rest.length === 0 && replacement === REMOVED) delete copy[key as string];
  else copy[key as string] = withField(copy[key as string], rest, replacement);
  return copy;
}

export function pathLabel(path: Path): string {
  return path.map((key, i) => (typeof key === 'number' ? `[${key}]` : i === 0 ? key : `.${key}`)).join('');
}

/** Each path's field replaced by every value of another type, and removed. */
export function* mutationsOf(base: unknown, paths: readonly Path[]): Generator<Mutation> {
  for (const path of paths) {
    const original = valueAt(base, path);
    const label = pathLabel(path);
    for (const replacement of REPLACEMENTS) {
      if (typeOf(replacement) === typeOf(original) && typeOf(original) !== 'number') continue;
      if (replacement === original) continue;
      yield { label: `${label} = ${JSON.stringify(replacement)}`, value: withField(base, path, replacement) };
    }
    yield { label: `${label} removed`, value: withField(base, path, REMOVED) };
  }
}
