/**
 * The explained violations, grouped by property and collapsed, so a run with dozens of them still
 * shows its diagrams on the first screen. Each violation gives its message, identifying fields,
 * the entries it cites (linked to their timeline rows) and its causal window: the entries of the
 * same client, session and connection before it, routine ones and faults included.
 */
import type { RunResult } from '../../sim/index.ts';
import type { Violation } from '../../model/index.ts';
import type { TraceEntry } from '../../sim/core/index.ts';
import { escapeMarkup } from '../escape-markup.ts';
import { detailsText, isFaultEntry, truncate } from '../entry-text.ts';
import { formatSeconds } from '../format-time.ts';
import { causalWindow } from '../notable-entries.ts';

export function violationsSection(result: RunResult): string {
  if (result.violations.length === 0) {
    return (
      '<section id="violations"><h2>Violations</h2>' +
      `<p class="ok">No violations (verdict ${escapeMarkup(result.verdict)}).</p></section>`
    );
  }
  const byIndex = new Map(result.trace.map((entry) => [entry.index, entry]));
  const groups = new Map<string, number[]>();
  result.violations.forEach((v, i) => groups.set(v.property, [...(groups.get(v.property) ?? []), i]));
  const items = [...groups].map(([property, positions]) => {
    const first = result.violations[positions[0]!]!;
    const count = positions.length === 1 ? '' : ` <span class="count">x${positions.length}</span>`;
    return [
      `<details class="violation-group">`,
      `<summary><span class="property">${escapeMarkup(property)}</span>${count} ` +
        `<span class="first-message">${escapeMarkup(truncate(first.message, 160))}</span></summary>`,
      ...positions.map((i) => violationHtml(result.violations[i]!, i, result.trace, byIndex)),
      '</details>',
    ].join('\n');
  });
  return (
    `<section id="violations"><h2>Violations (${result.violations.length}) of ${groups.size} ` +
    `propert${groups.size === 1 ? 'y' : 'ies'}</h2>\n${items.join('\n')}\n</section>`
  );
}

function violationHtml(
  v: Violation,
  i: number,
  trace: readonly TraceEntry[],
  byIndex: Map<number, TraceEntry>,
): string {
  const subject = Object.keys(v.subject)
    .sort()
    .map((key) => `<code>${escapeMarkup(key)}=${escapeMarkup(v.subject[key])}</code>`)
    .join(' ');
  const evidence = v.evidence.map((index) => {
    const entry = byIndex.get(index);
    if (!entry) return `<li>#${escapeMarkup(index)} (not in the trace)</li>`;
    const cls = isFaultEntry(entry) ? ' class="fault"' : '';
    const link = `<a href="#e-${escapeMarkup(index)}">#${escapeMarkup(index)}</a>`;
    return `<li${cls}>${link} ${escapeMarkup(entryLine(entry))}</li>`;
  });
  return [
    `<article class="violation" id="violation-${i + 1}">`,
    `<h3><span class="property">${escapeMarkup(v.property)}</span></h3>`,
    `<p class="message">${escapeMarkup(v.message)}</p>`,
    subject ? `<p class="subject">${subject}</p>` : '',
    `<ol class="evidence">${evidence.join('')}</ol>`,
    causalWindowHtml(trace, v),
    '</article>',
  ].join('\n');
}

function causalWindowHtml(trace: readonly TraceEntry[], v: Violation): string {
  const window = causalWindow(trace, v);
  if (window.length === 0) return '';
  const cited = new Set(v.evidence);
  const rows = window.map((entry) => {
    const cls = [isFaultEntry(entry) ? 'fault' : '', cited.has(entry.index) ? 'evidence' : ''].filter(Boolean);
    return (
      `<tr${cls.length > 0 ? ` class="${cls.join(' ')}"` : ''}>` +
      `<td><a href="#e-${escapeMarkup(entry.index)}">#${escapeMarkup(entry.index)}</a></td>` +
      `<td>${escapeMarkup(formatSeconds(entry.t))}</td><td>${escapeMarkup(entryLine(entry, false))}</td></tr>`
    );
  });
  return (
    `<div class="causal-window"><h4>Leading up to it: entries of the same client, session and connection, ` +
    `faults included</h4><table>${rows.join('')}</table></div>`
  );
}

function entryLine(entry: TraceEntry, withTime = true): string {
  const details = truncate(detailsText(entry.details), 300);
  return `${withTime ? `${formatSeconds(entry.t)} ` : ''}${entry.actor} ${entry.kind} ${details}`;
}
