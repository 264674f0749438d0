import { createHash } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import { contentSecurityPolicy, renderHtmlReport } from './html-report.ts';
import { PAGE_SCRIPT } from './html/page-script.ts';
import { craftedResultJson, MARKUP } from './testing/crafted-run.ts';
import type { RunResult } from '../sim/run-result.ts';
import { MAX_TIMELINE_ROWS } from './html/timeline-table.ts';
import { SCRIPT_PAYLOAD, sampleRun } from './testing/sample-run.ts';
import { RunFixture } from './testing/run-fixture.ts';
import { violation } from '../model/violation.ts';

describe('renderHtmlReport', () => {
  const html = renderHtmlReport(sampleRun());

  it('is one self-contained document: no external resource of any kind', () => {
    expect(html.startsWith('<!DOCTYPE html>')).toBe(true);
    expect(html).not.toMatch(/<link\b|<img\b|\bsrc=|@import|url\((?!#)/i);
    expect(html).not.toMatch(/https?:\/\/(?!www\.w3\.org\/2000\/svg)/);
    expect(html).toContain("default-src 'none'");
  });

  it('shows the header: seed, version, defects, verdict, trace hash, fault counts, scenario', () => {
    const run = sampleRun();
    expect(html).toContain('<th>seed</th><td>42</td>');
    expect(html).toContain('<code>send-silent-drop</code>');
    expect(html).toContain('class="badge verdict-violation"');
    expect(html).toContain(run.traceHash);
    expect(html).toMatch(/<tr class="fired"><td>request-lost<\/td><td class="num">1<\/td>/);
    expect(html).toMatch(/<tr class="never-fired"><td>http-503<\/td>/);
    expect(html).toContain('&quot;chaosMs&quot;: 3000');
  });

  it('explains violations, linking each evidence entry to its timeline row', () => {
    expect(html).toContain('<span class="property">no-silent-loss</span>');
    expect(html).toContain(
      'prompt &quot;msg-1&quot; (client c1, session s1) was accepted but neither persisted nor reported failed',
    );
    for (const index of sampleRun().violations[0]!.evidence) {
      expect(html).toContain(`<a href="#e-${index}">#${index}</a>`);
      expect(html).toMatch(new RegExp(`<tr id="e-${index}" class="[^"]*evidence`));
    }
  });

  it('contains the timeline, lanes, spacetime diagram and plots', () => {
    const run = sampleRun();
    expect(html.match(/<tr id="e-\d+"/g)).toHaveLength(run.trace.length);
    expect(html).toContain('class="lanes"');
    expect(html).toMatch(/class="phase phase-chaos"/);
    expect(html).toMatch(/class="mark mark-fault"/);
    expect(html).toMatch(/class="arrow arrow-post"/);
    expect(html).toMatch(/class="arrow arrow-post arrow-lost"/);
    expect(html).toMatch(/class="arrow arrow-response"/);
    expect(html).toMatch(/class="arrow arrow-frame"/);
    expect(html.match(/<polyline class="series"/g)!.length).toBeGreaterThanOrEqual(6);
    for (const name of ['live', 'replay', 'c1 s1', 'c2 s1'])
      expect(html).toMatch(new RegExp(`class="legend"[^>]*>${name}</text>`));
  });

  it('escapes all run text: a script payload appears as text, never as markup', () => {
    expect(html).toContain('&lt;script&gt;alert(1)&lt;/script&gt;');
    expect(html).not.toContain(SCRIPT_PAYLOAD);
    expect(html.match(/<script/g)).toHaveLength(1);
    const hostile = new RunFixture();
    const index = hostile.record(0, '<b>actor</b>', 'kind"><img src=x onerror=alert(2)>', {
      '<k>': '</td></tr><script>alert(3)</script>',
    });
    hostile.violation(violation('liveness', `<script>alert(4)</script>`, { client: '<i>c</i>' }, [index]));
    const page = renderHtmlReport(hostile.build());
    expect(page.match(/<script/g)).toHaveLength(1);
    expect(page).not.toMatch(/<img|<b>|<i>|onerror=alert\(2\)>/);
  });

  it('caps the timeline for large traces, keeping evidence rows so every link resolves', () => {
    const big = new RunFixture();
    for (let i = 0; i < MAX_TIMELINE_ROWS + 500; i++) big.record(i, 'c1', 'user.prompt', { n: i });
    big.violation(violation('liveness', 'late', {}, [MAX_TIMELINE_ROWS + 400]));
    const page = renderHtmlReport(big.build());
    expect(page.match(/<tr id="e-\d+"/g)).toHaveLength(MAX_TIMELINE_ROWS + 1);
    expect(page).toContain(`id="e-${MAX_TIMELINE_ROWS + 400}"`);
    expect(page).toContain(`Showing ${MAX_TIMELINE_ROWS + 1} of ${MAX_TIMELINE_ROWS + 500} trace entries`);
  });

  it('opens with the next step: finding k of N, its culprit, the repro and the replay commands', () => {
    const page = renderHtmlReport(sampleRun(), {
      nextStep: {
        finding: {
          k: 2,
          n: 5,
          signature: 'no-silent-loss {client}',
          culprit: 'send-silent-drop',
          faultsNeeded: 'none',
        },
        reproPath: 'out/repro 1.json',
        indexHref: '../index.html',
        others: [{ label: '1. liveness', href: '../finding-1/report.html' }],
      },
    });
    const block = /<section id="next-step"[\s\S]*?<\/section>/.exec(page)![0];
    expect(page.indexOf('id="next-step"')).toBeLessThan(page.indexOf('id="violations"'));
    expect(block).toContain('Finding <b>2</b> of <b>5</b>: <code>no-silent-loss {client}</code>');
    expect(block).toContain('<td>send-silent-drop</td>');
    expect(block).toContain(
      '<pre class="command" id="replay-command">npx ssesim replay &#39;out/repro 1.json&#39;</pre>',
    );
    expect(block).toContain('npm run sim -- replay &#39;out/repro 1.json&#39;');
    expect(block).toContain('<a href="../index.html">all findings</a>');
    expect(block).toContain('<a href="../finding-1/report.html">1. liveness</a>');
    // Without a repro it says where one comes from; a passing run has nothing to replay.
    expect(html).toMatch(/id="next-step"[\s\S]*No repro file was named/);
    const passed = new RunFixture();
    passed.record(0, 'c1', 'user.prompt', {});
    expect(renderHtmlReport(passed.build())).toContain('This run passed: there is nothing to replay.');
  });

  it('groups violations by property, collapsed, each with its causal window', () => {
    const run = new RunFixture();
    const a = run.record(10, 'c1', 'client.queue.length', { length: 1 });
    const b = run.record(20, 'c1', 'client.cursor', { sessionId: 's1', cursor: 3 });
    const c = run.record(30, 'c2', 'client.cursor', { sessionId: 's1', cursor: 1 });
    run.violation(violation('liveness', 'first', { client: 'c1' }, [a]));
    run.violation(violation('liveness', 'second', { client: 'c2' }, [c]));
    run.violation(violation('no-duplicates', 'third', { client: 'c1' }, [b]));
    const page = renderHtmlReport(run.build());
    expect(page.match(/<details class="violation-group">/g)).toHaveLength(2);
    expect(page).not.toMatch(/<details class="violation-group" open/);
    expect(page).toContain('<span class="property">liveness</span> <span class="count">x2</span>');
    expect(page).toContain('Violations (3) of 2 properties');
    const third = /<article class="violation" id="violation-3">[\s\S]*?<\/article>/.exec(page)![0];
    // The cursor the third cites, and the queue change of the same client before it, not the other client's.
    expect(third).toMatch(/<div class="causal-window">[\s\S]*client\.queue\.length[\s\S]*client\.cursor/);
    expect(third).not.toContain(`href="#e-${c}"`);
  });

  it('draws messages as a Lamport diagram: time down, labelled arrows, the lanes on the same scale', () => {
    const y = (attr: string, cls: string): number[] =>
      [...html.matchAll(new RegExp(`<(?:circle|line) class="${cls}[^"]*"[^>]*\\b${attr}="([\\d.]+)"`, 'g'))].map((m) =>
        Number(m[1]),
      );
    const arrows = [...html.matchAll(/<line class="arrow[^"]*" data-sent-ms="([\d.]+)" x1="[\d.]+" y1="([\d.]+)"/g)];
    const times = arrows.map((m) => [Number(m[1]), Number(m[2])] as const);
    for (const [t1, y1] of times)
      for (const [t2, y2] of times) if (t2 - t1 >= 10) expect(y2 - y1).toBeGreaterThanOrEqual(8);
    expect(html).toMatch(/<text class="arrow-label arrow-label-frame"[^>]*>agent_step seq 4<\/text>/);
    expect(html).toMatch(/<text class="arrow-label arrow-label-response"[^>]*>200 \/send<\/text>/);
    expect(html).toMatch(/<text class="arrow-label arrow-label-post"[^>]*>POST \/send<\/text>/);
    expect(html).toMatch(/<g class="fault-mark">/);
    expect(html).toContain('class="violation-line"');
    expect(html).toMatch(/id="figure-scroll" data-focus-y="[\d.]+"/);
    // The lanes share the diagram's height: one scale for both.
    const heights = [...html.matchAll(/<svg class="(?:spacetime|lanes)"[^>]* height="(\d+)"/g)].map((m) => m[1]);
    expect(heights).toHaveLength(2);
    expect(heights[0]).toBe(heights[1]);
    expect(y('cy', 'mark').length).toBeGreaterThan(0);
  });

  it('leaves out plots with no data', () => {
    const run = new RunFixture();
    run.record(0, 'c1', 'user.prompt', {});
    const page = renderHtmlReport(run.build());
    expect(page).not.toContain('id="plots"');
    expect(html.match(/<svg class="plot"/g)).toHaveLength(3);
  });

  it('is deterministic', () => {
    expect(renderHtmlReport(sampleRun())).toBe(html);
  });

  it('runs only its own script: the policy names it by the sha256 of its exact text', () => {
    const script = /<script>([\s\S]*?)<\/script>/.exec(html)![1]!;
    const hash = createHash('sha256').update(script, 'utf8').digest('base64');
    const policy = /<meta http-equiv="Content-Security-Policy" content="([^"]*)">/
      .exec(html)![1]!
      .replaceAll('&#39;', "'");
    expect(policy).toBe(contentSecurityPolicy(PAGE_SCRIPT));
    expect(policy).toContain(`script-src 'sha256-${hash}'`);
    expect(policy).not.toContain("unsafe-inline' ; script");
    expect(policy.split('; ').find((part) => part.startsWith('script-src'))).toBe(`script-src 'sha256-${hash}'`);
  });

  it('escapes markup in every field of a crafted result, numbers included', () => {
    const crafted = craftedResultJson() as unknown as RunResult;
    const pages = [renderHtmlReport(crafted), renderHtmlReport(withMarkupNumbers(crafted))];
    for (const page of pages) {
      expect(page.match(/<script/g)).toHaveLength(1);
      expect(page).not.toMatch(/<img|<svg onload|<\/title><\/code>/);
      expect(page).toContain('&lt;script&gt;document.title=&#39;pwned&#39;&lt;/script&gt;');
    }
  });
});

/** Markup where a result's numbers go (seed, steps, fault counts, trace indexes, evidence), past any validation. */
function withMarkupNumbers(run: RunResult): RunResult {
  const markup = MARKUP as unknown as number;
  return {
    ...run,
    seed: markup,
    steps: markup,
    faultCounts: Object.fromEntries(
      Object.keys(run.faultCounts).map((kind) => [kind, markup]),
    ) as RunResult['faultCounts'],
    trace: run.trace.map((entry) => ({ ...entry, index: markup })),
    violations: run.violations.map((v) => ({ ...v, evidence: [markup, ...v.evidence] })),
  };
}
