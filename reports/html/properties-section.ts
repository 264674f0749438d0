/**
 * The report's table of properties: each one passed, violated, or not checked with the
 * observations the transport did not report, so a passed verdict never hides what went unchecked.
 */
import type { RunResult } from '../../sim/index.ts';
import { escapeMarkup } from '../escape-markup.ts';
import { propertyResultText, propertyRows } from '../property-results.ts';

export function propertiesSection(result: RunResult): string {
  const rows = propertyRows(result.properties);
  const head = '<section id="properties"><h2>Properties</h2>';
  if (rows.length === 0) return `${head}<p class="note">This result records no per-property outcome.</p></section>`;
  const body = rows.map(({ id, result: outcome }) => {
    const status = escapeMarkup(outcome.status);
    const text = escapeMarkup(propertyResultText(outcome));
    return `<tr class="property-${status}"><td><code>${escapeMarkup(id)}</code></td><td>${text}</td></tr>`;
  });
  const unchecked = rows.filter(({ result: outcome }) => outcome.status !== 'passed' && outcome.status !== 'violated');
  const note =
    unchecked.length === 0
      ? ''
      : `<p class="note">Not checked: ${unchecked.length} of ${rows.length}; the verdict does not cover them.</p>`;
  const header = '<thead><tr><th>property</th><th>result</th></tr></thead>';
  const table = `<table class="properties">${header}<tbody>${body.join('')}</tbody></table>`;
  return [head, note, table, '</section>'].join('\n');
}
