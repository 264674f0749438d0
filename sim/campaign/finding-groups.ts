/**
 * One bug, one finding. A campaign first keys its failures by signature (campaign-findings.ts),
 * but one defect shows under several signatures (a pending prompt is both lost and never
 * delivered), so once each signature's culprits are known (culprits.ts) the findings that share
 * a culprit set and a kind of violation are merged. Without a defect to blame (a transport with
 * no defect switches), the property and the faults the failure needs take the culprit's place.
 * A finding whose culprit is not determined is kept alone: nothing says it is the same bug.
 */
import { FAULT_KINDS } from '../../scenarios/index.ts';
import { readRepro } from '../files/index.ts';
import { counterexampleSize } from '../shrink/index.ts';
import { campaignScenario, type CampaignSpec, type RunOutcome } from './campaign-run.ts';
import { findCulprits, undetermined, type Culprits, type ExperimentCache } from './culprits.ts';
import type { CampaignFinding, SignatureFinding } from './campaign.ts';
import type { TransportFactory } from '../world/index.ts';
import type { Scenario } from '../../scenarios/index.ts';

/** Failures that never merge with each other whatever their culprits: a crash is not a violation. */
export type ViolationKind = 'property' | 'crash' | 'step-limit';

export function violationKind(property: string): ViolationKind {
  return property === 'crash' || property === 'step-limit' ? property : 'property';
}

export interface AttributedFinding extends SignatureFinding {
  culprits: Culprits;
}

export interface Attributed {
  finding: AttributedFinding;
  /** Faults fired plus user actions in the repro's run, for keeping a group's smallest repro. */
  steps: number;
}

export interface AttributeOptions {
  /** Experiment-run cap per finding (culprits.ts); 0 skips the experiments. */
  maxRuns?: number;
  /** Polled before each finding: true leaves the rest undetermined. */
  shouldStop?: () => boolean;
  /** The transport the campaign ran; the bundled one by default. */
  factory?: TransportFactory;
  /** The scenario of a run index, when the campaign steered it (steering.ts); its seed's by default. */
  scenarioOf?: (index: number) => Scenario;
  /** Experiments already made about these findings (a shrink's culprit checks); a new cache by default. */
  cache?: ExperimentCache;
}

/**
 * Each finding's culprits, found on its shrunk repro when it has one (fewer faults and actions,
 * so fewer experiments reproduce it by accident and each costs less), else on its first run.
 */
export async function attributeFindings(
  spec: CampaignSpec,
  findings: readonly SignatureFinding[],
  outcomes: readonly RunOutcome[],
  options: AttributeOptions = {},
): Promise<CampaignFinding[]> {
  const attributed: Attributed[] = [];
  const cache: ExperimentCache = options.cache ?? new Map();
  for (const finding of findings) {
    if (options.shouldStop?.()) {
      attributed.push({ finding: { ...finding, culprits: undetermined('skipped') }, steps: Infinity });
      continue;
    }
    const scenarioOf = options.scenarioOf ?? ((index: number) => campaignScenario(spec, index));
    const scenario = finding.shrunk ? readRepro(finding.shrunk.repro).scenario : scenarioOf(finding.firstIndex);
    const question = { scenario, seed: finding.firstSeed, version: spec.version, signature: finding.signature };
    const answer = await findCulprits(question, {
      cache,
      factory: options.factory,
      ...(options.maxRuns === undefined ? {} : { maxRuns: options.maxRuns }),
    });
    const steps = answer.reference ? counterexampleSize(answer.reference).steps : Infinity;
    attributed.push({ finding: { ...finding, culprits: answer.culprits }, steps });
  }
  return mergeByCulprit(attributed, outcomes);
}

/** What a finding is merged by; a signature of its own when its cause is unknown. */
export function groupKey(finding: Pick<AttributedFinding, 'signature' | 'property' | 'culprits'>): string {
  const kind = violationKind(finding.property);
  const { defects, faults } = finding.culprits;
  if (defects.status === 'defects') return `${kind} defects ${defects.sets.map((set) => set.join('+')).join(' | ')}`;
  if (defects.status === 'no-defect' && faults.status === 'faults') {
    const needed = FAULT_KINDS.filter((kind) => faults.needed.includes(kind));
    return `${kind} ${finding.property} no defect, faults ${needed.join(',')}`;
  }
  return `signature ${finding.signature}`;
}

/**
 * Merges attributed findings by groupKey, in order of each group's first finding. A group is
 * shown as its smallest repro (fewest faults and actions, then earliest), counts the runs that
 * failed with any of its signatures, and lists every signature merged into it.
 */
export function mergeByCulprit(attributed: readonly Attributed[], outcomes: readonly RunOutcome[]): CampaignFinding[] {
  const groups = new Map<string, Attributed[]>();
  for (const entry of attributed) {
    const key = groupKey(entry.finding);
    groups.set(key, [...(groups.get(key) ?? []), entry]);
  }
  return [...groups.values()].map((members) => {
    const smallest = members.reduce((best, entry) => (entry.steps < best.steps ? entry : best));
    const own = smallest.finding.signature;
    const signatures = [own, ...members.map((entry) => entry.finding.signature).filter((s) => s !== own)];
    const count = outcomes.filter((run) => run.signatures.some((s) => signatures.includes(s))).length;
    return { ...smallest.finding, count, signatures };
  });
}
