/**
 * A campaign as JUnit XML for CI dashboards: one testcase per run (failed unless it passed), one
 * per finding, and one per enabled fault kind, failed when it never fired. Every value from a
 * run is XML-escaped, since messages quote user prompts and error text.
 */
import { escapeMarkup } from './escape-markup.ts';
import { unfiredFaults, type CampaignSummary } from './campaign-summary.ts';
import { culpritText, faultsText } from './culprit-text.ts';

interface Case {
  name: string;
  className: string;
  timeSec: number;
  failure?: { message: string; type: string; body: string };
}

export function toJUnitXml(campaign: CampaignSummary): string {
  const groups: [string, Case[]][] = [
    ['runs', runCases(campaign)],
    ['findings', findingCases(campaign)],
    ['fault-coverage', coverageCases(campaign)],
  ];
  const suites = groups.map(([name, cases]) => suiteXml(`ssesim.${name}.${campaign.version}`, cases));
  const all = groups.flatMap(([, cases]) => cases);
  const failures = all.filter((c) => c.failure).length;
  const tests = all.length;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ssesim" tests="${tests}" failures="${failures}" time="${seconds(campaign.wallMs)}">`,
    ...suites,
    '</testsuites>',
    '',
  ].join('\n');
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
      const { enabledRuns, fired } = campaign.faultCoverage[kind]!;
      const message = `${kind} was enabled in ${enabledRuns} runs and never fired`;
      return {
        name: `fault ${kind} fires`,
        className: `ssesim.${campaign.version}.fault-coverage`,
        timeSec: 0,
        ...(unfired.has(kind)
          ? { failure: { message, type: 'fault-coverage', body: `enabled ${enabledRuns}, fired ${fired}` } }
          : {}),
      };
    });
}

function suiteXml(name: string, cases: Case[]): string {
  const failures = cases.filter((c) => c.failure).length;
  const timeSec = cases.reduce((sum, c) => sum + c.timeSec, 0);
  const body = cases.map(caseXml);
  return [
    `  <testsuite name="${escapeMarkup(name)}" tests="${cases.length}" failures="${failures}" errors="0" time="${timeSec.toFixed(3)}">`,
    ...body,
    '  </testsuite>',
  ].join('\n');
}

function caseXml(c: Case): string {
  const open = `    <testcase name="${escapeMarkup(c.name)}" classname="${escapeMarkup(c.className)}" time="${c.timeSec.toFixed(3)}"`;
  if (!c.failure) return `${open}/>`;
  const { message, type, body } = c.failure;
  return `${open}>\n      <failure message="${escapeMarkup(message)}" type="${escapeMarkup(type)}">${escapeMarkup(body)}</failure>\n    </testcase>`;
}

function seconds(ms: number): string {
  return (ms / 1000).toFixed(3);
}
