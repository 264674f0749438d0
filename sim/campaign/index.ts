/**
 * The public surface of sim/campaign/: what other folders may import from it. Everything else in
 * the folder is internal and may change without notice.
 */
export type { Shard } from './campaign-indexes.ts';
export { campaignScenario, runCampaignIndex } from './campaign-run.ts';
export { DEFAULT_RUNS, runCampaign } from './campaign.ts';
export type { CampaignOptions, CampaignProgress, CampaignResult } from './campaign.ts';
export { DEFAULT_SCORE_BUDGET_S, DEFAULT_SCORE_SEED, DEFAULT_SCORE_SHRINK_RUNS, runScore } from './score.ts';
export type { DefectScore, ScoreResult } from './score.ts';
