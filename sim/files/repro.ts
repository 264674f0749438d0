/**
 * Repro files: everything needed to rerun one failing run exactly (scenario, seed, version), plus
 * what the run produced (trace hash, verdict, violations, the faults it injected) so a replay can
 * tell whether the code still behaves the same. The full trace goes to a sidecar
 * `<name>.trace.jsonl` next to it, so a replay that diverges can say where. A run of somebody
 * else's transport also records its module (transport-module.ts); without one, the run was of the
 * bundled transport.
 */
import { mkdirSync, unlinkSync } from 'node:fs';
import { join } from 'node:path';
import type { Scenario } from '../../scenarios/index.ts';
import type { PropertyId } from '../../model/index.ts';
import type { VerdictKind } from '../../model/index.ts';
import type { RunResult, RunVersion } from '../index.ts';
import { Trace } from '../core/index.ts';
import { readJsonFile } from '../../scenarios/index.ts';
import { readUserFile } from '../../scenarios/index.ts';
import { validateRepro } from './repro-check.ts';
import { ReproError } from './repro-error.ts';
import { writeFileExclusive } from './exclusive-write.ts';
import type { TransportModuleRecord } from './transport-module.ts';

const REPRO_FORMAT = 'ssesim-repro';
const REPRO_FORMAT_VERSION = 1;
/**
 * The format of a repro that records a transport module. A tool that predates transport modules
 * refuses it (it knows format 1 only) rather than replay the failure on its bundled transport.
 */
const REPRO_FORMAT_VERSION_WITH_TRANSPORT = 2;
/** Suffixes tried after the plain name before giving up: far more than any real collision needs. */
const MAX_NAME_SUFFIX = 10_000;

export interface ReproFault {
  index: number;
  t: number;
  /** The fault kind ('http-503', 'server-crash'), as counted in the run's fault counts. */
  kind: string;
  details: Record<string, unknown>;
}

export interface Repro {
  format: typeof REPRO_FORMAT;
  formatVersion: typeof REPRO_FORMAT_VERSION | typeof REPRO_FORMAT_VERSION_WITH_TRANSPORT;
  scenario: Scenario;
  seed: number;
  version: RunVersion;
  traceHash: string;
  verdict: VerdictKind;
  violations: { property: PropertyId; message: string }[];
  faults: ReproFault[];
  command: string;
  /** The transport module the run used; absent for the bundled transport. */
  transport?: TransportModuleRecord;
}

export interface WrittenRepro {
  path: string;
  tracePath: string;
  repro: Repro;
}

/** The command to paste: `npx ssesim` runs the sources in a clone and the compiled CLI where installed. */
export function reproCommand(path: string, transport?: Pick<TransportModuleRecord, 'path'>): string {
  const words = ['npx', 'ssesim', 'replay', path, ...(transport ? ['--transport', transport.path] : [])];
  return words.map(shellWord).join(' ');
}

/** A word as a POSIX shell reads it back: as it is when that is safe, else single-quoted. */
export function shellWord(word: string): string {
  return /^[\w@%+=:,./-]+$/.test(word) ? word : `'${word.replaceAll("'", `'\\''`)}'`;
}

export function toRepro(result: RunResult, path: string, transport?: TransportModuleRecord): Repro {
  const faults = result.trace
    .filter((entry) => entry.kind.startsWith('fault.'))
    .map((entry) => ({
      index: entry.index,
      t: entry.t,
      kind: entry.kind.slice('fault.'.length),
      details: entry.details,
    }));
  return {
    format: REPRO_FORMAT,
    formatVersion: transport ? REPRO_FORMAT_VERSION_WITH_TRANSPORT : REPRO_FORMAT_VERSION,
    scenario: result.scenario,
    seed: result.seed,
    version: result.version,
    traceHash: result.traceHash,
    verdict: result.verdict,
    violations: result.violations.map((v) => ({ property: v.property, message: v.message })),
    faults,
    command: reproCommand(path, transport),
    ...(transport ? { transport } : {}),
  };
}

/** The sidecar holding the full trace of a repro: `x.json` -> `x.trace.jsonl`. */
export function traceSidecarPath(reproPath: string): string {
  return `${reproPath.replace(/\.json$/, '')}.trace.jsonl`;
}

/** What a failure is named after: its first violated property, or the verdict when none is. */
function reproLabel(result: Pick<RunResult, 'verdict' | 'violations'>): string {
  return result.violations[0]?.property ?? result.verdict;
}

export interface WriteReproOptions {
  /** Names the failure in the file name; defaults to the first violated property (reproLabel). */
  label?: string;
  /** Appended to the name, e.g. `shrunk`. */
  tag?: string;
  /** The whole name before any `-2`, `-3`..., in place of `repro-<version>-<seed>-<label>[-tag]`. */
  name?: string;
  /** The transport module the run used; none for the bundled transport. */
  transport?: TransportModuleRecord;
}

/**
 * Writes `<dir>/repro-<version>-<seed>-<label>[-tag].json` (or `<dir>/<name>.json`) and its trace
 * sidecar. An existing file is never replaced: the name gets `-2`, `-3`... until both are free.
 */
export function writeRepro(dir: string, result: RunResult, options: WriteReproOptions = {}): WrittenRepro {
  mkdirSync(dir, { recursive: true });
  const tag = options.tag ? `-${options.tag}` : '';
  const base =
    options.name ??
    `repro-${safeName(result.version.name)}-${result.seed}-${options.label ?? reproLabel(result)}${tag}`;
  for (let n = 1; n <= MAX_NAME_SUFFIX; n++) {
    const written = writeReproFile(join(dir, `${base}${n === 1 ? '' : `-${n}`}.json`), result, options.transport);
    if (written) return written;
  }
  throw new Error(`writeRepro: ${MAX_NAME_SUFFIX} files named ${base}*.json already exist in ${dir}`);
}

/** Writes a repro and its sidecar at exactly `path`; null when either file already exists. */
export function writeReproFile(
  path: string,
  result: RunResult,
  transport?: TransportModuleRecord,
): WrittenRepro | null {
  const tracePath = traceSidecarPath(path);
  const texts = reproTexts(result, path, transport);
  // The sidecar claims the name first; the repro, written last, is what makes the pair complete.
  if (!writeFileExclusive(tracePath, texts.trace)) return null;
  if (writeFileExclusive(path, texts.json)) return { path, tracePath, repro: texts.repro };
  unlinkSync(tracePath);
  return null;
}

/** What a repro at `path` holds, as the texts of its two files. */
export function reproTexts(
  result: RunResult,
  path: string,
  transport?: TransportModuleRecord,
): { repro: Repro; json: string; trace: string } {
  const repro = toRepro(result, path, transport);
  return { repro, json: `${JSON.stringify(repro, null, 2)}\n`, trace: Trace.fromEntries(result.trace).toJsonLines() };
}

/** Version labels join defects with '+'; anything outside a conservative file-name alphabet becomes '_'. */
function safeName(name: string): string {
  return name.replace(/[^A-Za-z0-9._+-]/g, '_');
}

export function readRepro(path: string): Repro {
  return validateRepro(readJsonFile(path, ReproError), path);
}

/**
 * The trace stored beside a repro, or null when the sidecar is missing or unreadable. It is read
 * like any file a user names (a pipe or device in its place is refused, not read).
 */
export function readReproTrace(reproPath: string): Trace | null {
  const file = readUserFile(traceSidecarPath(reproPath));
  if (!file.ok) return null;
  try {
    return Trace.fromJsonLines(file.text);
  } catch {
    return null;
  }
}
