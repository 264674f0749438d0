/**
 * Steering generation toward rarely hit coverage probes. A campaign runs in epochs of
 * STEER_EPOCH_RUNS run indexes. Each run of epoch k draws STEER_CANDIDATES scenarios from
 * scenarioArb under its own seed (the first of them is the scenario the unsteered campaign runs)
 * and picks one with a chance in proportion to its weight: how much more often the scenario's
 * features (fault kinds on or off, bursts, a busy agent, many clients, ...) appear in the runs
 * that hit a rare probe than in all runs. Rare means hit by at most a tenth of the runs so far.
 * This is sampling-importance-resampling over the swarm: fault kinds and workload shapes of the
 * runs that reach rare decision points become likelier, and no candidate is ever ruled out.
 *
 * The weights of epoch k are a pure function of the probe hits of every run of epochs < k, taken
 * in run-index order, so a run's scenario depends on neither the worker count nor arrival order;
 * the campaign waits at each epoch boundary until those runs are in. Epoch 0 has nothing to learn
 * from and runs exactly the unsteered scenarios. A steered run's scenario is not its seed's, so
 * repro files carry the scenario itself (as they always do) and replay reads it from there.
 */
import fc from 'fast-check';
import type { Scenario } from '../../scenarios/index.ts';
import { FAULT_KINDS, scenarioArb } from '../../scenarios/index.ts';
import { Rng, assert } from '../core/index.ts';
import { campaignSeed, enabledFaultKinds, type CampaignSpec } from './campaign-run.ts';

export const STEER_EPOCH_RUNS = 25;
/** Scenarios drawn per run to pick from: more gives the weights more pull and costs only generation. */
const STEER_CANDIDATES = 8;
/** A probe some run hit, but at most this share of the runs so far (numerator, denominator). */
const RARE_SHARE = [1, 10] as const;
/** Most one feature may raise or lower a scenario's weight, so no feature decides alone. */
const LIFT_MAX = 4;
/** The lightest candidate still gets this many tickets per million of the heaviest. */
const TICKETS_MAX = 1_000_000;

type Feature = (scenario: Scenario, faultKinds: ReadonlySet<string>) => boolean;

const BUSY_AGENT_STEPS_MIN = 20;
const MANY_CLIENTS_MIN = 3;
const LONG_CHAOS_MS_MIN = 60_000;

/** What a scenario is, in the terms the swarm varies: each fault kind, and the workload's shapes. */
const FEATURES: Readonly<Record<string, Feature>> = {
  ...Object.fromEntries(FAULT_KINDS.map((kind): [string, Feature] => [`fault:${kind}`, (_, on) => on.has(kind)])),
  burst: (s) => s.workload.burstPrompts !== undefined,
  'busy-agent': (s) => s.agent.stepsMin >= BUSY_AGENT_STEPS_MIN,
  'many-clients': (s) => s.clients >= MANY_CLIENTS_MIN,
  'many-sessions': (s) => s.sessions >= 2,
  'long-chaos': (s) => s.phases.chaosMs >= LONG_CHAOS_MS_MIN,
  permissions: (s) => s.agent.permissionChance[0] > 0,
  controls: (s) => s.workload.controlChance[0] > 0,
};
const FEATURE_NAMES = Object.keys(FEATURES);

function featuresOf(scenario: Scenario): boolean[] {
  const on = new Set<string>(enabledFaultKinds(scenario));
  return FEATURE_NAMES.map((name) => FEATURES[name]!(scenario, on));
}

/** Per feature, the factor a scenario's weight takes with the feature on and with it off. */
export interface FeatureLifts {
  rareProbes: string[];
  on: number[];
  off: number[];
}

interface Learned {
  features: boolean[];
  probes: readonly string[];
}

const clampLift = (lift: number) => Math.min(LIFT_MAX, Math.max(1 / LIFT_MAX, lift));

/** Laplace-smoothed share, so a feature seen in none of a probe's few runs is unlikely, not impossible. */
const share = (count: number, total: number) => (count + 1) / (total + 2);

/** The lifts learned from `runs` (every run of the epochs before, in index order); null when no probe is rare. */
export function featureLifts(runs: readonly Learned[]): FeatureLifts | null {
  const runsHitting = new Map<string, Learned[]>();
  for (const run of runs)
    for (const probe of run.probes) {
      const hitting = runsHitting.get(probe);
      if (hitting) hitting.push(run);
      else runsHitting.set(probe, [run]);
    }
  const rare = [...runsHitting.keys()]
    .filter((probe) => runsHitting.get(probe)!.length * RARE_SHARE[1] <= runs.length * RARE_SHARE[0])
    .sort();
  if (rare.length === 0) return null;
  const on: number[] = [];
  const off: number[] = [];
  FEATURE_NAMES.forEach((_, f) => {
    const withFeature = runs.filter((run) => run.features[f]).length;
    let liftOn = 0;
    let liftOff = 0;
    for (const probe of rare) {
      const hitting = runsHitting.get(probe)!;
      const hitWith = hitting.filter((run) => run.features[f]).length;
      liftOn += share(hitWith, hitting.length) / share(withFeature, runs.length);
      liftOff += share(hitting.length - hitWith, hitting.length) / share(runs.length - withFeature, runs.length);
    }
    on.push(clampLift(liftOn / rare.length));
    off.push(clampLift(liftOff / rare.length));
  });
  return { rareProbes: rare, on, off };
}

function weightOf(scenario: Scenario, lifts: FeatureLifts): number {
  return featuresOf(scenario).reduce((weight, has, f) => weight * (has ? lifts.on[f]! : lifts.off[f]!), 1);
}

/** The scenarios of a steered campaign, one per run index, and what it learned from the runs so far. */
export class ScenarioSteering {
  private readonly scenarios = new Map<number, Scenario>();
  private readonly learned = new Map<number, Learned>();
  private readonly lifts = new Map<number, FeatureLifts | null>();
  /** Runs 0..learnedPrefix-1 are all learned. */
  private learnedPrefix = 0;

  constructor(private readonly spec: CampaignSpec) {
    assert(spec.scenario === undefined, 'only generated scenarios are steered');
  }

  static epochOf(index: number): number {
    return Math.floor(index / STEER_EPOCH_RUNS);
  }

  /** Whether every run the weights of `index`'s epoch learn from has been learned. */
  ready(index: number): boolean {
    while (this.learned.has(this.learnedPrefix)) this.learnedPrefix += 1;
    return this.learnedPrefix >= ScenarioSteering.epochOf(index) * STEER_EPOCH_RUNS;
  }

  /** Takes note of the probes one run hit; its scenario must have come from scenarioFor. */
  learn(index: number, probes: Readonly<Record<string, number>>): void {
    const scenario = this.scenarios.get(index);
    assert(scenario !== undefined, `run ${index} was learned from before its scenario was chosen`);
    this.learned.set(index, { features: featuresOf(scenario), probes: Object.keys(probes).sort() });
  }

  scenarioFor(index: number): Scenario {
    const known = this.scenarios.get(index);
    if (known) return known;
    const seed = campaignSeed(this.spec, index);
    const candidates = fc.sample(scenarioArb(), { seed, numRuns: STEER_CANDIDATES });
    const lifts = this.liftsOfEpoch(ScenarioSteering.epochOf(index));
    const chosen = lifts === null ? candidates[0] : pick(candidates, lifts, Rng.fromSeed(seed).split('steering'));
    assert(chosen !== undefined, 'fc.sample gives as many scenarios as asked for');
    this.scenarios.set(index, chosen);
    return chosen;
  }

  /** The rare probes the weights of `index`'s epoch steer toward (empty in epoch 0 or when none is rare). */
  rareProbesFor(index: number): string[] {
    return this.liftsOfEpoch(ScenarioSteering.epochOf(index))?.rareProbes ?? [];
  }

  private liftsOfEpoch(epoch: number): FeatureLifts | null {
    if (epoch === 0) return null;
    let lifts = this.lifts.get(epoch);
    if (lifts !== undefined) return lifts;
    const runs: Learned[] = [];
    for (let i = 0; i < epoch * STEER_EPOCH_RUNS; i++) {
      const run = this.learned.get(i);
      assert(run !== undefined, `epoch ${epoch} steered before run ${i} of an earlier epoch was learned`);
      runs.push(run);
    }
    lifts = featureLifts(runs);
    this.lifts.set(epoch, lifts);
    return lifts;
  }
}

/** One candidate, with a chance in proportion to its weight, as whole tickets so the draw is an integer one. */
function pick(candidates: readonly Scenario[], lifts: FeatureLifts, rng: Rng): Scenario | undefined {
  const weights = candidates.map((scenario) => weightOf(scenario, lifts));
  const heaviest = Math.max(...weights);
  const tickets = weights.map((weight) => Math.max(1, Math.round((weight / heaviest) * TICKETS_MAX)));
  let draw = rng.int(tickets.reduce((sum, n) => sum + n, 0));
  for (const [i, n] of tickets.entries()) {
    if (draw < n) return candidates[i];
    draw -= n;
  }
  return undefined;
}
