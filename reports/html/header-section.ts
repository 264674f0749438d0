/**
 * The top of the report: what ran (scenario, seed, version and defects), the verdict badge, the
 * trace hash and how often each fault fired. Wall time is left out on purpose: it is the one
 * nondeterministic figure, and two reports of the same seed should be byte-identical.
 */
import type { RunResult } from '../../sim/index.ts';
import { escapeMarkup } from '../escape-markup.ts';
import { formatSeconds } from '../format-time.ts';
import { faultCountRows } from '../run-header.ts';

/** A labelled line of plain text the caller adds to the header. */
export type HeaderFact = readonly [label: string, text: string];

export function headerSection(result: RunResult, extra: readonly HeaderFact[] = []): string {
  const defects =
    result.version.defects.length > 0
      ? result.version.defects.map((d) => `<code>${escapeMarkup(d)}</code>`).join(' ')
      : 'none';
  const facts: [string, string][] = [
    ['seed', escapeMarkup(result.seed)],
    ['version', `${escapeMarkup(result.version.name)} (send path ${escapeMarkup(result.version.sendPath)})`],
    ['defects', defects],
    ['trace hash', `<code>${escapeMarkup(result.traceHash)}</code>`],
    ['scenario hash', `<code>${escapeMarkup(result.scenarioHash)}</code>`],
    ['virtual time', escapeMarkup(formatSeconds(result.virtualMs))],
    ['steps', escapeMarkup(result.steps)],
    ['trace entries', escapeMarkup(result.trace.length)],
  ];
  if (result.harnessError)
    facts.push(['harness error', `<span class="error">${escapeMarkup(result.harnessError)}</span>`]);
  for (const [label, text] of extra) facts.push([escapeMarkup(label), escapeMarkup(text)]);
  return [
    '<header>',
    `<h1>ssesim run: ${escapeMarkup(result.scenario.name)} ` +
      `<span class="badge verdict-${escapeMarkup(result.verdict)}" id="verdict">` +
      `${escapeMarkup(result.verdict)}</span></h1>`,
    '<div class="header-grid">',
    `<table class="facts">${facts.map(([k, v]) => factRow(k, v)).join('')}</table>`,
    faultTable(result),
    '</div>',
    `<details><summary>scenario</summary>` +
      `<pre class="scenario">${escapeMarkup(JSON.stringify(result.scenario, null, 2))}</pre></details>`,
    '</header>',
  ].join('\n');
}

function faultTable(result: RunResult): string {
  const rows = faultCountRows(result);
  if (rows.length === 0) return '<p class="faults">No faults enabled.</p>';
  const body = rows.map((row) => {
    const unfired = row.enabled && row.fired === 0 && !row.notApplicable;
    const cls = unfired ? ' class="never-fired"' : row.fired > 0 ? ' class="fired"' : '';
    const note = row.notApplicable
      ? escapeMarkup(`not applicable: the server lacks ${row.notApplicable.join(', ')}`)
      : row.enabled
        ? row.fired === 0
          ? 'enabled, never fired'
          : 'enabled'
        : 'not enabled';
    const fired = `<td class="num">${escapeMarkup(row.fired)}</td>`;
    return `<tr${cls}><td>${escapeMarkup(row.kind)}</td>${fired}<td>${note}</td></tr>`;
  });
  const head = '<thead><tr><th>fault</th><th>fired</th><th></th></tr></thead>';
  return `<table class="faults">${head}<tbody>${body.join('')}</tbody></table>`;
}

/** `value` is markup already: each fact escapes its own parts. */
function factRow(key: string, value: string): string {
  return `<tr><th>${escapeMarkup(key)}</th><td>${value}</td></tr>`;
}
