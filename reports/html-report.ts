/**
 * One self-contained HTML file for one run: inline CSS, JS and SVG, no network and no external
 * fonts, so it can be attached to a CI job or mailed and still open anywhere. Every string from
 * the run is escaped, numbers included (a result.json is a file anyone can hand over). A pure
 * function of the result: the same run renders byte-identically.
 */
import { createHash } from 'node:crypto';
import type { RunResult } from '../sim/index.ts';
import { escapeMarkup } from './escape-markup.ts';
import { orderedActors } from './actor-lanes.ts';
import { evidenceIndexes } from './notable-entries.ts';
import { headerSection, type HeaderFact } from './html/header-section.ts';
import { violationsSection } from './html/violations-section.ts';
import { propertiesSection } from './html/properties-section.ts';
import { nextStepSection, type NextStep } from './html/next-step-section.ts';
import { timeFigure } from './html/time-figure.ts';
import { linePlotSvg, type LinePlotOptions } from './html/line-plot-svg.ts';
import { cursorLagSeries, queueSeries, replayVolumeSeries } from './html/plot-series.ts';
import { timelineRows, timelineTable } from './html/timeline-table.ts';
import { PAGE_STYLE } from './html/page-style.ts';
import { PAGE_SCRIPT } from './html/page-script.ts';

/**
 * Blocks every fetch, so the report never reaches the network even from a crafted payload, and
 * runs no script but its own: the policy names the page's one script by the hash of its text,
 * so markup that slipped past the escaping could still not run.
 */
export function contentSecurityPolicy(script: string): string {
  return [
    "default-src 'none'",
    "style-src 'unsafe-inline'",
    `script-src 'sha256-${createHash('sha256').update(script, 'utf8').digest('base64')}'`,
    'img-src data:',
    "base-uri 'none'",
    "form-action 'none'",
  ].join('; ');
}

const CONTENT_SECURITY_POLICY = contentSecurityPolicy(PAGE_SCRIPT);

/** What the report's caller knows about the run beyond the run itself; plain data. */
export interface ReportContext {
  /** Extra lines for the header. */
  facts?: readonly HeaderFact[];
  /** The finding, repro and replay command the next-step block shows. */
  nextStep?: NextStep;
}

export function renderHtmlReport(result: RunResult, context: ReportContext = {}): string {
  const cited = evidenceIndexes(result.violations);
  const rows = timelineRows(result.trace, cited);
  const linked = new Set(rows.map((entry) => entry.index));
  const title = `ssesim ${result.scenario.name} seed ${result.seed} ${result.version.name}: ${result.verdict}`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    // The policy is this module's constant, its quotes single, so it sits in the attribute as it is.
    `<meta http-equiv="Content-Security-Policy" content="${CONTENT_SECURITY_POLICY}">`,
    `<title>${escapeMarkup(title)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    headerSection(result, context.facts ?? []),
    nextStepSection(result, context.nextStep ?? {}),
    violationsSection(result),
    `<section id="spacetime"><h2>Messages and actors over time</h2>${figureLegend()}\n` +
      `${timeFigure(result, cited, linked)}</section>`,
    propertiesSection(result),
    plotsSection(result),
    `<section id="timeline"><h2>Timeline</h2>\n${timelineControls(result)}\n` +
      `${timelineTable(result.trace, rows, cited)}</section>`,
    `<script>${PAGE_SCRIPT}</script>`,
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

/** Plots with no series are left out: an empty frame says nothing and pushes the rest down. */
function plotsSection(result: RunResult): string {
  const endMs = Math.max(result.virtualMs, result.trace.at(-1)?.t ?? 0);
  const plots: LinePlotOptions[] = [
    {
      title: 'Pending queue length per client',
      yLabel: 'messages',
      series: queueSeries(result.history),
      endMs,
      step: true,
    },
    {
      title: 'Cursor lag per client and session (session head seq minus applied cursor)',
      yLabel: 'events behind',
      series: cursorLagSeries(result.history),
      endMs,
      step: true,
    },
    {
      title: 'Frames sent per second, by route',
      yLabel: 'frames / s',
      series: replayVolumeSeries(result.history, endMs),
      endMs,
      step: true,
    },
  ].filter((plot) => plot.series.length > 0);
  if (plots.length === 0) return '';
  return ['<section id="plots"><h2>Plots</h2>', ...plots.map(linePlotSvg), '</section>'].join('\n');
}

function figureLegend(): string {
  return (
    legendRow([
      ['#1565c0', 'POST (client to server)'],
      ['#2e7d32', 'response'],
      ['#9e9e9e', 'frame (server to client)'],
      ['#d50000', 'lost / fault'],
      ['#ff9800', 'violation evidence'],
      ['#fdecea', 'chaos phase'],
      ['#e8f5e9', 'heal phase'],
    ]) + '<p class="legend-note">Time flows down. A zigzag marks an idle stretch drawn shorter than it lasted.</p>'
  );
}

/** A row of colour swatches, each followed by its label. */
function legendRow(items: [color: string, label: string][]): string {
  const spans = items.map(
    ([color, label]) => `<span><i class="swatch" style="background:${color}"></i>${label}</span>`,
  );
  return `<p class="legend-row">${spans.join('')}</p>`;
}

function timelineControls(result: RunResult): string {
  const options = orderedActors(result.trace).map(
    (actor) => `<option value="${escapeMarkup(actor)}">${escapeMarkup(actor)}</option>`,
  );
  return [
    '<div class="controls">',
    '<input type="search" id="filter-text" placeholder="filter rows by text">',
    `<select id="filter-actor"><option value="">all actors</option>${options.join('')}</select>`,
    '<label><input type="checkbox" id="filter-routine"> hide routine entries (queue, cursor, frames)</label>',
    '</div>',
  ].join('\n');
}
