/**
 * Small composable checkers for untrusted JSON. Each takes the value and its dotted path and either
 * returns the value typed or throws a ScenarioError naming that path, so the scenario validator
 * reads as a table of fields and limits rather than a wall of ifs.
 */
import type { Ratio } from './scenario.ts';
import { ScenarioError, showValue } from './scenario-error.ts';
import { closestName } from './closest-name.ts';
import { MAX_RATIO_DENOMINATOR } from './scenario-limits.ts';

export type Check<T> = (value: unknown, path: string) => T;
type Shape = Record<string, Check<unknown>>;
type Checked<S extends Shape> = { [K in keyof S]: ReturnType<S[K]> };

export function fail(path: string, value: unknown, detail: string): never {
  throw new ScenarioError(path, value, detail);
}

export function childPath(parent: string, key: string): string {
  return parent === '(root)' ? key : `${parent}.${key}`;
}

export function isPlainObject(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** An integer in [min, max]; floats, NaN, strings and booleans are all refused. */
export function intIn(min: number, max: number): Check<number> {
  return (value, path) => {
    if (typeof value !== 'number' || !Number.isSafeInteger(value) || value < min || value > max) {
      fail(path, value, `expected an integer from ${min} to ${max}, got ${showValue(value)}`);
    }
    return value;
  };
}

/**
 * A finite number in (0, max], for rates that need not be whole. Zero is refused: a rate that can
 * never fire is an entry to delete, and an enabled fault that never fires reads as a finding.
 */
export function positiveRate(max: number, unit: string): Check<number> {
  return (value, path) => {
    if (typeof value !== 'number' || !Number.isFinite(value) || value <= 0 || value > max) {
      fail(path, value, `expected a number greater than 0 and at most ${max} ${unit}, got ${showValue(value)}`);
    }
    return value;
  };
}

export function text(maxLength: number, pattern?: RegExp): Check<string> {
  return (value, path) => {
    if (typeof value !== 'string' || value.length === 0 || value.length > maxLength) {
      fail(path, value, `expected a non-empty string of at most ${maxLength} characters, got ${showValue(value)}`);
    }
    if (pattern !== undefined && !pattern.test(value)) {
      fail(path, value, `expected a string matching ${pattern}, got ${showValue(value)}`);
    }
    return value;
  };
}

/**
 * An exact probability [numerator, denominator]. `minNumerator` 1 refuses a zero chance where an
 * entry that can never fire would only be noise (an enabled fault that never fires is a finding).
 */
export function ratio(minNumerator = 0): Check<Ratio> {
  return (value, path) => {
    const ok =
      Array.isArray(value) &&
      value.length === 2 &&
      value.every((n) => typeof n === 'number' && Number.isSafeInteger(n)) &&
      value[0] >= minNumerator &&
      value[0] <= value[1] &&
      value[1] > 0 &&
      value[1] <= MAX_RATIO_DENOMINATOR;
    if (!ok) {
      fail(
        path,
        value,
        `expected [numerator, denominator] with ${minNumerator} <= numerator <= denominator, ` +
          `0 < denominator <= ${MAX_RATIO_DENOMINATOR}, got ${showValue(value)}`,
      );
    }
    return [value[0], value[1]];
  };
}

/** Rejects keys outside `known`, suggesting the nearest known one for a likely typo. */
export function rejectUnknownKeys(
  object: Record<string, unknown>,
  path: string,
  known: readonly string[],
  what = 'field',
): void {
  for (const key of Object.keys(object)) {
    if (known.includes(key)) continue;
    const guess = closestName(key, known);
    const hint = guess === undefined ? '' : `did you mean ${guess}? `;
    fail(childPath(path, key), object[key], `unknown ${what} (${hint}known: ${known.join(', ')})`);
  }
}

/** An object with exactly the fields of `shape`: all required except `optional`, none extra. */
export function record<S extends Shape>(shape: S, optional: readonly (keyof S & string)[] = []): Check<Checked<S>> {
  const known = Object.keys(shape);
  return (value, path) => {
    if (!isPlainObject(value)) fail(path, value, `expected an object, got ${showValue(value)}`);
    rejectUnknownKeys(value, path, known);
    const out: Record<string, unknown> = {};
    for (const key of known) {
      const fieldPath = childPath(path, key);
      if (!Object.hasOwn(value, key) || value[key] === undefined) {
        if (optional.includes(key)) continue;
        fail(fieldPath, undefined, 'missing field');
      }
      out[key] = shape[key]!(value[key], fieldPath);
    }
    return out as Checked<S>;
  };
}
