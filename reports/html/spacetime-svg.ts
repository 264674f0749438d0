/**
 * The messages between the clients and the server as a Lamport diagram: a column for the server
 * and for each client, time flowing down on the figure's shared scale, an arrow per POST, response
 * and frame, labelled with what it carries and coloured by kind. A lost message ends halfway,
 * dashed, with a cross. Faults sit on the column they hit; arrows a violation cites are drawn
 * thick. Arrows link to their timeline rows.
 */
import type { RunResult } from '../../sim/index.ts';
import { escapeMarkup } from '../escape-markup.ts';
import { formatSeconds } from '../format-time.ts';
import { isFaultEntry } from '../entry-text.ts';
import { clientOfActor } from '../actor-lanes.ts';
import type { NetMessage } from '../network-messages.ts';
import { naturalCompare } from './plot-series.ts';
import { round1 } from './time-axis.ts';
import { backdropSvg, columnHeadSvg, GUTTER_WIDTH, type FigureFrame, type Marked } from './figure-frame.ts';

const COLUMN_GAP = 140;
const FIRST_COLUMN_X = GUTTER_WIDTH + 60;
const RIGHT_PAD = 110;
/** A label closer than this to the previous one beside the same column would overprint it; its title keeps it. */
const LABEL_GAP_PX = 11;

export function spacetimeSvg(
  result: RunResult,
  frame: FigureFrame,
  messages: readonly NetMessage[],
  marked: Marked,
): { head: string; body: string } {
  const clients = [...new Set(messages.map((m) => m.client))].sort(naturalCompare);
  const columnX = new Map(['server', ...clients].map((column, i) => [column, FIRST_COLUMN_X + i * COLUMN_GAP]));
  const width = FIRST_COLUMN_X + clients.length * COLUMN_GAP + RIGHT_PAD;
  const { scale } = frame;
  const lastLabelY = new Map<string, number>();
  const parts = [
    `<svg class="spacetime" xmlns="http://www.w3.org/2000/svg" ` +
      `width="${width}" height="${frame.height}" viewBox="0 0 ${width} ${frame.height}">`,
    '<defs>',
    ...['post', 'response', 'frame', 'evidence'].map(
      (d) =>
        `<marker id="head-${d}" class="head-${d}" viewBox="0 0 10 10" refX="10" refY="5" ` +
        `markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>`,
    ),
    '</defs>',
    backdropSvg(frame, GUTTER_WIDTH, width - 10, true),
    ...[...columnX.values()].map(
      (x) => `<line class="column" x1="${x}" y1="${scale.top}" x2="${x}" y2="${scale.bottom}"/>`,
    ),
    ...messages.map((m) => arrowSvg(m, frame, columnX, marked, lastLabelY)),
    ...result.trace.filter(isFaultEntry).map((entry) => {
      const named = entry.details.client ?? entry.details.clientId;
      const client = typeof named === 'string' ? named : clientOfActor(entry.actor);
      const x = columnX.get(client ?? 'server') ?? columnX.get('server')!;
      const y = scale.y(entry.t);
      const title = escapeMarkup(`#${entry.index} ${formatSeconds(entry.t)} ${entry.kind}`);
      const shape =
        `<g class="fault-mark"><path d="${crossPath(x, y, 5)}"/>` +
        `<text x="${x - 8}" y="${y + 4}" text-anchor="end">${escapeMarkup(entry.kind.replace(/^fault\./, ''))}</text>` +
        `<title>${title}</title></g>`;
      return marked.linked.has(entry.index) ? `<a href="#e-${escapeMarkup(entry.index)}">${shape}</a>` : shape;
    }),
    '</svg>',
  ];
  return {
    head: columnHeadSvg('spacetime', width, [...columnX]),
    body: parts.join('\n'),
  };
}

function arrowSvg(
  m: NetMessage,
  frame: FigureFrame,
  columnX: Map<string, number>,
  marked: Marked,
  lastLabelY: Map<string, number>,
): string {
  const clientX = columnX.get(m.client)!;
  const serverX = columnX.get('server')!;
  const [x1, x2Full] = m.direction === 'post' ? [clientX, serverX] : [serverX, clientX];
  const y1 = frame.scale.y(m.sentMs);
  let x2 = x2Full;
  let y2 = frame.scale.y(m.arrivedMs);
  if (m.lost) {
    x2 = round1((x1 + x2) / 2);
    y2 = round1((y1 + y2) / 2 + 4);
  }
  const evidence = marked.cited.has(m.index) || (m.sentIndex !== undefined && marked.cited.has(m.sentIndex));
  const classes = ['arrow', `arrow-${m.direction}`, m.lost ? 'arrow-lost' : '', evidence ? 'arrow-evidence' : '']
    .filter(Boolean)
    .join(' ');
  const head = m.lost ? '' : ` marker-end="url(#head-${evidence ? 'evidence' : m.direction})"`;
  const title = `#${m.index} ${formatSeconds(m.sentMs)} ${m.client} ${m.label}${m.lost ? ' (lost)' : ''}`;
  const parts = [
    `<line class="${classes}" data-sent-ms="${m.sentMs}" x1="${x1}" y1="${y1}" x2="${x2}" y2="${y2}"${head}>` +
      `<title>${escapeMarkup(title)}</title></line>`,
  ];
  if (m.lost) parts.push(`<path class="lost-cross" d="${crossPath(x2, y2, 4)}"/>`);
  // Beside the receiving column, so each column's labels stack in their own lane.
  const labelY = round1(y2 - 3);
  const toX = m.lost ? x2 : x2Full;
  const towardsRight = toX > x1;
  const column = m.direction === 'post' ? 'server' : m.client;
  if (evidence || labelY - (lastLabelY.get(column) ?? -Infinity) >= LABEL_GAP_PX) {
    lastLabelY.set(column, labelY);
    const labelX = towardsRight ? toX - 8 : toX + 8;
    parts.push(
      `<text class="arrow-label arrow-label-${m.direction}" x="${labelX}" y="${labelY}" ` +
        `text-anchor="${towardsRight ? 'end' : 'start'}">${escapeMarkup(m.tag)}</text>`,
    );
  }
  const shape = parts.join('');
  return marked.linked.has(m.index) ? `<a href="#e-${escapeMarkup(m.index)}">${shape}</a>` : shape;
}

/** An X of half-width `r` centred on (x, y). */
function crossPath(x: number, y: number, r: number): string {
  return `M${x - r},${y - r} L${x + r},${y + r} M${x - r},${y + r} L${x + r},${y - r}`;
}
