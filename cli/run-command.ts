/**
 * `ssesim run <scenario>`: one run, its verdict, a repro when it fails, reports with --out, and
 * with --check-determinism a second run that must produce the identical trace.
 */
import { resolveScenario, type Scenario } from '../scenarios/index.ts';
import { campaignScenario } from '../sim/campaign/index.ts';
import { runVersionOf } from '../sim/index.ts';
import { UsageError } from './usage-error.ts';
import type { DefectId, TransportVersion } from '../transport/index.ts';
import type { TransportFactory } from '../sim/world/index.ts';
import { runScenario } from '../sim/index.ts';
import type { RunResult } from '../sim/index.ts';
import { firstDivergence } from '../sim/core/index.ts';
import { loadTransportModule, writeRepro } from '../sim/files/index.ts';
import { writeReportFiles } from '../reports/index.ts';
import { writeNew } from '../sim/files/index.ts';
import { versionFromOptions } from './parse-options.ts';
import { exitCodeOf, runJson, runText } from './run-output.ts';
import { divergenceLines } from './divergence-text.ts';
import { printJson, printOut } from './output.ts';
import { DEFAULT_REPRO_DIR } from './paths.ts';
import { checkOutDir, prepareOutDir } from './out-dir.ts';
import { prepareStoreFile } from './store-file.ts';

export interface RunCommandOptions {
  seed?: number;
  transportVersion?: string;
  /** The old spelling of transportVersion. */
  version?: string;
  defect?: DefectId[];
  json?: boolean;
  out?: string;
  checkDeterminism?: boolean;
  /** A transport module's path; the bundled transport without it. */
  transport?: string;
  /** Keep the server's SQLite database in this file (a new one, or a store an earlier run wrote). */
  store?: string;
}

export const DEFAULT_SEED = 1;

/** The scenario argument that names a campaign's generated run of the seed. */
const GENERATED_SCENARIO = 'generated';

export async function runCommand(scenarioArg: string | undefined, options: RunCommandOptions): Promise<number> {
  const version = versionFromOptions(options, options.defect);
  const seed = options.seed ?? DEFAULT_SEED;
  const scenario = scenarioOf(scenarioArg, options.seed, version);
  const transport = options.transport === undefined ? null : await loadTransportModule(options.transport);
  const factory = transport?.factory;
  if (options.out !== undefined) prepareOutDir({ flag: '--out', path: options.out });
  else checkOutDir({ flag: 'the repro folder', path: DEFAULT_REPRO_DIR });
  const result = await runScenario({ scenario, seed, version, factory, ...storeOf(options) });
  const json = runJson(result);
  const text = runText(result);
  if (transport) {
    json.transport = transport.record;
    text.splice(1, 0, `  transport ${transport.record.path} (${transport.factory.name})`);
  }
  let code = exitCodeOf(result.verdict);
  if (options.checkDeterminism) {
    const same = await checkDeterminism(result, version, options, factory);
    json.deterministic = same.lines.length === 0;
    text.push(...(same.lines.length === 0 ? ['  deterministic: a second run gave the identical trace'] : same.lines));
    if (same.lines.length > 0) code = 1;
  }
  let reproPath: string | undefined;
  if (result.verdict !== 'passed') {
    const written = writeRepro(options.out ?? DEFAULT_REPRO_DIR, result, { transport: transport?.record });
    json.repro = written.path;
    reproPath = written.path;
    text.push(`  repro ${written.path}`, `  replay with: ${written.repro.command}`);
  }
  if (options.out !== undefined) {
    const reports = {
      ...writeReportFiles(result, options.out, {
        nextStep: {
          ...(reproPath === undefined ? {} : { reproPath }),
          ...(transport ? { transportPath: transport.record.path } : {}),
        },
      }),
      result: writeNew(options.out, 'result.json', `${JSON.stringify(result)}\n`),
    };
    json.reports = reports;
    text.push(`  report ${reports.html}`);
  }
  if (options.json) printJson(json);
  else text.forEach((line) => printOut(line));
  return code;
}

/**
 * A named scenario or file, or with `generated` (or no scenario and a --seed) the scenario a
 * campaign generates for that seed: the campaign's own derivation, so `run --seed N` is run N - S
 * of any `fuzz --seed S` campaign.
 */
function scenarioOf(scenarioArg: string | undefined, seed: number | undefined, version: TransportVersion): Scenario {
  if (scenarioArg !== undefined && scenarioArg !== GENERATED_SCENARIO) return resolveScenario(scenarioArg);
  if (seed === undefined)
    throw new UsageError(
      scenarioArg === undefined
        ? 'run: name a scenario (ssesim list), or give --seed N to rerun the generated run of that seed'
        : 'run generated needs --seed N: the seed of the campaign run to rerun',
    );
  return campaignScenario({ version: runVersionOf(version), baseSeed: seed }, 0);
}

/** With --store, the file is made ready (an earlier store replaced) before each run, so each starts empty. */
function storeOf(options: RunCommandOptions): { storePath?: string } {
  if (options.store === undefined) return {};
  prepareStoreFile(options.store);
  return { storePath: options.store };
}

/** Reruns the same (scenario, seed, version) in this process; any difference is a determinism bug. */
async function checkDeterminism(
  first: RunResult,
  version: TransportVersion,
  options: RunCommandOptions,
  factory: TransportFactory | undefined,
): Promise<{ lines: string[] }> {
  const { scenario, seed } = first;
  const second = await runScenario({ scenario, seed, version, factory, ...storeOf(options) });
  return { lines: determinismLines(first, second) };
}

/** Nothing when the two runs left the identical trace; else both hashes and the first differing entry. */
export function determinismLines(first: RunResult, second: RunResult): string[] {
  const divergence = firstDivergence(first.trace, second.trace);
  if (second.traceHash === first.traceHash && divergence === null) return [];
  const head = `  NOT deterministic: trace ${first.traceHash} then ${second.traceHash}`;
  return [head, ...(divergence ? divergenceLines(divergence, 'first', 'second').map((l) => `  ${l}`) : [])];
}
