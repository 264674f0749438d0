/**
 * The run at a glance: a horizontal lane per actor, a mark per trace entry, faults in red,
 * violation evidence ringed, the chaos and heal phases shaded behind. Each mark links to its
 * row in the timeline table. Marks beyond the cap are left out (faults and evidence never).
 */
import type { RunResult } from '../../sim/index.ts';
import type { TraceEntry } from '../../sim/core/index.ts';
import { escapeMarkup } from '../escape-markup.ts';
import { orderedActors } from '../actor-lanes.ts';
import { detailsText, isFaultEntry, truncate } from '../entry-text.ts';
import { formatSeconds } from '../format-time.ts';
import { phaseSpans } from '../phase-spans.ts';
import { timeAxis, timeGridSvg } from './time-axis.ts';

const MAX_LANE_MARKS = 8000;

const LANE_HEIGHT = 22;
const LEFT = 90;
const TOP = 10;

export function lanesSvg(result: RunResult, cited: Set<number>, linked: Set<number>, width = 1300): string {
  const actors = orderedActors(result.trace);
  const laneOf = new Map(actors.map((actor, i) => [actor, i]));
  const endMs = Math.max(result.virtualMs, result.trace.at(-1)?.t ?? 0);
  const axis = timeAxis(endMs, LEFT, width - 20);
  const bottom = TOP + actors.length * LANE_HEIGHT;
  const marks = markedEntries(result.trace, cited);
  const parts = [
    `<svg class="lanes" xmlns="http://www.w3.org/2000/svg" ` +
      `width="${width}" height="${bottom + 24}" viewBox="0 0 ${width} ${bottom + 24}">`,
    ...phaseSpans(result).map(
      (span) =>
        `<rect class="phase phase-${escapeMarkup(span.phase)}" x="${axis.x(span.startMs)}" y="${TOP}" ` +
        `width="${Math.max(0, axis.x(span.endMs) - axis.x(span.startMs))}" height="${bottom - TOP}">` +
        `<title>${escapeMarkup(span.phase)} phase</title></rect>`,
    ),
    timeGridSvg(axis, TOP, bottom),
    ...actors.map((actor, i) => {
      const y = TOP + i * LANE_HEIGHT + LANE_HEIGHT / 2;
      return (
        `<line class="lane" x1="${LEFT}" y1="${y}" x2="${axis.right}" y2="${y}"/>` +
        `<text class="lane-label" x="${LEFT - 8}" y="${y + 4}" text-anchor="end">${escapeMarkup(actor)}</text>`
      );
    }),
    ...marks.map((entry) =>
      markSvg(entry, axis.x(entry.t), TOP + laneOf.get(entry.actor)! * LANE_HEIGHT + LANE_HEIGHT / 2, cited, linked),
    ),
    '</svg>',
  ];
  const note =
    marks.length < result.trace.length
      ? `<p class="note">${result.trace.length - marks.length} of ${result.trace.length} entries not marked ` +
        `(cap ${MAX_LANE_MARKS}); faults and evidence are always marked.</p>`
      : '';
  return `<div class="scroll">${parts.join('\n')}</div>${note}`;
}

/** The first entries up to the cap, plus every fault and every cited entry after it. */
function markedEntries(trace: readonly TraceEntry[], cited: Set<number>): TraceEntry[] {
  return trace.filter((entry, i) => i < MAX_LANE_MARKS || isFaultEntry(entry) || cited.has(entry.index));
}

function markSvg(entry: TraceEntry, x: number, y: number, cited: Set<number>, linked: Set<number>): string {
  const fault = isFaultEntry(entry);
  const classes = [
    'mark',
    fault ? 'mark-fault' : '',
    cited.has(entry.index) ? 'mark-evidence' : '',
    entry.actor.startsWith('net:') ? 'mark-net' : '',
  ]
    .filter(Boolean)
    .join(' ');
  const details = truncate(detailsText(entry.details), 200);
  const title = escapeMarkup(`#${entry.index} ${formatSeconds(entry.t)} ${entry.actor} ${entry.kind} ${details}`);
  const radius = cited.has(entry.index) ? 5 : 3;
  const shape = fault
    ? `<rect class="${classes}" x="${x - 3}" y="${y - 7}" width="6" height="14"><title>${title}</title></rect>`
    : `<circle class="${classes}" cx="${x}" cy="${y}" r="${radius}"><title>${title}</title></circle>`;
  return linked.has(entry.index) ? `<a href="#e-${escapeMarkup(entry.index)}">${shape}</a>` : shape;
}
