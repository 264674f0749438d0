/**
 * A fast-check property for a user's own test suite: "this transport passes every run", over
 * generated (scenario, seed) pairs. It lives with the reports because what it adds to a run is
 * the failure report a person reads in a test log: the violations, a repro and an HTML report on
 * disk, and the command that replays the failure.
 *
 * fast-check shrinks a failure by running smaller candidates, and the last one that fails is the
 * counterexample it reports. Each failing run therefore rewrites one set of files per property
 * (failure-files.ts), and the failure fast-check reports (as its error's cause) names them: they
 * hold the reported counterexample when fc.assert gives up, with no file per step left behind.
 */
import fc from 'fast-check';
import type { Scenario } from '../scenarios/index.ts';
import { scenarioArb, seedArb } from '../scenarios/index.ts';
import { resolveVersion, type DefectId, type VersionName } from '../transport/index.ts';
import { runScenario, type RunResult } from '../sim/index.ts';
import { realTransportFactory, type TransportFactory } from '../sim/world/index.ts';
import { loadTransportModule, transportModuleOf, type TransportModule } from '../sim/files/index.ts';
import { FailureFiles, type FailureFilePaths } from './failure-files.ts';

export interface TransportPropertyOptions {
  /** The transport under test: a factory, or the path of a module whose default export is one. */
  transport?: TransportFactory | string;
  /** The module a factory given as `transport` comes from: recorded in repros and replay commands. */
  transportModule?: string;
  /** The scenarios to try; scenarioArb() by default. */
  scenario?: fc.Arbitrary<Scenario>;
  /** The seeds to try; seedArb by default. */
  seed?: fc.Arbitrary<number>;
  /** The bundled transport's version the factory is handed; `fixed` by default. */
  version?: VersionName;
  defects?: DefectId[];
  /** Where a failure's repro and HTML report go; `.ssesim/repros` by default. */
  outDir?: string;
}

export const DEFAULT_PROPERTY_OUT_DIR = '.ssesim/repros';
/** Properties named in a failure message, each with its first message; the repro holds them all. */
const SHOWN_PROPERTIES = 5;

/**
 * A failing run of a transport property, as thrown to fast-check, which reports it as the cause of
 * its own error (vitest prints it as "Caused by:"). Its message is what a test log shows.
 */
export class TransportPropertyFailure extends Error {
  /** The whole run; not enumerable, so a runner that prints an error's fields skips its trace. */
  declare readonly result: RunResult;

  constructor(
    result: RunResult,
    readonly files: FailureFilePaths,
    transportName: string,
  ) {
    super(failureMessage(result, files, transportName));
    this.name = 'TransportPropertyFailure';
    Object.defineProperty(this, 'result', { value: result, enumerable: false });
  }
}

export function transportProperty(
  options: TransportPropertyOptions = {},
): fc.IAsyncPropertyWithHooks<[Scenario, number]> {
  const chosen = chosenTransport(options);
  const version = resolveVersion(options.version ?? 'fixed', options.defects ?? []);
  let loading: Promise<TransportModule | null> | undefined;
  let files: FailureFiles | undefined;
  return fc.asyncProperty(options.scenario ?? scenarioArb(), options.seed ?? seedArb, async (scenario, seed) => {
    // A module path is imported by the first run, so a failure to load is reported as fast-check reports any.
    const module = await (loading ??=
      typeof chosen === 'string' ? loadTransportModule(chosen) : Promise.resolve(chosen));
    const result = await runScenario({ scenario, seed, version, factory: module?.factory });
    if (result.verdict === 'passed') return;
    files ??= new FailureFiles(options.outDir ?? DEFAULT_PROPERTY_OUT_DIR, propertyFileName(module));
    const written = files.write(result, module?.record);
    throw new TransportPropertyFailure(result, written, module?.factory.name ?? realTransportFactory.name);
  });
}

/**
 * The module under test (null for the bundled transport), or the path of one still to import. A
 * factory without a module is refused here, when the property is built: its failures could be
 * neither recorded nor replayed.
 */
function chosenTransport(options: TransportPropertyOptions): TransportModule | null | string {
  const { transport, transportModule } = options;
  if (typeof transport === 'string') return transport;
  if (transportModule !== undefined) return transportModuleOf(transport ?? realTransportFactory, transportModule);
  if (transport === undefined || transport === realTransportFactory) return null;
  throw new Error(
    `transportProperty: transport ${JSON.stringify(transport.name)} is a factory without a module to replay it ` +
      'from: pass transportModule (the path of the module that exports it) or pass that path as transport',
  );
}

function propertyFileName(module: TransportModule | null): string {
  const name = module?.factory.name ?? realTransportFactory.name;
  return `property-${name.replace(/[^A-Za-z0-9._+-]/g, '_')}`;
}

function failureMessage(result: RunResult, files: FailureFilePaths, transportName: string): string {
  const first = new Map<string, { count: number; message: string }>();
  for (const v of result.violations) {
    const seen = first.get(v.property);
    if (seen) seen.count += 1;
    else first.set(v.property, { count: 1, message: v.message });
  }
  const violations = [...first]
    .slice(0, SHOWN_PROPERTIES)
    .map(([property, { count, message }]) => `  ${property}${count > 1 ? ` x${count}` : ''}: ${message}`);
  return [
    `transport ${transportName}: ${result.verdict} (scenario ${result.scenario.name}, seed ${result.seed}, ` +
      `version ${result.version.name})`,
    ...violations,
    ...(result.harnessError ? [`  harness error: ${result.harnessError}`] : []),
    `  repro:  ${files.repro}`,
    `  report: ${files.report}`,
    `  replay: ${files.command}`,
  ].join('\n');
}
