/**
 * Renders a report in a real headless Chromium: the page must load from a file with no network,
 * paint something substantial, and have the timeline and violations in its DOM; a report of a
 * crafted result.json must run no script. Skipped where Chromium is not installed.
 */
import { execFileSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { existsSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, renderHtmlReport } from './html-report.ts';
import { craftedResultJson, HOSTILE_TITLE, MARKUP } from './testing/crafted-run.ts';
import { runMain } from '../cli/testing/run-main.ts';
import { sampleRun } from './testing/sample-run.ts';

const CHROMIUM = '/usr/bin/chromium';
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM_TIMEOUT_MS = 45_000;
/** A blank 1400x1800 page compresses to a few kilobytes; a painted report is far larger. */
const MIN_SCREENSHOT_BYTES = 20_000;

function chromium(dir: string, args: string[]): string {
  return execFileSync(
    CHROMIUM,
    [
      '--headless',
      '--no-sandbox',
      '--disable-gpu',
      '--disable-quic',
      '--no-first-run',
      '--disable-background-networking',
      '--disable-component-update',
      '--disable-sync',
      `--user-data-dir=${join(dir, 'profile')}`,
      ...args,
    ],
    { timeout: CHROMIUM_TIMEOUT_MS, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'], maxBuffer: 64 * 1024 * 1024 },
  );
}

describe('HTML report in Chromium', () => {
  it.skipIf(!existsSync(CHROMIUM))('renders a non-trivial screenshot and a DOM with timeline and violations', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssesim-chromium-'));
    const page = join(dir, 'report.html');
    writeFileSync(page, renderHtmlReport(sampleRun()));
    const url = pathToFileURL(page).href;

    const png = join(dir, 'report.png');
    chromium(dir, [`--screenshot=${png}`, '--window-size=1400,1800', url]);
    expect(existsSync(png)).toBe(true);
    expect(statSync(png).size).toBeGreaterThan(MIN_SCREENSHOT_BYTES);
    expect(readFileSync(png).subarray(1, 4).toString('latin1')).toBe('PNG');

    const dom = chromium(dir, ['--dump-dom', url]);
    expect(dom).toContain('id="timeline-table"');
    expect(dom.match(/<tr id="e-\d+"/g)?.length).toBe(sampleRun().trace.length);
    expect(dom).toMatch(/<article class="violation" id="violation-1">/);
    expect(dom).toContain('no-silent-loss');
    expect(dom).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(dom.match(/<svg class="(lanes|spacetime|plot)"/g)?.length).toBe(5);
  });

  it.skipIf(!existsSync(CHROMIUM))(
    'opens the report a campaign with a finding writes, with its timeline and violation',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'ssesim-chromium-campaign-'));
      const out = join(dir, 'campaign');
      // The user's path: a short campaign on a version with known bugs writes report/report.html.
      try {
        execFileSync('npx', ['tsx', 'cli.ts', 'fuzz', '--version', 'pr396', '--runs', '3', '--out', out], {
          cwd: ROOT,
          stdio: 'ignore',
          timeout: 120_000,
        });
      } catch (error) {
        expect((error as { status?: number }).status).toBe(1); // findings make the campaign exit 1
      }
      const url = pathToFileURL(join(out, 'report', 'report.html')).href;
      const png = join(dir, 'report.png');
      chromium(dir, [`--screenshot=${png}`, '--window-size=1400,1800', url]);
      expect(statSync(png).size).toBeGreaterThan(MIN_SCREENSHOT_BYTES);
      const dom = chromium(dir, ['--dump-dom', url]);
      expect(dom).toContain('id="timeline-table"');
      expect(dom).toMatch(/<article class="violation" id="violation-1">/);
      expect(dom).toMatch(/id="verdict">(violation|liveness|crash)</);
    },
    180_000,
  );

  it.skipIf(!existsSync(CHROMIUM))(
    'runs no script from a crafted result.json with markup in every field: the page title is unchanged',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ssesim-chromium-crafted-'));
      const file = join(dir, 'result.json');
      writeFileSync(file, JSON.stringify(craftedResultJson()));
      const exit = await runMain(['report', file, '--out', join(dir, 'report')]);
      expect(exit).toMatchObject({ code: 0, stderr: '' });
      const page = join(dir, 'report', 'report.html');
      const written = titleOf(readFileSync(page, 'utf8'));
      expect(written).toContain(MARKUP);
      const dom = chromium(dir, ['--dump-dom', pathToFileURL(page).href]);
      expect(titleOf(dom)).toBe(written);
      expect(dom).not.toMatch(/<img|<svg onload/);
    },
    60_000,
  );

  it.skipIf(!existsSync(CHROMIUM))('the policy runs the script it names by hash and no other inline script', () => {
    const dir = mkdtempSync(join(tmpdir(), 'ssesim-chromium-csp-'));
    const own = "document.title = 'own script ran';";
    const page = join(dir, 'csp.html');
    writeFileSync(
      page,
      `<!DOCTYPE html><html><head><meta http-equiv="Content-Security-Policy" content="${contentSecurityPolicy(own)}">` +
        `<title>untouched</title></head><body><script>${own}</script>` +
        `<script>document.title = '${HOSTILE_TITLE}';</script></body></html>`,
    );
    expect(titleOf(chromium(dir, ['--dump-dom', pathToFileURL(page).href]))).toBe('own script ran');
  });
});

/** The document title as text, entities decoded, so a page and Chromium's serialisation of it compare. */
function titleOf(html: string): string {
  const raw = /<title>([\s\S]*?)<\/title>/.exec(html)?.[1] ?? '';
  const entities: Record<string, string> = { '&lt;': '<', '&gt;': '>', '&quot;': '"', '&#39;': "'", '&amp;': '&' };
  return raw.replace(/&(lt|gt|quot|#39|amp);/g, (entity) => entities[entity]!);
}
