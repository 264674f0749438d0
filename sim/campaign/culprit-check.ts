/**
 * The promise a campaign's findings make, checked from outside: one finding per distinct culprit
 * set, and each culprit set, switched on alone over `fixed` (on either send path, as the
 * experiments do), reproduces its finding's failure from the finding's repro file. It reruns
 * nothing of the campaign but those repros, so it checks what a bug hunter would check by hand.
 */
import { readRepro } from '../files/index.ts';
import { runScenario, runSignatures } from '../index.ts';
import type { CampaignFinding } from './campaign.ts';
import { culpritVersions } from './culprits.ts';

/** What is wrong with the findings' culprits, one line each; empty when they keep their promise. */
export async function culpritProblems(findings: readonly CampaignFinding[]): Promise<string[]> {
  const problems: string[] = [];
  const sets = new Set<string>();
  for (const [i, finding] of findings.entries()) {
    const name = `finding ${i + 1} (${finding.signature})`;
    const { defects } = finding.culprits;
    if (defects.status !== 'defects') {
      problems.push(`${name}: culprit ${defects.status === 'no-defect' ? 'no defect' : defects.reason}`);
      continue;
    }
    sets.add(defects.sets.map((set) => set.join('+')).join(' | '));
    const repro = readRepro(finding.shrunk?.repro ?? finding.repro);
    for (const set of defects.sets) {
      let reproduced = false;
      for (const version of culpritVersions(repro.version, set)) {
        const result = await runScenario({ scenario: repro.scenario, seed: repro.seed, version });
        reproduced ||= runSignatures(result).includes(finding.signature);
      }
      if (!reproduced) problems.push(`${name}: fixed+${set.join('+')} does not reproduce it from ${repro.command}`);
    }
  }
  if (sets.size !== findings.length)
    problems.push(`${findings.length} findings for ${sets.size} distinct culprit sets`);
  return problems;
}
