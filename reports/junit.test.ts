import { describe, expect, it } from 'vitest';
import { toJUnitXml } from './junit.ts';
import { sampleCampaign } from './testing/sample-campaign.ts';

/**
 * A strict enough well-formedness check without an XML dependency: tags nest and close, text
 * and attribute values hold no raw `<` and no `&` outside an entity, attributes are quoted.
 */
function assertWellFormed(xml: string): void {
  const body = xml.replace(/^<\?xml[^?]*\?>\s*/, '');
  const stack: string[] = [];
  const entity = /&(amp|lt|gt|quot|apos|#\d+|#x[0-9a-f]+);/gi;
  for (const token of body.split(/(<[^>]*>)/)) {
    if (!token.startsWith('<')) {
      expect(token.replace(entity, '')).not.toMatch(/[<>&]/);
      continue;
    }
    const tag = /^<(\/?)([\w:-]+)((?:\s+[\w:-]+="[^"<]*")*)\s*(\/?)>$/.exec(token);
    expect(tag, `malformed tag ${token}`).not.toBeNull();
    const [, closing, name, attributes, selfClosing] = tag!;
    expect(attributes!.replace(entity, '')).not.toMatch(/&/);
    if (closing) expect(stack.pop()).toBe(name);
    else if (!selfClosing) stack.push(name!);
  }
  expect(stack).toEqual([]);
}

describe('toJUnitXml', () => {
  const xml = toJUnitXml(sampleCampaign());

  it('is well formed, with every hostile message escaped', () => {
    assertWellFormed(xml);
    expect(xml).not.toContain('<script>');
    expect(xml).toContain('prompt &quot;&lt;script&gt;alert(1)&lt;/script&gt;&quot; &amp; friends');
  });

  it('has a testcase per run, per finding and per enabled fault, and counts failures', () => {
    expect(xml.match(/<testcase /g)).toHaveLength(3 + 1 + 3);
    expect(xml).toMatch(/<testsuites name="ssesim" tests="7" failures="3"/);
    expect(xml).toMatch(/<testsuite name="ssesim\.runs\.base" tests="3" failures="1"/);
    expect(xml).toContain('<testcase name="seed 101" classname="ssesim.base" time="0.090">');
    expect(xml).toContain('<failure message="violation: 2 violation(s)" type="violation">');
    expect(xml).toContain('<testcase name="seed 100" classname="ssesim.base" time="0.080"/>');
    expect(xml).toMatch(
      /<testcase name="fault server-crash fires"[^>]*>\s*<failure message="server-crash was enabled in 2 runs and never fired"/,
    );
  });

  it("puts a finding's culprit in its failure message and the faults it needs in the body", () => {
    expect(xml).toContain('<failure message="culprit: send-silent-drop: prompt &quot;');
    expect(xml).toContain('faults needed: request-lost (also fired: server-crash)');
  });

  it('strips characters XML cannot hold at all', () => {
    const campaign = sampleCampaign();
    campaign.findings[0]!.message = 'bell \u0007 and nul \u0000';
    const out = toJUnitXml(campaign);
    assertWellFormed(out);
    expect(out).not.toMatch(/[\u0000\u0007]/);
  });

  it('is deterministic', () => {
    expect(toJUnitXml(sampleCampaign())).toBe(xml);
  });

  it('adds a skipped case for each property the campaign could not check, with the reason', () => {
    const campaign = { ...sampleCampaign(), notChecked: { 'cursor-monotonic': ['cursor'] } };
    const out = toJUnitXml(campaign);
    assertWellFormed(out);
    expect(out).toMatch(/<testsuites name="ssesim" tests="8" failures="3" skipped="1"/);
    expect(out).toMatch(/<testsuite name="ssesim\.properties\.base" tests="1" failures="0" errors="0" skipped="1"/);
    expect(out).toContain(
      '<testcase name="property cursor-monotonic" classname="ssesim.base.properties" time="0.000">\n' +
        '      <skipped message="not checked (needs: cursor)"/>',
    );
    expect(xml).not.toContain('skipped');
  });
});
