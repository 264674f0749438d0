/**
 * A campaign's `index.html`: the page to open first. Every finding with its culprit, its size
 * (faults fired + user actions of the run its report shows), a link to its report and the command
 * that replays it; then fault coverage and the properties the campaign could not check. Its inputs
 * are plain data (the campaign summary and where each finding's report went), so a campaign, a
 * merge of shards or anything else that has them can write it. Like the run report it is one
 * offline file, all run text escaped, and it runs no script at all.
 */
import { escapeMarkup } from './escape-markup.ts';
import type { CampaignSummary } from './campaign-summary.ts';
import { unfiredFaults } from './campaign-summary-findings.ts';
import { culpritText, faultsText } from './culprit-text.ts';
import { replayCommands } from './html/next-step-section.ts';
import { PAGE_STYLE } from './html/page-style.ts';
import { writeNew } from '../sim/files/index.ts';

/** Where one finding's report went, matched to the summary's finding by signature. */
export interface FindingReport {
  signature: string;
  /** The finding's report, relative to the index's folder. */
  report?: string;
  /** Of the run the report shows (the shrunk one when there is one). */
  size?: { faultsFired: number; userActions: number };
  /** The transport module its repro was recorded on, when not the bundled one. */
  transportPath?: string;
}

export interface CampaignIndexExtras {
  /** A report of a passing run, relative to the index's folder, for a campaign without findings. */
  passingRunReport?: string;
}

const INDEX_POLICY = ["default-src 'none'", "style-src 'unsafe-inline'", "script-src 'none'", "base-uri 'none'"].join(
  '; ',
);

/** Writes `index.html` into `dir` (or the first free `index-N.html`; never over a file); returns its path. */
export function writeCampaignIndex(
  dir: string,
  summary: CampaignSummary,
  findings: readonly FindingReport[],
  extras: CampaignIndexExtras = {},
): string {
  return writeNew(dir, 'index.html', renderCampaignIndex(summary, findings, extras));
}

export function renderCampaignIndex(
  summary: CampaignSummary,
  findings: readonly FindingReport[],
  extras: CampaignIndexExtras = {},
): string {
  const lastSeed = summary.seedStart + Math.max(summary.runs - 1, 0);
  const title = `ssesim campaign: ${summary.runs} runs on ${summary.version}, ${summary.findings.length} findings`;
  return [
    '<!DOCTYPE html>',
    '<html lang="en">',
    '<head>',
    '<meta charset="utf-8">',
    `<meta http-equiv="Content-Security-Policy" content="${INDEX_POLICY}">`,
    `<title>${escapeMarkup(title)}</title>`,
    `<style>${PAGE_STYLE}</style>`,
    '</head>',
    '<body>',
    `<h1>${escapeMarkup(title)}</h1>`,
    `<p class="campaign-facts">Seeds ${escapeMarkup(summary.seedStart)}..${escapeMarkup(lastSeed)}; ` +
      `${escapeMarkup(summary.failures)} failing runs; ${escapeMarkup((summary.wallMs / 1000).toFixed(1))} s wall, ` +
      `${escapeMarkup(summary.runsPerSec.toFixed(1))} runs/s.</p>`,
    findingsSection(summary, findings, extras),
    coverageSection(summary),
    notCheckedSection(summary),
    '</body>',
    '</html>',
    '',
  ].join('\n');
}

function findingsSection(
  summary: CampaignSummary,
  findings: readonly FindingReport[],
  extras: CampaignIndexExtras,
): string {
  const head = `<section id="findings"><h2>Findings (${summary.findings.length})</h2>`;
  if (summary.findings.length === 0) {
    const passing =
      extras.passingRunReport === undefined
        ? ''
        : ` <a href="${escapeMarkup(extras.passingRunReport)}">A passing run's report</a> shows what was tested.`;
    return `${head}<p class="ok">No property failed in these runs.${passing}</p></section>`;
  }
  const reports = new Map(findings.map((finding) => [finding.signature, finding]));
  const rows = summary.findings.map((finding, i) => {
    const report = reports.get(finding.signature);
    const link =
      report?.report === undefined
        ? 'no report'
        : `<a class="finding-report" href="${escapeMarkup(report.report)}">report</a>`;
    const size = report?.size
      ? `${escapeMarkup(report.size.faultsFired)} faults + ${escapeMarkup(report.size.userActions)} user actions`
      : 'unknown';
    return [
      `<tr class="finding" id="finding-${i + 1}">`,
      `<td>${i + 1}</td>`,
      `<td><span class="property">${escapeMarkup(finding.property)}</span> x${escapeMarkup(finding.count)}` +
        `<div class="message">${escapeMarkup(finding.message)}</div>` +
        `<div class="signature"><code>${escapeMarkup(finding.signature)}</code></div></td>`,
      `<td>${escapeMarkup(culpritText(finding.culprits.defects))}` +
        `<div class="faults-needed">faults needed: ${escapeMarkup(faultsText(finding.culprits.faults))}</div></td>`,
      `<td class="num">${size}</td>`,
      `<td>${link}</td>`,
      `<td>${replayCell(finding.repro, report?.transportPath)}</td>`,
      '</tr>',
    ].join('');
  });
  const header =
    '<thead><tr><th>#</th><th>finding</th><th>culprit</th><th>size</th><th>report</th><th>replay</th></tr></thead>';
  return `${head}<table class="findings">${header}<tbody>\n${rows.join('\n')}\n</tbody></table></section>`;
}

/** A repro path becomes its replay command; a summary that holds a command already shows it as it is. */
function replayCell(repro: string | undefined, transportPath: string | undefined): string {
  if (repro === undefined) return 'no repro';
  const command = /^(npx|npm|ssesim) /.test(repro) ? repro : replayCommands(repro, transportPath).installed;
  return `<pre class="command">${escapeMarkup(command)}</pre>`;
}

function coverageSection(summary: CampaignSummary): string {
  const kinds = Object.keys(summary.faultCoverage).sort();
  const head = '<section id="coverage"><h2>Fault coverage</h2>';
  if (kinds.length === 0) return `${head}<p>No faults enabled.</p></section>`;
  const unfired = new Set(unfiredFaults(summary));
  const rows = kinds.map((kind) => {
    const { enabledRuns, fired } = summary.faultCoverage[kind]!;
    const cls = unfired.has(kind) ? ' class="never-fired"' : fired > 0 ? ' class="fired"' : '';
    const note = unfired.has(kind) ? 'enabled, never fired' : enabledRuns === 0 ? 'not enabled' : '';
    return (
      `<tr${cls}><td>${escapeMarkup(kind)}</td><td class="num">${escapeMarkup(enabledRuns)}</td>` +
      `<td class="num">${escapeMarkup(fired)}</td><td>${note}</td></tr>`
    );
  });
  const header = '<thead><tr><th>fault</th><th>runs enabled</th><th>times fired</th><th></th></tr></thead>';
  return `${head}<table class="faults">${header}<tbody>${rows.join('')}</tbody></table></section>`;
}

function notCheckedSection(summary: CampaignSummary): string {
  const properties = Object.keys(summary.notChecked ?? {}).sort();
  const head = '<section id="not-checked"><h2>Properties not checked</h2>';
  if (properties.length === 0) return `${head}<p>Every property was checked in every run.</p></section>`;
  const items = properties.map(
    (property) =>
      `<li><code>${escapeMarkup(property)}</code>: the transport does not report ` +
      `${escapeMarkup(summary.notChecked![property]!.join(', '))}</li>`,
  );
  return `${head}<ul class="not-checked">${items.join('')}</ul></section>`;
}
