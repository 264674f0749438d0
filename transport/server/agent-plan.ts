/**
 * What one simulated prompt run will do, drawn up front from the random source so the number of
 * draws per run does not depend on how the run is later interrupted or answered.
 */
import type { IdSource, RandomSource } from '../env.ts';

export type PlannedAction =
  | { kind: 'assistant_delta'; text: string }
  | { kind: 'tool_use'; toolId: string; tool: string }
  | { kind: 'tool_result'; toolId: string }
  /** Asks before running the tool `gatedToolId`; a denial drops that tool's actions. */
  | { kind: 'permission_request'; requestId: string; tool: string; gatedToolId: string };

export interface RunPlanOptions {
  stepsMin: number;
  stepsMax: number;
  permissionChance: readonly [number, number];
}

const TOOL_NAMES = ['Read', 'Edit', 'Bash', 'Grep'] as const;
/** One in this many work steps is a tool call rather than text. */
const TOOL_STEP_ODDS = 3;

export function intBetween(random: RandomSource, min: number, max: number): number {
  return min + random.int(max - min + 1);
}

function toolActions(ids: IdSource, tool: string): PlannedAction[] {
  const toolId = ids.next('tool');
  return [
    { kind: 'tool_use', toolId, tool },
    { kind: 'tool_result', toolId },
  ];
}

export function planRun(random: RandomSource, ids: IdSource, options: RunPlanOptions): PlannedAction[] {
  const stepCount = intBetween(random, options.stepsMin, options.stepsMax);
  const steps: PlannedAction[][] = [];
  for (let step = 0; step < stepCount; step += 1) {
    if (random.int(TOOL_STEP_ODDS) === 0) {
      steps.push(toolActions(ids, pickTool(random)));
    } else {
      steps.push([{ kind: 'assistant_delta', text: `part ${step + 1}` }]);
    }
  }
  const [numerator, denominator] = options.permissionChance;
  if (random.chance(numerator, denominator)) {
    const tool = pickTool(random);
    const gated = toolActions(ids, tool);
    const gatedToolId = (gated[0] as { toolId: string }).toolId;
    const request: PlannedAction = { kind: 'permission_request', requestId: ids.next('perm'), tool, gatedToolId };
    // Inserted between whole steps so it never splits another tool's use from its result.
    steps.splice(random.int(steps.length + 1), 0, [request, ...gated]);
  }
  return steps.flat();
}

function pickTool(random: RandomSource): string {
  return TOOL_NAMES[random.int(TOOL_NAMES.length)] ?? TOOL_NAMES[0];
}

/** The plan after a denial: the gated tool never runs. */
export function withoutTool(actions: readonly PlannedAction[], toolId: string): PlannedAction[] {
  return actions.filter((action) => !('toolId' in action) || action.toolId !== toolId);
}
