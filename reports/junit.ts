/**
 * A campaign as JUnit XML for CI dashboards, counting what every other output counts
 * (campaign-summary-findings.ts): one failing testcase per finding (a crash is an error), one
 * passing case per property no finding violated (skipped with the reason when the transport did
 * not let it be checked), and one case per enabled fault kind, failed when it never fired. So
 * failures plus errors equal the findings of the text summary and `--json`, and the exit code is 1
 * exactly when they are not zero. One run as JUnit XML: a testcase per property, failed when
 * violated, skipped with the reason when not checked. Every value is XML-escaped, since messages
 * quote user prompts and error text. The shape follows the Ant/Jenkins schema
 * (reports/testing/junit-10.xsd).
 */
import { PROPERTY_IDS } from '../model/index.ts';
import type { RunResult } from '../sim/index.ts';
import { escapeMarkup } from './escape-markup.ts';
import { notApplicableText, type CampaignSummary } from './campaign-summary.ts';
import { campaignFindings, replayCommand, type FailureFinding } from './campaign-summary-findings.ts';
import { propertyResultText, propertyRows } from './property-results.ts';
import { culpritText, faultsText } from './culprit-text.ts';

interface Case {
  name: string;
  className: string;
  timeSec: number;
  /** A failed check (`failure`) or a run that could not finish (`error`: a crash). */
  problem?: { element: 'failure' | 'error'; message: string; type: string; body: string };
  /** Why the case was not run: a property the run could not check. */
  skipped?: string;
}

interface Suite {
  name: string;
  cases: Case[];
  /** The file the suite's cases come from, where there is one. */
  file?: string;
}

interface DocumentFacts {
  timeSec: number;
  /** ISO 8601; written without its zone, as the schema's consumers expect. */
  startedAt?: string;
}

/** Violation messages quoted in a failed property's case; the report holds them all. */
const QUOTED_VIOLATIONS = 20;
/** Verdicts that end a run without a property's judgement: reported as JUnit errors. */
const ERROR_PROPERTIES = new Set(['crash']);

export function toJUnitXml(campaign: CampaignSummary): string {
  const suites: Suite[] = [
    {
      name: `ssesim.properties.${campaign.version}`,
      cases: propertyCases(campaign),
      ...(campaign.scenarioFile ? { file: campaign.scenarioFile } : {}),
    },
    { name: `ssesim.fault-coverage.${campaign.version}`, cases: coverageCases(campaign) },
  ];
  const facts = { timeSec: campaign.wallMs / 1000, ...(campaign.startedAt ? { startedAt: campaign.startedAt } : {}) };
  return documentXml(suites, facts);
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
    return { ...base, problem: { element: 'failure', message: messages[0] ?? 'violated', type: id, body } };
  });
  return documentXml([{ name: `ssesim.properties.${result.version.name}`, cases }], { timeSec: result.wallMs / 1000 });
}

function documentXml(suites: Suite[], facts: DocumentFacts): string {
  const all = suites.flatMap((suite) => suite.cases);
  const counts = `tests="${all.length}" failures="${count(all, 'failure')}" errors="${count(all, 'error')}"`;
  return [
    '<?xml version="1.0" encoding="UTF-8"?>',
    `<testsuites name="ssesim" ${counts} time="${facts.timeSec.toFixed(3)}">`,
    ...suites.map((suite) => suiteXml(suite, facts.startedAt)),
    '</testsuites>',
    '',
  ].join('\n');
}

function count(cases: readonly Case[], element: 'failure' | 'error'): number {
  return cases.filter((c) => c.problem?.element === element).length;
}

/**
 * Each finding is its own failing case, under the property it violates; a property with none is
 * one passing case, or a skipped one when no run could check it. `crash` and `step-limit`
 * findings follow the properties.
 */
function propertyCases(campaign: CampaignSummary): Case[] {
  const className = `ssesim.${campaign.version}.properties`;
  const failures = campaignFindings(campaign).filter((f): f is FailureFinding => f.kind === 'failure');
  const properties = [...PROPERTY_IDS, ...failures.map((f) => f.property).filter((p) => !isPropertyId(p))];
  return [...new Set(properties)].flatMap((property): Case[] => {
    const own = failures.filter((finding) => finding.property === property);
    if (own.length > 0) return own.map((finding) => findingCase(finding, className));
    const needs = campaign.notChecked?.[property];
    const base = { name: property, className, timeSec: 0 };
    return [needs ? { ...base, skipped: `not checked (needs: ${needs.join(', ')})` } : base];
  });
}

function isPropertyId(property: string): boolean {
  return (PROPERTY_IDS as readonly string[]).includes(property);
}

/** Named after its property and culprit, which a merge of shards keeps, with the violation and how to replay it. */
function findingCase(finding: FailureFinding, className: string): Case {
  const replay = replayCommand(finding);
  const body = [
    finding.message,
    '',
    `culprit: ${culpritText(finding.culprits.defects)}`,
    `faults needed: ${faultsText(finding.culprits.faults)}`,
    `runs ${finding.count}, first seed ${finding.firstSeed}`,
    `signature ${finding.signature}`,
    ...finding.merged.map((signature) => `merged ${signature}`),
    ...(replay ? [`replay: ${replay}`] : []),
  ];
  // A finding with a culprit is named by it; one without keeps its signature, so two never share a name.
  const known = finding.culprits.defects.status !== 'not-determined';
  return {
    name: `${finding.property}: ${known ? culpritText(finding.culprits.defects) : finding.signature}`,
    className,
    timeSec: 0,
    problem: {
      element: ERROR_PROPERTIES.has(finding.property) ? 'error' : 'failure',
      message: finding.message,
      type: finding.property,
      body: body.join('\n'),
    },
  };
}

function coverageCases(campaign: CampaignSummary): Case[] {
  const unfired = new Map(
    campaignFindings(campaign).flatMap((f) => (f.kind === 'fault-coverage' ? [[f.fault, f.message]] : [])),
  );
  return Object.keys(campaign.faultCoverage)
    .sort()
    .filter(
      (kind) =>
        campaign.faultCoverage[kind]!.enabledRuns > 0 || (campaign.faultCoverage[kind]!.notApplicableRuns ?? 0) > 0,
    )
    .map((kind) => {
      const { enabledRuns, fired, notApplicableRuns, needs } = campaign.faultCoverage[kind]!;
      const message = unfired.get(kind);
      const inapplicable = enabledRuns === 0 && notApplicableRuns !== undefined && notApplicableRuns > 0;
      return {
        name: `fault ${kind} fires`,
        className: `ssesim.${campaign.version}.fault-coverage`,
        timeSec: 0,
        ...(inapplicable ? { skipped: notApplicableText(notApplicableRuns, needs) } : {}),
        ...(message === undefined
          ? {}
          : {
              problem: {
                element: 'failure',
                message,
                type: 'fault-coverage',
                body: `enabled ${enabledRuns}, fired ${fired}`,
              },
            }),
      } satisfies Case;
    });
}

function suiteXml({ name, cases, file }: Suite, startedAt: string | undefined): string {
  const skipped = cases.filter((c) => c.skipped !== undefined).length;
  const timeSec = cases.reduce((sum, c) => sum + c.timeSec, 0);
  const attributes = [
    `name="${escapeMarkup(name)}"`,
    `tests="${cases.length}"`,
    `failures="${count(cases, 'failure')}"`,
    `errors="${count(cases, 'error')}"`,
    `skipped="${skipped}"`,
    `time="${timeSec.toFixed(3)}"`,
    ...(startedAt ? [`timestamp="${escapeMarkup(startedAt.replace(/(\.\d+)?Z$/, ''))}"`] : []),
    ...(file ? [`file="${escapeMarkup(file)}"`] : []),
  ];
  return [`  <testsuite ${attributes.join(' ')}>`, ...cases.map(caseXml), '  </testsuite>'].join('\n');
}

function caseXml(c: Case): string {
  const open =
    `    <testcase name="${escapeMarkup(c.name)}" classname="${escapeMarkup(c.className)}" ` +
    `time="${c.timeSec.toFixed(3)}"`;
  if (c.skipped !== undefined)
    return `${open}>\n      <skipped message="${escapeMarkup(c.skipped)}"/>\n    </testcase>`;
  if (!c.problem) return `${open}/>`;
  const { element, message, type, body } = c.problem;
  return (
    `${open}>\n      <${element} message="${escapeMarkup(message)}" type="${escapeMarkup(type)}">` +
    `${escapeMarkup(body)}</${element}>\n    </testcase>`
  );
}
