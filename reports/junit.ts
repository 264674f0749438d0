/**
 * A campaign as JUnit XML for CI dashboards: one testcase per run (failed unless it passed), one
 * per finding, one per enabled fault kind, failed when it never fired, and one skipped case per
 * property the transport did not let the campaign check. One run as JUnit XML: a testcase per
 * property, failed when violated, skipped with the reason when not checked. Every value from a
 * run is XML-escaped, since messages quote user prompts and error text.
 */
import type { RunResult } from '../sim/index.ts';
import { escapeMarkup } from './escape-markup.ts';
import { notApplicableText, unfiredFaults, type CampaignSummary } from './campaign-summary.ts';
import { propertyResultText, propertyRows } from './property-results.ts';
import { culpritText, faultsText } from './culprit-text.ts';

interface Case {
  name: string;
  className: string;
  timeSec: number;
  failure?: { message: string; type: string; body: string };
  /** Why the case was not run: a property the run could not check. */
  skipped?: string;
}

/** Violation messages quoted in a failed property's case; the report holds them all. */
const QUOTED_VIOLATIONS = 20;

export function toJUnitXml(campaign: CampaignSummary): string {
  const groups: [string, Case[]][] = [
    ['runs', runCases(campaign)],
    ['findings', findingCases(campaign)],
    ['fault-coverage', coverageCases(campaign)],
  ];
  const notChecked = notCheckedCases(campaign);
  if (notChecked.length > 0) groups.push(['properties', notChecked]);
  return documentXml(groups, campaign.version, campaign.wallMs);
}

/** One run: a testcase per property, in the property table's order. */
export function runToJUnitXml(result: RunResult): string {
  const className = `ssesim.${result.version.name}.properties`;
  const cases = propertyRows(result.properties).map(({ id, result: outcome }): Case => {
    const base = { name: id, className, timeSec: 0 };
    if (outcome.status === 'passed') return base;
    if (outcome.status !== 'violated') return { ...base, skipped: propertyResultText(outcome) };
    const messages = result.violations.filter((v) => v.property === id).map((v) => v.message);
    const body = [`seed ${result.seed} trace ${result.traceHash}`, ...messages.slice(0, QUOTED_VIOLATIONS)].join('\n');
    return { ...base, failure: { message: messages[0] ?? 'violated', type: id, body } };
  });
  return documentXml([['properties', cases]], result.version.name, result.wallMs);
}

function documentXml(groups: [string, Case[]][], version: string, wallMs: number): string {
  const suites = groups.map(([name, cases]) => suiteXml(`ssesim.${name}.${version}`, cases));
  const all = groups.flatMap(([, cases]) => cases);
  const failures = all.filter((c) => c.failure).length;
  const skipped = all.filter((c) => c.skipped !== undefined).length;
  const counts = `tests="${all.length}" failures="${failures}"${skippedAttribute(skipped)}`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ssesim" ${counts} time="${seconds(wallMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
}

/** A property no run of the campaign could check is a skipped case, never a silent pass. */
function notCheckedCases(campaign: CampaignSummary): Case[] {
  return Object.keys(campaign.notChecked ?? {})
    .sort()
    .map((property) => ({
      name: `property ${property}`,
      className: `ssesim.${campaign.version}.properties`,
      timeSec: 0,
      skipped: `not checked (needs: ${campaign.notChecked![property]!.join(', ')})`,
    }));
}

function runCases(campaign: CampaignSummary): Case[] {
  return campaign.results.map((run) => ({
    name: `seed ${run.seed}`,
    className: `ssesim.${campaign.version}`,
    timeSec: run.wallMs / 1000,
    ...(run.verdict === 'passed'
      ? {}
      : {
          failure: {
            message: `${run.verdict}: ${run.violations} violation(s)`,
            type: run.verdict,
            body: `seed ${run.seed} trace ${run.traceHash}`,
          },
        }),
  }));
}

function findingCases(campaign: CampaignSummary): Case[] {
  return campaign.findings.map((finding) => ({
    name: `${finding.property} ${finding.signature}`,
    className: `ssesim.${campaign.version}.findings`,
    timeSec: 0,
    failure: {
      message: `culprit: ${culpritText(finding.culprits.defects)}: ${finding.message}`,
      type: finding.property,
      body: [
        `count ${finding.count}, first seed ${finding.firstSeed}`,
        `faults needed: ${faultsText(finding.culprits.faults)}`,
        ...finding.merged.map((signature) => `merged ${signature}`),
        finding.repro ? `repro ${finding.repro}` : '',
      ]
        .filter(Boolean)
        .join('\n'),
    },
  }));
}

function coverageCases(campaign: CampaignSummary): Case[] {
  const unfired = new Set(unfiredFaults(campaign));
  return Object.keys(campaign.faultCoverage)
    .sort()
    .map((kind) => {
      const { enabledRuns, fired, notApplicableRuns, needs } = campaign.faultCoverage[kind]!;
      const message = `${kind} was enabled in ${enabledRuns} runs and never fired`;
      const inapplicable = enabledRuns === 0 && notApplicableRuns !== undefined && notApplicableRuns > 0;
      return {
        name: `fault ${kind} fires`,
        className: `ssesim.${campaign.version}.fault-coverage`,
        timeSec: 0,
        ...(inapplicable ? { skipped: notApplicableText(notApplicableRuns, needs) } : {}),
        ...(unfired.has(kind)
          ? { failure: { message, type: 'fault-coverage', body: `enabled ${enabledRuns}, fired ${fired}` } }
          : {}),
      };
    });
}

function suiteXml(name: string, cases: Case[]): string {
  const failures = cases.filter((c) => c.failure).length;
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const timeSec = cases.reduce((sum, c) => sum + c.timeSec, 0);
  const body = cases.map(caseXml);
  const counts = `tests="${cases.length}" failures="${failures}" errors="0"${skippedAttribute(skipped)}`;
  return [
    `  <testsuite name="${escapeMarkup(name)}" ${counts} time="${timeSec.toFixed(3)}">`,
    ...body,
    '  </testsuite>',
  ].join('\n');
}

function caseXml(c: Case): string {
  const open =
    `    <testcase name="${escapeMarkup(c.name)}" classname="${escapeMarkup(c.className)}" ` +
    `time="${c.timeSec.toFixed(3)}"`;
  if (c.skipped !== undefined)
    return `${open}>\n      <skipped message="${escapeMarkup(c.skipped)}"/>\n    </testcase>`;
  if (!c.failure) return `${open}/>`;
  const { message, type, body } = c.failure;
  return (
    `${open}>\n      <failure message="${escapeMarkup(message)}" type="${escapeMarkup(type)}">` +
    `${escapeMarkup(body)}</failure>\n    </testcase>`
  );
}

/** Only when some case was skipped, so a document without any reads as it always did. */
function skippedAttribute(skipped: number): string {
  return skipped > 0 ? ` skipped="${skipped}"` : '';
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
