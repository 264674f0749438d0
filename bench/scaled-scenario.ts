/**
 * The default scenario grown or shrunk to a target size: more clients and prompts over a longer
 * chaos phase, with the same fault mixture and rates, so only the amount of work changes.
 */
import type { Scenario } from '../scenarios/index.ts';
import { MAX_CLIENTS, MAX_PHASE_MS, MAX_PROMPTS_PER_CLIENT, MAX_STEP_LIMIT } from '../scenarios/index.ts';

/** `factor` 1 is the default scenario's workload; 10 is ten times the prompts and the time. */
export function scaledScenario(base: Scenario, factor: number, name: string): Scenario {
  const clients = Math.min(MAX_CLIENTS, Math.max(1, Math.round(base.clients * Math.cbrt(factor))));
  const prompts = Math.round((base.clients * base.workload.promptsPerClient * factor) / clients);
  const promptsPerClient = Math.min(MAX_PROMPTS_PER_CLIENT, Math.max(1, prompts));
  const meanGapMs = (base.workload.promptGapMsMin + base.workload.promptGapMsMax) / 2;
  // Room for every prompt at the default pace, plus the default's slack.
  const chaosMs = Math.min(
    MAX_PHASE_MS,
    Math.max(base.phases.chaosMs * Math.min(1, factor), Math.round(promptsPerClient * meanGapMs * 1.5)),
  );
  return {
    ...base,
    name,
    clients,
    workload: { ...base.workload, promptsPerClient },
    phases: { ...base.phases, chaosMs },
    stepLimit: MAX_STEP_LIMIT,
  };
}
