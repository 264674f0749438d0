import { describe, expect, it } from 'vitest';
import { PROPERTY_IDS } from '../model/index.ts';
import { runToJUnitXml, toJUnitXml } from './junit.ts';
import { sampleRun } from './testing/sample-run.ts';
import { campaignFindings } from './campaign-summary-findings.ts';
import { sampleCampaign } from './testing/sample-campaign.ts';
import { junitSchemaErrors } from './testing/junit-schema.ts';
import type { CampaignSummary } from './campaign-summary.ts';

function attribute(xml: string, element: string, name: string): number {
  const match = new RegExp(`<${element} [^>]*\\b${name}="(\\d+)"`).exec(xml);
  return Number(match?.[1] ?? NaN);
}

/** A second finding: a crash, which JUnit reports as an error rather than a failure. */
function withCrash(): CampaignSummary {
  const campaign = sampleCampaign();
  campaign.findings.push({
    ...campaign.findings[0]!,
    signature: 'crash',
    property: 'crash',
    message: 'run ended with verdict crash: TypeError: x is undefined',
    merged: [],
    repro: 'out/repro-base-102-crash.json',
  });
  return campaign;
}

describe('toJUnitXml', () => {
  const xml = toJUnitXml(sampleCampaign());

  it('validates against the Ant/Jenkins JUnit schema, with and without skipped and error cases', async () => {
    expect(await junitSchemaErrors(xml)).toEqual([]);
    const notChecked = { ...withCrash(), notChecked: { 'cursor-monotonic': ['cursor'] } };
    expect(await junitSchemaErrors(toJUnitXml(notChecked))).toEqual([]);
  });

  it('is checked by a schema that can fail', async () => {
    // A suite without its required errors count, and a case carrying an attribute the schema lacks.
    expect(await junitSchemaErrors(xml.replace(/(<testsuite [^>]*) errors="0"/, '$1'))).not.toEqual([]);
    expect(await junitSchemaErrors(xml.replace('<testcase ', '<testcase file="x.ts" '))).not.toEqual([]);
  });

  it('escapes every hostile message', () => {
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('prompt &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot; &amp; friends');
  });

  it('counts as failures and errors exactly the findings the text and --json count', () => {
    for (const campaign of [sampleCampaign(), withCrash()]) {
      const out = toJUnitXml(campaign);
      const findings = campaignFindings(campaign).length;
      expect(attribute(out, 'testsuites', 'failures') + attribute(out, 'testsuites', 'errors')).toBe(findings);
    }
    expect(campaignFindings(sampleCampaign())).toHaveLength(2);
  });

  it('has one case per finding and per property without one, and one per enabled fault kind; no case per run', () => {
    const properties = PROPERTY_IDS.length;
    expect(xml.match(/<testcase /g)).toHaveLength(properties + 2);
    expect(xml).not.toContain('name="seed ');
    expect(xml).toContain('<testcase name="no-duplicates" classname="ssesim.base.properties" time="0.000"/>');
    const unfired = 'server-crash was enabled in 2 runs and never fired';
    expect(xml).toMatch(new RegExp(`<testcase name="fault server-crash fires"[^>]*>\\s*<failure message="${unfired}"`));
    expect(xml).not.toContain('http-404');
  });

  it("names a finding's case by its property and culprit, with the violation's text and the replay command", () => {
    expect(xml).toContain('<testcase name="no-silent-loss: send-silent-drop"');
    expect(xml).toContain('<failure message="prompt &quot;&lt;script&gt;');
    expect(xml).toContain('faults needed: request-lost (also fired: server-crash)');
    expect(xml).toContain('replay: ssesim replay out/repro-101.json');
    expect(xml).toContain('merged liveness {client,pendingCount,problem} problem=pending');
  });

  it('reports a crash as an error, and carries the start time as each suite timestamp', () => {
    const out = toJUnitXml(withCrash());
    expect(out).toMatch(
      /<testcase name="crash: send-silent-drop"[^>]*>\s*<error message="run ended with verdict crash/,
    );
    expect(attribute(out, 'testsuites', 'errors')).toBe(1);
    expect(out).toContain('timestamp="2026-01-02T03:04:05"');
  });

  it('strips characters XML cannot hold at all', async () => {
    const campaign = sampleCampaign();
    campaign.findings[0]!.message = 'bell \u0007 and nul \u0000';
    const out = toJUnitXml(campaign);
    expect(out).not.toMatch(/[\u0000\u0007]/);
    expect(await junitSchemaErrors(out)).toEqual([]);
  });

  it('is deterministic', () => {
    expect(toJUnitXml(sampleCampaign())).toBe(xml);
  });

  it('skips each property the campaign could not check, with the reason', () => {
    const out = toJUnitXml({ ...sampleCampaign(), notChecked: { 'cursor-monotonic': ['cursor'] } });
    expect(out).toMatch(/<testsuite name="ssesim\.properties\.base" [^>]*skipped="1"/);
    expect(out).toContain(
      '<testcase name="cursor-monotonic" classname="ssesim.base.properties" time="0.000">\n' +
        '      <skipped message="not checked (needs: cursor)"/>',
    );
    expect(xml).not.toContain('<skipped');
  });
});

describe('runToJUnitXml', () => {
  it('validates against the same schema: a case per property, a violated one failed', async () => {
    const xml = runToJUnitXml(sampleRun());
    expect(await junitSchemaErrors(xml)).toEqual([]);
    expect(xml).toMatch(/<testsuite name="ssesim\.properties\.[\w-]+" tests="\d+" failures="[1-9]\d*" errors="0"/);
  });
});
