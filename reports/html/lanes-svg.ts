/**
 * The run at a glance, beside the message diagram on the same vertical time scale: a column per
 * actor, a mark per trace entry, faults in red, violation evidence ringed. Each mark links to its
 * row in the timeline table. Marks beyond the cap are left out (faults and evidence never).
 */
import type { RunResult } from '../../sim/index.ts';
import type { TraceEntry } from '../../sim/core/index.ts';
import { escapeMarkup } from '../escape-markup.ts';
import { orderedActors } from '../actor-lanes.ts';
import { detailsText, isFaultEntry, truncate } from '../entry-text.ts';
import { formatSeconds } from '../format-time.ts';
import { backdropSvg, columnHeadSvg, type FigureFrame, type Marked } from './figure-frame.ts';

const MAX_LANE_MARKS = 8000;
const LANE_WIDTH = 46;
const LEFT = 12;

export function lanesSvg(
  result: RunResult,
  frame: FigureFrame,
  marks: readonly TraceEntry[],
  marked: Marked,
): { head: string; body: string } {
  const actors = orderedActors(result.trace);
  const laneX = new Map(actors.map((actor, i) => [actor, LEFT + i * LANE_WIDTH + LANE_WIDTH / 2]));
  const width = LEFT + actors.length * LANE_WIDTH + 12;
  const { scale } = frame;
  const parts = [
    `<svg class="lanes" xmlns="http://www.w3.org/2000/svg" ` +
      `width="${width}" height="${frame.height}" viewBox="0 0 ${width} ${frame.height}">`,
    backdropSvg(frame, LEFT, width - 6, false),
    ...[...laneX.values()].map(
      (x) => `<line class="lane" x1="${x}" y1="${scale.top}" x2="${x}" y2="${scale.bottom}"/>`,
    ),
    ...marks.map((entry) => markSvg(entry, laneX.get(entry.actor)!, scale.y(entry.t), marked)),
    '</svg>',
  ];
  return { head: columnHeadSvg('lanes', width, [...laneX]), body: parts.join('\n') };
}

/** The first entries up to the cap, plus every fault and every cited entry after it. */
export function markedEntries(trace: readonly TraceEntry[], cited: Set<number>): TraceEntry[] {
  return trace.filter((entry, i) => i < MAX_LANE_MARKS || isFaultEntry(entry) || cited.has(entry.index));
}

function markSvg(entry: TraceEntry, x: number, y: number, { cited, linked }: Marked): string {
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
    ? `<rect class="${classes}" x="${x - 7}" y="${y - 3}" width="14" height="6"><title>${title}</title></rect>`
    : `<circle class="${classes}" cx="${x}" cy="${y}" r="${radius}"><title>${title}</title></circle>`;
  return linked.has(entry.index) ? `<a href="#e-${escapeMarkup(entry.index)}">${shape}</a>` : shape;
}
