/**
 * Renders a report in a real headless Chromium: the page must load from a file with no network,
 * paint something substantial, and have the timeline and violations in its DOM; a report of a
 * crafted result.json must run no script. A real campaign's index and one finding's report are
 * opened and measured in the laid-out DOM (SSESIM_SCREENS_DIR, when set, receives their
 * screenshots). Skipped where Chromium is not installed.
 */
import { execFileSync, execSync } from 'node:child_process';
import { fileURLToPath } from 'node:url';
import { existsSync, mkdirSync, mkdtempSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, renderHtmlReport } from './html-report.ts';
import { craftedResultJson, HOSTILE_TITLE, MARKUP } from './testing/crafted-run.ts';
import { runMain } from '../cli/testing/run-main.ts';
import { sampleRun } from './testing/sample-run.ts';
import { ChromiumPage, CHROMIUM, CHROMIUM_FLAGS } from './testing/chromium-page.ts';
import { runCampaign } from '../sim/campaign/index.ts';
import { runVersionOf } from '../sim/index.ts';
import { resolveVersion } from '../transport/index.ts';
import { writeCampaignFiles } from '../cli/campaign-files.ts';
import { campaignSummaryOf } from './campaign-summary-of.ts';

const ROOT = fileURLToPath(new URL('..', import.meta.url));
const CHROMIUM_TIMEOUT_MS = 45_000;
/** A blank 1400x1800 page compresses to a few kilobytes; a painted report is far larger. */
const MIN_SCREENSHOT_BYTES = 20_000;

function chromium(dir: string, args: string[]): string {
  return execFileSync(CHROMIUM, [...CHROMIUM_FLAGS, `--user-data-dir=${join(dir, 'profile')}`, ...args], {
    timeout: CHROMIUM_TIMEOUT_MS,
    encoding: 'utf8',
    stdio: ['ignore', 'pipe', 'pipe'],
    maxBuffer: 64 * 1024 * 1024,
  });
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
    'a real pr396 campaign: the index links every finding; a report says what to do next, and draws ' +
      'messages 10 ms apart at least 8 px apart',
    async () => {
      const dir = mkdtempSync(join(tmpdir(), 'ssesim-chromium-index-'));
      const out = join(dir, 'campaign');
      const version = runVersionOf(resolveVersion('pr396'));
      const result = await runCampaign({ version, baseSeed: 1, runs: 30, workers: 1, outDir: out });
      expect(result.findings.length).toBeGreaterThan(1);
      const files = await writeCampaignFiles(result, campaignSummaryOf(result), out);
      const shots = process.env.SSESIM_SCREENS_DIR ?? join(dir, 'screens');
      mkdirSync(shots, { recursive: true });

      const index = await ChromiumPage.open(pathToFileURL(files.index).href, VIEWPORT);
      const links = await index.evaluate<string[]>(
        '[...document.querySelectorAll("a.finding-report")].map((a) => a.href)',
      );
      const replays = await index.evaluate<string[]>(
        '[...document.querySelectorAll("#findings pre.command")].map((pre) => pre.textContent)',
      );
      await index.screenshot(join(shots, 'campaign-index-first-screen.png'), false);
      await index.screenshot(join(shots, 'campaign-index-full.png'), true);
      await index.close();
      expect(links).toHaveLength(result.findings.length);
      expect(replays.every((command) => /^npx ssesim replay \S+\.json$/.test(command))).toBe(true);

      const report = await ChromiumPage.open(links[0]!, VIEWPORT);
      const page = await report.evaluate<ReportFacts>(REPORT_FACTS);
      await report.screenshot(join(shots, 'finding-report-first-screen.png'), false);
      await report.screenshot(join(shots, 'finding-report-full.png'), true);
      await report.close();
      expect(page.findingK).toBe(
        `Finding 1 of ${result.findings.length}: ${result.findings[0]!.signatures.join('; ')}`,
      );
      expect(page.replay).toBe(`npx ssesim replay ${result.findings[0]!.shrunk?.repro ?? result.findings[0]!.repro}`);
      expect(page.causalRows).toBeGreaterThan(0);
      expect(page.causalRowsNotCited).toBeGreaterThan(0);
      // Measured where Chromium laid them out: the closest pair of arrows 10 ms or more apart.
      expect(page.arrowPairs10Ms).toBeGreaterThan(10);
      expect(page.minGapPx10Ms).toBeGreaterThanOrEqual(8);
      expect(page.figureTop).toBeLessThan(VIEWPORT.height);
      // The clone's form of the command replays the repro: the same trace, so it fails the same way.
      let replay = '';
      try {
        execSync(page.cloneReplay, { cwd: ROOT, encoding: 'utf8', stdio: ['ignore', 'pipe', 'pipe'] });
      } catch (error) {
        replay = String((error as { stdout?: string }).stdout);
      }
      expect(replay).toMatch(/^identical: trace [0-9a-f]+/m);
    },
    600_000,
  );

  it.skipIf(!existsSync(CHROMIUM))(
    'opens the report a campaign with a finding writes, with its timeline and violation',
    () => {
      const dir = mkdtempSync(join(tmpdir(), 'ssesim-chromium-campaign-'));
      const out = join(dir, 'campaign');
      // The user's path: a short campaign on a version with known bugs writes report/report.html.
      try {
        const fuzz = ['fuzz', '--version', 'pr396', '--runs', '3', '--shrink-runs', '20', '--out', out];
        execFileSync('npx', ['tsx', 'cli.ts', ...fuzz], {
          cwd: ROOT,
          stdio: 'ignore',
          timeout: 400_000,
        });
      } catch (error) {
        expect((error as { status?: number }).status).toBe(1); // findings make the campaign exit 1
      }
      expect(readFileSync(join(out, 'index.html'), 'utf8')).toContain('href="finding-1/report.html"');
      const url = pathToFileURL(join(out, 'finding-1', 'report.html')).href;
      const png = join(dir, 'report.png');
      chromium(dir, [`--screenshot=${png}`, '--window-size=1400,1800', url]);
      expect(statSync(png).size).toBeGreaterThan(MIN_SCREENSHOT_BYTES);
      const dom = chromium(dir, ['--dump-dom', url]);
      expect(dom).toContain('id="timeline-table"');
      expect(dom).toMatch(/<article class="violation" id="violation-1">/);
      expect(dom).toMatch(/id="verdict">(violation|liveness|crash)</);
    },
    480_000,
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

const VIEWPORT = { width: 1400, height: 1000 };

interface ReportFacts {
  findingK: string;
  replay: string;
  cloneReplay: string;
  causalRows: number;
  causalRowsNotCited: number;
  arrowPairs10Ms: number;
  minGapPx10Ms: number;
  figureTop: number;
}

/** Read in the page: the next-step block, the causal windows, and arrow starts where they were painted. */
const REPORT_FACTS = `(() => {
  const text = (selector) => document.querySelector(selector)?.textContent ?? '';
  const commands = [...document.querySelectorAll('#next-step pre.command')].map((pre) => pre.textContent);
  const starts = [...document.querySelectorAll('svg.spacetime line.arrow')].map((line) => {
    const point = line.ownerSVGElement.createSVGPoint();
    point.x = line.x1.baseVal.value;
    point.y = line.y1.baseVal.value;
    return { ms: Number(line.getAttribute('data-sent-ms')), y: point.matrixTransform(line.getScreenCTM()).y };
  }).sort((a, b) => a.ms - b.ms || a.y - b.y);
  let pairs = 0;
  let minGap = Infinity;
  for (let i = 0, j = 0; i < starts.length; i++) {
    while (j < starts.length && starts[j].ms - starts[i].ms < 10) j++;
    if (j === starts.length) break;
    pairs++;
    minGap = Math.min(minGap, starts[j].y - starts[i].y);
  }
  const rows = [...document.querySelectorAll('.causal-window tr')];
  return {
    findingK: text('#next-step .finding-k'),
    replay: text('#replay-command'),
    cloneReplay: commands.find((command) => command.startsWith('npm run sim')) ?? '',
    causalRows: rows.length,
    causalRowsNotCited: rows.filter((row) => !row.classList.contains('evidence')).length,
    arrowPairs10Ms: pairs,
    minGapPx10Ms: minGap,
    figureTop: document.querySelector('.figure').getBoundingClientRect().top,
  };
})()`;
