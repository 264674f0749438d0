/**
 * The explained violations: for each, the property, its one-line message, the identifying
 * fields and the trace entries it cites as evidence, each linked to its timeline row.
 */
import type { RunResult } from '../../sim/index.ts';
import type { Violation } from '../../model/index.ts';
import type { TraceEntry } from '../../sim/core/index.ts';
import { escapeMarkup } from '../escape-markup.ts';
import { detailsText, isFaultEntry, truncate } from '../entry-text.ts';
import { formatSeconds } from '../format-time.ts';

export function violationsSection(result: RunResult): string {
  if (result.violations.length === 0) {
    return (
      '<section id="violations"><h2>Violations</h2>' +
      `<p class="ok">No violations (verdict ${escapeMarkup(result.verdict)}).</p></section>`
    );
  }
  const byIndex = new Map(result.trace.map((entry) => [entry.index, entry]));
  const items = result.violations.map((v, i) => violationHtml(v, i, byIndex));
  return `<section id="violations"><h2>Violations (${result.violations.length})</h2>\n${items.join('\n')}\n</section>`;
}

function violationHtml(v: Violation, i: number, byIndex: Map<number, TraceEntry>): string {
  const subject = Object.keys(v.subject)
    .sort()
    .map((key) => `<code>${escapeMarkup(key)}=${escapeMarkup(v.subject[key])}</code>`)
    .join(' ');
  const evidence = v.evidence.map((index) => {
    const entry = byIndex.get(index);
    if (!entry) return `<li>#${escapeMarkup(index)} (not in the trace)</li>`;
    const cls = isFaultEntry(entry) ? ' class="fault"' : '';
    const text = `${formatSeconds(entry.t)} ${entry.actor} ${entry.kind} ${truncate(detailsText(entry.details), 300)}`;
    return `<li${cls}><a href="#e-${escapeMarkup(index)}">#${escapeMarkup(index)}</a> ${escapeMarkup(text)}</li>`;
  });
  return [
    `<article class="violation" id="violation-${i + 1}">`,
    `<h3><span class="property">${escapeMarkup(v.property)}</span></h3>`,
    `<p class="message">${escapeMarkup(v.message)}</p>`,
    subject ? `<p class="subject">${subject}</p>` : '',
    `<ol class="evidence">${evidence.join('')}</ol>`,
    '</article>',
  ].join('\n');
}
