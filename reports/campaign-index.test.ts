import { mkdtempSync, readFileSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { renderCampaignIndex, writeCampaignIndex } from './campaign-index.ts';
import { sampleCampaign } from './testing/sample-campaign.ts';

const REPORTS = [
  { signature: 'no-silent-loss:c1', report: 'finding-1/report.html', size: { faultsFired: 2, userActions: 7 } },
];

describe('campaign index', () => {
  const html = renderCampaignIndex(sampleCampaign(), REPORTS);

  it("links each finding's report with its culprit, size and replay command", () => {
    expect(html).toContain('<a class="finding-report" href="finding-1/report.html">report</a>');
    expect(html).toContain('send-silent-drop');
    expect(html).toContain('faults needed: request-lost (also fired: server-crash)');
    expect(html).toContain('2 faults + 7 user actions');
    // The sample summary holds a command already; a plain path becomes one.
    expect(html).toContain('<pre class="command">ssesim replay out/repro-101.json</pre>');
    const withPath = sampleCampaign();
    withPath.findings[0]!.repro = 'out/my repro.json';
    expect(renderCampaignIndex(withPath, REPORTS)).toContain('npx ssesim replay &#39;out/my repro.json&#39;');
  });

  it('shows fault coverage with the fault that never fired, and the properties not checked', () => {
    expect(html).toMatch(/<tr class="never-fired"><td>server-crash<\/td><td class="num">2<\/td><td class="num">0/);
    expect(html).toContain('Every property was checked');
    const unchecked = { ...sampleCampaign(), notChecked: { 'cursor-monotonic': ['cursor'] } };
    expect(renderCampaignIndex(unchecked, REPORTS)).toMatch(/<code>cursor-monotonic<\/code>: .*cursor/);
  });

  it('escapes run text and runs no script; a finding without a report says so', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toMatch(/<script/);
    expect(html).toContain("script-src 'none'");
    expect(renderCampaignIndex(sampleCampaign(), [])).toContain('no report');
  });

  it('links a passing run when there is no finding', () => {
    const clean = { ...sampleCampaign(), failures: 0, findings: [] };
    const page = renderCampaignIndex(clean, [], { passingRunReport: 'passing-run/report.html' });
    expect(page).toContain('No property failed');
    expect(page).toContain('href="passing-run/report.html"');
  });

  it('is written next to what is there, never over it', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssesim-index-'));
    writeFileSync(join(dir, 'index.html'), 'keep me');
    const path = writeCampaignIndex(dir, sampleCampaign(), REPORTS);
    expect(path).toBe(join(dir, 'index-2.html'));
    expect(readFileSync(join(dir, 'index.html'), 'utf8')).toBe('keep me');
    expect(readFileSync(path, 'utf8')).toBe(html);
  });
});
