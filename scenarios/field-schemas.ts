/**
 * Zod building blocks for the fields of the files the tool reads. Each states, in its error
 * message, what it expected (naming the limit) and the value it got, so the schemas read as a
 * table of fields and limits, and every message has the same shape: "expected X, got Y".
 */
import { z } from 'zod';
import { closestName } from './closest-name.ts';
import { showValue } from './input-error.ts';
import { withHints } from './schema-problems.ts';
import { MAX_RATIO_DENOMINATOR } from './scenario-limits.ts';
import { MAX_SEED } from './seed-range.ts';

/** A zod error function: what was expected, and the offending value. */
export function expected(what: string): (issue: { input?: unknown }) => string {
  return (issue) => `expected ${what}, got ${showValue(issue.input)}`;
}

/**
 * A safe integer from `min` to `max` (either bound may be left open). Not zod's z.int(): it marks a
 * fraction as aborting the whole parse, which would skip every cross-field rule of the file
 * (min <= max) and hide those problems until the fraction is fixed. A number with an integer
 * refinement refuses the same values and lets the rules run; the JSON Schema type is restated.
 */
function integer(error: (issue: { input?: unknown }) => string, min?: number, max?: number) {
  let number = z.number({ error });
  if (min !== undefined) number = number.min(min, { error });
  if (max !== undefined) number = number.max(max, { error });
  return number.refine(Number.isSafeInteger, { error }).meta({ type: 'integer' });
}

/** An integer in [min, max]; floats, NaN, strings and booleans are all refused. */
export function intIn(min: number, max: number) {
  return integer(expected(`an integer from ${min} to ${max}`), min, max);
}

/** A seed, in the one range every command accepts (MAX_SEED). */
export function seedInt() {
  return intIn(0, MAX_SEED);
}

/** Any integer (a trace index, a virtual time). */
export function anyInt() {
  return integer(expected('an integer'));
}

/**
 * A finite number in (0, max], for rates that need not be whole. Zero is refused: a rate that can
 * never fire is an entry to delete, and an enabled fault that never fires reads as a finding.
 */
export function positiveRate(max: number, unit: string) {
  const error = expected(`a number greater than 0 and at most ${max} ${unit}`);
  return z.number({ error }).gt(0, { error }).max(max, { error });
}

export function text(maxLength: number, pattern?: RegExp) {
  const error = expected(`a non-empty string of at most ${maxLength} characters`);
  const string = z.string({ error }).min(1, { error }).max(maxLength, { error });
  return pattern === undefined ? string : string.regex(pattern, { error: expected(`a string matching ${pattern}`) });
}

/**
 * A set of 1-based ordinals (the 2nd and 5th firing, say), written in increasing order so that one
 * set has one spelling and one scenario hash.
 */
export function ordinalList(maxLength: number) {
  const error = expected(`a list of at most ${maxLength} integers >= 1 in increasing order`);
  return z
    .array(intIn(1, Number.MAX_SAFE_INTEGER), { error })
    .max(maxLength, { error })
    .refine((list) => list.every((n, i) => i === 0 || n > list[i - 1]!), { error });
}

/** Any string (a message, a command): only its type is checked. */
export function anyString() {
  return z.string({ error: expected('a string') });
}

/**
 * An exact probability [numerator, denominator]. `minNumerator` 1 refuses a zero chance where an
 * entry that can never fire would only be noise (an enabled fault that never fires is a finding).
 */
export function ratio(minNumerator = 0) {
  const detail = expected(
    `[numerator, denominator] with ${minNumerator} <= numerator <= denominator, ` +
      `0 < denominator <= ${MAX_RATIO_DENOMINATOR}`,
  );
  const schema = z
    .tuple([intIn(minNumerator, MAX_RATIO_DENOMINATOR), intIn(1, MAX_RATIO_DENOMINATOR)])
    .refine(([numerator, denominator]) => numerator <= denominator);
  // The author writes a ratio as one value, so any problem inside it (a float numerator, a third
  // element, numerator above denominator) is reported as this one message about the whole ratio.
  return withHints(schema, { wholeValue: (value) => detail({ input: value }) });
}

/** An object with exactly the fields of `shape` (optional ones marked in the shape), none extra. */
export function section<S extends z.core.$ZodLooseShape>(shape: S) {
  return z.strictObject(shape, { error: expected('an object') });
}

/**
 * A map from fault kind to rate, with every kind optional. A kind of the other family gets its
 * own hint, since putting `server-crash` under `request` is the likeliest mistake.
 */
export function faultMap<K extends string, R extends z.ZodType>(
  kinds: readonly K[],
  other: { kinds: readonly string[]; section: string },
  rate: R,
) {
  // Kinds in catalogue order, so the parsed map lists a scenario's faults the same way whatever order its file used.
  const shape = Object.fromEntries(kinds.map((kind) => [kind, rate.exactOptional()])) as {
    [Kind in K]: z.ZodExactOptional<R>;
  };
  const schema = z.strictObject(shape, { error: expected('an object of fault kind -> rate') });
  return withHints(schema, { keyNoun: 'fault kind', misplaced: { keys: other.kinds, section: other.section } });
}

/** One of a small closed set, listed in full in the message ('passed, violation, ...'). */
export function oneOf<const T extends readonly [string, ...string[]]>(names: T) {
  return z.enum(names, { error: expected(`one of ${names.join(', ')}`) });
}

/**
 * One of a catalogue too long to list in a message (defects, properties): an unknown name gets the
 * closest known one as a suggestion instead.
 */
export function catalogueName<const T extends readonly [string, ...string[]]>(names: T, what: string) {
  return z.enum(names, {
    error: (issue) => {
      const guess = typeof issue.input === 'string' ? closestName(issue.input, names) : undefined;
      return `unknown ${what} ${showValue(issue.input)}${guess === undefined ? '' : ` (did you mean ${guess}?)`}`;
    },
  });
}
