/**
 * A version's score: a campaign on the whole version that credits a defect only when experiments
 * name it the culprit of some failure (culprits.ts), alone or in a smallest combination. That a
 * property the catalogue links to a defect was violated is no evidence the defect did it: one
 * failing property is shared by several defects, and one defect fails several properties.
 *
 * Each failure signature is attributed the first time a run shows it, on its shrunk scenario
 * (same seed), and the campaign stops as soon as every defect of the version is credited. The
 * time budget bounds the runs only: attributing is extra work on top, as shrinking is in `fuzz`,
 * so a version whose failures are costly to attribute is not searched less for it.
 */
import type { PropertyId } from '../../model/index.ts';
import { resolveVersion, versionDefectIds, type DefectId, type VersionName } from '../../transport/index.ts';
import { wallClockMs } from '../core/index.ts';
import { runScenario, runSignatures, runVersionOf, type RunResult } from '../index.ts';
import { campaignScenario, campaignSeed } from './campaign-run.ts';
import { ScenarioSteering } from './steering.ts';
import { shrinkKeepingCulprit } from './culprit-keeper.ts';
import { findCulprits, type CulpritDefects, type ExperimentCache } from './culprits.ts';
import type { TransportFactory } from '../world/index.ts';

export interface VersionScoreOptions {
  /** Wall seconds of runs (attributing aside); Infinity for none. */
  budgetS: number;
  baseSeed: number;
  maxRuns?: number;
  /** Shrink runs per signature before its experiments; 0 runs them on the unshrunk scenario. */
  shrinkRuns?: number;
  /** The transport whose version is scored; the bundled one by default. */
  factory?: TransportFactory;
  /** Steer the campaign's generated scenarios toward rarely hit coverage probes (steering.ts). */
  steer?: boolean;
}

export interface VersionAttribution {
  signature: string;
  seed: number;
  culprits: CulpritDefects;
}

export interface VersionScore {
  version: VersionName;
  runs: number;
  /** Wall seconds in all, attributing included. */
  wallS: number;
  /** Properties violated at least once by the campaign. */
  violated: PropertyId[];
  /** Each failure signature the campaign met, with the defects experiments found to cause it. */
  attributions: VersionAttribution[];
  /** The version's defects named a culprit by some attribution. */
  found: DefectId[];
  missed: DefectId[];
}

export async function scoreVersion(name: VersionName, options: VersionScoreOptions): Promise<VersionScore> {
  const version = resolveVersion(name);
  const spec = { version: runVersionOf(version), baseSeed: options.baseSeed };
  const ids = versionDefectIds(name);
  const credited = new Set<DefectId>();
  const violated = new Set<PropertyId>();
  const attributions: VersionAttribution[] = [];
  const cache: ExperimentCache = new Map();
  const startMs = wallClockMs();
  let attributingMs = 0;
  let runs = 0;
  const steering = options.steer ? new ScenarioSteering(spec) : undefined;
  while (
    wallClockMs() - attributingMs < startMs + options.budgetS * 1000 &&
    runs < (options.maxRuns ?? Infinity) &&
    credited.size < ids.length
  ) {
    const seed = campaignSeed(spec, runs);
    const result = await runScenario({
      scenario: steering?.scenarioFor(runs) ?? campaignScenario(spec, runs),
      seed,
      version,
      factory: options.factory,
    });
    steering?.learn(runs, result.probes);
    runs += 1;
    for (const v of result.violations) violated.add(v.property);
    const attributingStartMs = wallClockMs();
    for (const signature of runSignatures(result)) {
      if (attributions.some((known) => known.signature === signature)) continue;
      const culprits = await attributeSignature(result, signature, options.shrinkRuns ?? 0, cache, options.factory);
      attributions.push({ signature, seed, culprits });
      if (culprits.status === 'defects') for (const set of culprits.sets) set.forEach((id) => credited.add(id));
    }
    attributingMs += wallClockMs() - attributingStartMs;
  }
  const found = ids.filter((id) => credited.has(id));
  return {
    version: name,
    runs,
    wallS: Math.round((wallClockMs() - startMs) / 10) / 100,
    violated: [...violated].sort(),
    attributions,
    found,
    missed: ids.filter((id) => !credited.has(id)),
  };
}

async function attributeSignature(
  result: RunResult,
  signature: string,
  shrinkRuns: number,
  cache: ExperimentCache,
  factory: TransportFactory | undefined,
): Promise<CulpritDefects> {
  // The shrink keeps the culprit the unshrunk failure has, so the shrunk one is attributed to the same bug.
  const shrunk =
    shrinkRuns > 0
      ? await shrinkKeepingCulprit({
          scenario: result.scenario,
          seed: result.seed,
          version: result.version,
          signature,
          initial: result,
          shrinkRuns,
          factory,
          culprits: { cache },
        })
      : undefined;
  const scenario = shrunk?.scenario ?? result.scenario;
  const question = { scenario, seed: result.seed, version: result.version, signature };
  const answer = await findCulprits(question, { cache, factory });
  return answer.culprits.defects;
}
