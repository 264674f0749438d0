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
import { Defects, type DefectId, type TransportVersion } from '../../transport/index.ts';
import { runScenario, runSignatures, transportVersionOf, type RunResult, type RunVersion } from '../index.ts';
import { shrinkRun, type ShrinkResult } from '../shrink/index.ts';
import type { TransportFactory } from '../world/index.ts';
import { culpritVersions, experimentKey, findCulprits, type CulpritOptions, type ExperimentCache } from './culprits.ts';

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
    experimentKey(scenario, question.seed, sendPath, defects);
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

/**
 * Experiment runs for finding the culprit before a shrink: every defect of pr396 alone on both send
 * paths with its controls, and room for some pairs. A culprit that needs more (a triple, a larger
 * version's pairs) is not determined, and that shrink keeps the signature only.
 */
const KEEPER_CULPRIT_RUNS_MAX = 100;

export interface CulpritShrinkOptions {
  scenario: Scenario;
  seed: number;
  version: RunVersion;
  signature: string;
  initial?: RunResult;
  factory?: TransportFactory;
  shrinkRuns: number;
  /**
   * Cap and cache of the culprit experiments; 0 makes none (the shrink then keeps the signature
   * only). The original failure's culprit, needed only after a switch, gets at most KEEPER_CULPRIT_RUNS_MAX.
   */
  culprits?: Pick<CulpritOptions, 'maxRuns' | 'cache'>;
  /** Passed on to the shrink (the campaign's cache, a stop request, a progress callback). */
  shrink?: Pick<Parameters<typeof shrinkRun>[0], 'cache' | 'shouldStop' | 'onProgress'>;
}

/**
 * Shrinks by signature, then asks whether the shrunk failure's culprit also causes the failure it
 * came from (a few runs on the original scenario; the shrunk scenario's culprits are found with
 * the caller's cache, which the attribution that follows reuses). When it does not, the shrink
 * switched to another defect: the culprit of the original failure is found and the shrink is
 * redone keeping it. When no culprit can be named either way, the signature is all that is kept.
 */
export async function shrinkKeepingCulprit(options: CulpritShrinkOptions): Promise<ShrinkResult> {
  const { scenario, seed, version, signature, factory } = options;
  const cache = options.culprits?.cache ?? new Map<string, Promise<readonly string[]>>();
  const shrink = (sameFailure?: (result: RunResult) => Promise<boolean>) =>
    shrinkRun({
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
  const first = await shrink();
  if (first.changes.length === 0 || options.culprits?.maxRuns === 0) return first;
  const culprits = {
    factory,
    cache,
    ...(options.culprits?.maxRuns === undefined ? {} : { maxRuns: options.culprits.maxRuns }),
  };
  const shrunk = await findCulprits({ scenario: first.scenario, seed, version, signature }, culprits);
  const shrunkDefects = shrunk.culprits.defects;
  if (shrunkDefects.status !== 'defects') return first;
  const original =
    options.initial ?? (await runScenario({ scenario, seed, version: transportVersionOf(version), factory }));
  const keeper = (sets: readonly DefectId[][]) => culpritKeeper({ seed, version, signature, sets }, { factory, cache });
  if (await keeper(shrunkDefects.sets)(original)) return first;
  const maxRuns = Math.min(options.culprits?.maxRuns ?? KEEPER_CULPRIT_RUNS_MAX, KEEPER_CULPRIT_RUNS_MAX);
  const before = await findCulprits(
    { scenario, seed, version, signature },
    { ...culprits, maxRuns, defectsOnly: true },
  );
  const beforeDefects = before.culprits.defects;
  return beforeDefects.status === 'defects' ? shrink(keeper(beforeDefects.sets)) : first;
}
