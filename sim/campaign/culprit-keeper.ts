/**
 * Shrinking that keeps the culprit. A shrink keeps a smaller run when it fails with the same
 * signature, but one signature can have several causes: a smaller scenario may fail the same way
 * through another defect, and the shrunk repro would then blame the wrong one. Where the culprit
 * of a failure is known, each run the shrink would keep is checked the way culprits.ts names a
 * culprit (culprit-check.ts checks a finding from outside the same way): some culprit set,
 * switched on alone over `fixed` (on either send path), still reproduces the signature on the
 * candidate's scenario while `fixed` on that send path passes. Shrink itself knows nothing of
 * defects; it gets the check as its `sameFailure` function.
 */
import type { Scenario } from '../../scenarios/index.ts';
import { scenarioHash } from '../../scenarios/index.ts';
import { Defects, type DefectId, type TransportVersion } from '../../transport/index.ts';
import { runScenario, runSignatures, type RunResult, type RunVersion } from '../index.ts';
import { shrinkRun, type ShrinkResult } from '../shrink/index.ts';
import type { TransportFactory } from '../world/index.ts';
import { culpritVersions, findCulprits, type CulpritOptions, type Culprits, type ExperimentCache } from './culprits.ts';

export interface KeeperQuestion {
  seed: number;
  version: Pick<RunVersion, 'sendPath'>;
  signature: string;
  /** The culprit sets known for the failure (culprits.ts), each enough alone. */
  sets: readonly DefectId[][];
}

/** The `sameFailure` check of a shrink: true when a culprit set still causes the failure on the run's scenario. */
export function culpritKeeper(
  question: KeeperQuestion,
  options: { factory?: TransportFactory; cache?: ExperimentCache } = {},
): (result: RunResult) => Promise<boolean> {
  const cache = options.cache ?? new Map<string, Promise<readonly string[]>>();
  const keyOf = (scenario: Scenario, sendPath: string, defects: readonly string[]) =>
    [scenarioHash(scenario), question.seed, sendPath, ...defects].join(' ');
  const signaturesOf = (scenario: Scenario, version: TransportVersion): Promise<readonly string[]> => {
    const key = keyOf(scenario, version.sendPath, version.defects.list());
    let known = cache.get(key);
    if (!known) {
      known = runScenario({ scenario, seed: question.seed, version, factory: options.factory }).then(runSignatures);
      cache.set(key, known);
    }
    return known;
  };
  const fails = async (scenario: Scenario, version: TransportVersion) =>
    (await signaturesOf(scenario, version)).includes(question.signature);
  return async (result) => {
    // The candidate's own run is one experiment already made: a culprit set may be its whole version.
    const own = keyOf(result.scenario, result.version.sendPath, result.version.defects);
    if (!cache.has(own)) cache.set(own, Promise.resolve(runSignatures(result)));
    for (const set of question.sets)
      for (const version of culpritVersions(question.version, set)) {
        if (!(await fails(result.scenario, version))) continue;
        const control = { name: 'fixed', defects: Defects.none(), sendPath: version.sendPath };
        if (!(await fails(result.scenario, control))) return true;
      }
    return false;
  };
}

export interface CulpritShrinkOptions {
  scenario: Scenario;
  seed: number;
  version: RunVersion;
  signature: string;
  initial?: RunResult;
  factory?: TransportFactory;
  shrinkRuns: number;
  /** For finding the culprit of the unshrunk failure (cap, cache). */
  culprits?: Pick<CulpritOptions, 'maxRuns' | 'cache'>;
  /** Passed on to the shrink (the campaign's cache, a stop request). */
  shrink?: Pick<Parameters<typeof shrinkRun>[0], 'cache' | 'shouldStop'>;
}

/**
 * Finds the culprit of the failure as it is, then shrinks it keeping that culprit; when no
 * culprit set can be named (no defect, budget, search bound) the shrink keeps the signature only.
 */
export async function shrinkKeepingCulprit(
  options: CulpritShrinkOptions,
): Promise<{ shrunk: ShrinkResult; culprits: Culprits }> {
  const { scenario, seed, version, signature, factory } = options;
  const answer = await findCulprits({ scenario, seed, version, signature }, { factory, ...options.culprits });
  const { defects } = answer.culprits;
  const sameFailure =
    defects.status === 'defects'
      ? culpritKeeper({ seed, version, signature, sets: defects.sets }, { factory, cache: options.culprits?.cache })
      : undefined;
  const shrunk = await shrinkRun({
    scenario,
    seed,
    version,
    signature,
    factory,
    maxRuns: options.shrinkRuns,
    ...(options.initial ? { initial: options.initial } : {}),
    ...(sameFailure ? { sameFailure } : {}),
    ...options.shrink,
  });
  return { shrunk, culprits: answer.culprits };
}
