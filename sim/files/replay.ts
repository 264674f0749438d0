/**
 * Replaying a repro: the same scenario, seed and version on the same transport. The transport is
 * the one the repro recorded (its module, found where it was or where its recorded path points
 * from here) unless the caller names another. A recorded module that cannot be found is an error,
 * never a silent replay on some other transport; a module whose content changed since is replayed
 * with a warning, since the replay may then diverge for that reason alone.
 */
import { existsSync } from 'node:fs';
import { resolve } from 'node:path';
import { runScenario, transportVersionOf, type RunResult } from '../index.ts';
import type { Repro } from './repro.ts';
import {
  loadTransportModule,
  TransportModuleError,
  type TransportModule,
  type TransportModuleRecord,
} from './transport-module.ts';

export interface ReplayOptions {
  /** A module path, or a module already loaded, to replay on instead of the recorded one. */
  transport?: string | TransportModule;
  /** The repro's file, named in errors. */
  source?: string;
  /** What recorded relative paths are tried against when the recorded absolute path is gone. */
  cwd?: string;
  /** One line for a person when the transport differs from the recorded one. */
  onWarning?: (line: string) => void;
}

export async function replayRepro(repro: Repro, options: ReplayOptions = {}): Promise<RunResult> {
  const transport = await reproTransport(repro, options);
  return runScenario({
    scenario: repro.scenario,
    seed: repro.seed,
    version: transportVersionOf(repro.version),
    ...(transport ? { factory: transport.factory } : {}),
  });
}

/** The transport a replay of `repro` runs on; null for the bundled transport. */
export async function reproTransport(repro: Repro, options: ReplayOptions = {}): Promise<TransportModule | null> {
  const cwd = options.cwd ?? process.cwd();
  const chosen =
    options.transport === undefined
      ? await recordedModule(repro.transport, options.source ?? 'repro', cwd)
      : typeof options.transport === 'string'
        ? await loadTransportModule(options.transport, { cwd })
        : options.transport;
  const warning = transportWarning(repro.transport, chosen?.record);
  if (warning !== null) options.onWarning?.(warning);
  return chosen;
}

async function recordedModule(
  recorded: TransportModuleRecord | undefined,
  source: string,
  cwd: string,
): Promise<TransportModule | null> {
  if (recorded === undefined) return null;
  const candidates = [recorded.resolvedPath, resolve(cwd, recorded.path)];
  const found = candidates.find((path) => existsSync(path));
  if (found === undefined) {
    const where = [...new Set(candidates)].join(' nor at ');
    const detail =
      `recorded module ${recorded.path} is missing (not at ${where}); ` +
      'pass --transport <module> to replay on another';
    throw new TransportModuleError(source, detail, 'transport');
  }
  const loaded = await loadTransportModule(found, { cwd });
  // Commands printed from here on repeat the path as the user first gave it.
  return { ...loaded, record: { ...loaded.record, path: recorded.path } };
}

/** Why the replay may differ from the recorded run because of the transport itself, or null. */
function transportWarning(
  recorded: TransportModuleRecord | undefined,
  used: TransportModuleRecord | undefined,
): string | null {
  // No module is used only when none was recorded and none was named: the bundled run's own replay.
  if (used === undefined) return null;
  if (recorded === undefined)
    return `warning: the repro was recorded on the bundled transport; replaying on ${used.path}`;
  if (used.sha256 === recorded.sha256) return null;
  return (
    `warning: transport module ${used.path} differs from the recorded one (sha256 ${used.sha256.slice(0, 12)}, ` +
    `recorded ${recorded.sha256.slice(0, 12)}); the replay may diverge for that alone`
  );
}
