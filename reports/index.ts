/**
 * The public surface of reports/: what other folders may import from it. Everything else in
 * the folder is internal and may change without notice.
 */
export { writeCampaignIndex } from './campaign-index.ts';
export type { CampaignIndexExtras, FindingReport } from './campaign-index.ts';
export { campaignSummaryOf } from './campaign-summary-of.ts';
export { renderCampaignSummary } from './campaign-summary.ts';
export type { CampaignSummary } from './campaign-summary.ts';
export { campaignFindings, unfiredFaults } from './campaign-summary-findings.ts';
export type { ReportedFinding } from './campaign-summary-findings.ts';
export { mergeCampaignSummaries } from './campaign-summary-merge.ts';
export { seedsText } from './campaign-summary-seeds.ts';
export { culpritText, faultsText } from './culprit-text.ts';
export type { HeaderFact } from './html/header-section.ts';
export type { FailureFilePaths } from './failure-files.ts';
export { renderHtmlReport } from './html-report.ts';
export type { ReportContext } from './html-report.ts';
export type { NextStep } from './html/next-step-section.ts';
export { toJUnitXml } from './junit.ts';
export { notCheckedRows } from './property-results.ts';
export { DEFAULT_PROPERTY_OUT_DIR, TransportPropertyFailure, transportProperty } from './transport-property.ts';
export type { TransportPropertyOptions } from './transport-property.ts';
export { writeReportFiles } from './write-report.ts';
export type { ReportPaths } from './write-report.ts';
