/**
 * Parsers for option values, used by commander as argParsers. Each rejects a bad value with a
 * UsageError naming the flag, the value and what is allowed, so the message fits one line.
 */
import { InvalidArgumentError } from 'commander';
import { closestName } from '../scenarios/index.ts';
import {
  DEFECT_IDS,
  isDefectId,
  isVersionName,
  resolveVersion,
  VERSION_NAMES,
  type DefectId,
  type TransportVersion,
} from '../transport/index.ts';
import type { Shard } from '../sim/campaign/index.ts';
import { UsageError } from './usage-error.ts';
import { MAX_SEED } from '../scenarios/index.ts';

export { MAX_SEED };

const MAX_WORKERS = 64;

function integer(text: string, min: number, max: number): number {
  const value = Number(text);
  if (!/^\d+$/.test(text.trim()) || !Number.isSafeInteger(value) || value < min || value > max) {
    throw new InvalidArgumentError(`expected an integer from ${min} to ${max}.`);
  }
  return value;
}

export const parseSeed = (text: string): number => integer(text, 0, MAX_SEED);
export const parseRunCount = (text: string): number => integer(text, 1, 100_000_000);
export const parseShrinkRuns = (text: string): number => integer(text, 0, 100_000);
export const parseCulpritRuns = (text: string): number => integer(text, 0, 100_000);
export const parseWorkers = (text: string): number => integer(text, 1, MAX_WORKERS);

export function parseSeconds(text: string): number {
  const value = Number(text);
  if (text.trim() === '' || !Number.isFinite(value) || value <= 0)
    throw new InvalidArgumentError('expected a positive number of seconds.');
  return value;
}

/** `I/N` with 1 <= I <= N. */
export function parseShard(text: string): Shard {
  const match = /^(\d+)\/(\d+)$/.exec(text.trim());
  const index = match ? Number(match[1]) : NaN;
  const count = match ? Number(match[2]) : NaN;
  if (!match || count < 1 || index < 1 || index > count || count > 1_000_000) {
    throw new InvalidArgumentError('expected I/N with 1 <= I <= N, e.g. 2/4.');
  }
  return { index, count };
}

/** Collects repeated `--defect D` flags, checking each name as it comes. */
export function collectDefect(text: string, previous: DefectId[] = []): DefectId[] {
  if (!isDefectId(text)) {
    const hint = closestName(text, DEFECT_IDS);
    throw new InvalidArgumentError(
      `unknown defect${hint ? ` (did you mean ${hint}?)` : ''}; known: ${DEFECT_IDS.join(', ')}.`,
    );
  }
  return previous.includes(text) ? previous : [...previous, text];
}

/** `--transport-version`, or its old spelling `--version` after a command; both at once must agree. */
export interface VersionFlags {
  transportVersion?: string;
  version?: string;
}

export function versionFromOptions(flags: VersionFlags, defects: DefectId[] = []): TransportVersion {
  const { transportVersion, version } = flags;
  if (transportVersion !== undefined && version !== undefined && transportVersion !== version)
    throw new UsageError(
      `--transport-version ${transportVersion} and --version ${version} disagree; ` +
        '--version after a command is the old spelling of --transport-version, give one',
    );
  const chosen = transportVersion ?? version ?? 'fixed';
  if (!isVersionName(chosen)) {
    throw new UsageError(`unknown version ${JSON.stringify(chosen)}; known: ${VERSION_NAMES.join(', ')}`);
  }
  return resolveVersion(chosen, defects);
}

export function parseVersionName(text: string): string {
  if (!isVersionName(text)) {
    throw new InvalidArgumentError(`unknown version; known: ${VERSION_NAMES.join(', ')}.`);
  }
  return text;
}
