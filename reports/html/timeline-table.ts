/**
 * The timeline as an HTML table, one row per trace entry with an anchor (`#e-<index>`) that the
 * violations and lane marks link to. Capped at MAX_TIMELINE_ROWS for large traces, with a note;
 * rows cited as evidence are kept past the cap so every evidence link resolves.
 */
import type { TraceEntry } from '../../sim/core/index.ts';
import { escapeMarkup } from '../escape-markup.ts';
import { detailsText, isFaultEntry, truncate } from '../entry-text.ts';
import { formatSeconds } from '../format-time.ts';
import { isRoutine } from '../notable-entries.ts';

export const MAX_TIMELINE_ROWS = 5000;
/** Longest details text shown in a cell; the full entry is in the trace file. */
const MAX_DETAILS_CHARS = 400;

export function timelineRows(trace: readonly TraceEntry[], cited: Set<number>): TraceEntry[] {
  return trace.filter((entry, i) => i < MAX_TIMELINE_ROWS || cited.has(entry.index));
}

export function timelineTable(trace: readonly TraceEntry[], rows: readonly TraceEntry[], cited: Set<number>): string {
  const body = rows.map((entry) => rowHtml(entry, cited)).join('\n');
  const omitted = trace.length - rows.length;
  const note =
    omitted > 0
      ? `<p class="note" id="timeline-cap">Showing ${rows.length} of ${trace.length} trace entries ` +
        `(cap ${MAX_TIMELINE_ROWS} rows, plus evidence); ${omitted} omitted.</p>`
      : '';
  return [
    note,
    '<table class="timeline" id="timeline-table">',
    '<thead><tr><th>#</th><th>t</th><th>actor</th><th>kind</th><th>details</th></tr></thead>',
    `<tbody>\n${body}\n</tbody>`,
    '</table>',
  ].join('\n');
}

function rowHtml(entry: TraceEntry, cited: Set<number>): string {
  const classes = [
    isFaultEntry(entry) ? 'fault' : '',
    cited.has(entry.index) ? 'evidence' : '',
    isRoutine(entry) ? 'routine' : '',
  ].filter(Boolean);
  const classAttr = classes.length > 0 ? ` class="${classes.join(' ')}"` : '';
  const marker = isFaultEntry(entry) ? '<span class="fault-mark">!!</span> ' : '';
  return (
    `<tr id="e-${escapeMarkup(entry.index)}"${classAttr} data-actor="${escapeMarkup(entry.actor)}">` +
    `<td>${escapeMarkup(entry.index)}</td><td>${escapeMarkup(formatSeconds(entry.t))}</td>` +
    `<td>${escapeMarkup(entry.actor)}</td>` +
    `<td>${marker}${escapeMarkup(entry.kind)}</td>` +
    `<td>${escapeMarkup(truncate(detailsText(entry.details), MAX_DETAILS_CHARS))}</td></tr>`
  );
}
