/**
 * The public surface of sim/campaign/: what other folders may import from it. Everything else in
 * the folder is internal and may change without notice.
 */
export type { Shard } from './campaign-indexes.ts';
export { campaignScenario, runCampaignIndex } from './campaign-run.ts';
export { DEFAULT_RUNS, runCampaign } from './campaign.ts';
export type { CampaignFinding, CampaignOptions, CampaignProgress, CampaignResult } from './campaign.ts';
export type { CampaignShrinkProgress } from './campaign.ts';
export { culpritProblems } from './culprit-check.ts';
export { groupKey } from './finding-groups.ts';
export type { ProbeCoverage } from './probe-coverage.ts';
export { WorkerPool } from './worker-pool.ts';
export { CULPRIT_COMBINATION_SIZE_MAX, CULPRIT_RUNS_MAX } from './culprits.ts';
export type { CulpritDefects, CulpritFaults, Culprits, UndeterminedReason } from './culprits.ts';
export { DEFAULT_SCORE_RUNS, DEFAULT_SCORE_SEED, DEFAULT_SCORE_SHRINK_RUNS, runScore } from './score.ts';
export type { DefectScore, ScoreResult } from './score.ts';
export { freshCompiledWorker, sourceRoot } from './compiled-worker.ts';
