/**
 * A spacetime diagram of the traffic between the clients and the server: a lane for the server
 * and for each client, time to the right, an arrow per POST (client to server), response and
 * frame (server to client). Lost messages end halfway, dashed. Arrows link to timeline rows.
 */
import type { RunResult } from '../../sim/index.ts';
import { escapeMarkup } from '../escape-markup.ts';
import { formatSeconds } from '../format-time.ts';
import { networkMessages, type NetMessage } from '../network-messages.ts';
import { naturalCompare } from './plot-series.ts';
import { round1, timeAxis, timeGridSvg } from './time-axis.ts';

const MAX_ARROWS = 4000;

const LANE_GAP = 70;
const LEFT = 90;
const TOP = 16;
/** Horizontal resolution: wide enough that a typical latency shows as a slant, not a line. */
const PX_PER_MS = 0.05;

export function spacetimeSvg(result: RunResult, linked: Set<number>): string {
  const all = networkMessages(result.trace);
  const messages = all.slice(0, MAX_ARROWS);
  const clients = [...new Set(all.map((m) => m.client))].sort(naturalCompare);
  const laneY = new Map(['server', ...clients].map((lane, i) => [lane, TOP + i * LANE_GAP]));
  const endMs = Math.max(result.virtualMs, result.trace.at(-1)?.t ?? 0);
  const width = Math.round(Math.min(12000, Math.max(1300, endMs * PX_PER_MS)));
  const axis = timeAxis(endMs, LEFT, width - 20);
  const bottom = TOP + clients.length * LANE_GAP;
  const parts = [
    `<svg class="spacetime" xmlns="http://www.w3.org/2000/svg" ` +
      `width="${width}" height="${bottom + 30}" viewBox="0 0 ${width} ${bottom + 30}">`,
    '<defs>',
    ...['post', 'response', 'frame'].map(
      (d) =>
        `<marker id="head-${d}" class="head-${d}" viewBox="0 0 10 10" refX="10" refY="5" ` +
        `markerWidth="6" markerHeight="6" orient="auto-start-reverse"><path d="M0,0 L10,5 L0,10 z"/></marker>`,
    ),
    '</defs>',
    timeGridSvg(axis, TOP, bottom, Math.max(10, Math.round(width / 130))),
    ...[...laneY].map(
      ([lane, y]) =>
        `<line class="lane" x1="${LEFT}" y1="${y}" x2="${axis.right}" y2="${y}"/>` +
        `<text class="lane-label" x="${LEFT - 8}" y="${y + 4}" text-anchor="end">${escapeMarkup(lane)}</text>`,
    ),
    ...messages.map((m) => arrowSvg(m, axis.x, laneY, linked)),
    '</svg>',
  ];
  const notes: string[] = [];
  if (all.length === 0)
    notes.push('<p class="note">No network entries (kinds starting with <code>net.</code>) in this trace.</p>');
  if (all.length > messages.length)
    notes.push(
      `<p class="note">Showing the first ${messages.length} of ${all.length} messages (cap ${MAX_ARROWS}).</p>`,
    );
  return `${notes.join('')}<div class="scroll">${parts.join('\n')}</div>`;
}

function arrowSvg(m: NetMessage, x: (ms: number) => number, laneY: Map<string, number>, linked: Set<number>): string {
  const clientY = laneY.get(m.client)!;
  const serverY = laneY.get('server')!;
  const [fromY, toY] = m.direction === 'post' ? [clientY, serverY] : [serverY, clientY];
  const x1 = x(m.sentMs);
  let x2 = x(m.arrivedMs);
  let y2 = toY;
  if (m.lost) {
    x2 = round1((x1 + x2) / 2);
    y2 = round1((fromY + toY) / 2);
  }
  const title = `#${m.index} ${formatSeconds(m.sentMs)} ${m.client} ${m.label}${m.lost ? ' (lost)' : ''}`;
  const line =
    `<line class="arrow arrow-${m.direction}${m.lost ? ' arrow-lost' : ''}" ` +
    `x1="${x1}" y1="${fromY}" x2="${x2}" y2="${y2}"${m.lost ? '' : ` marker-end="url(#head-${m.direction})"`}>` +
    `<title>${escapeMarkup(title)}</title></line>`;
  return linked.has(m.index) ? `<a href="#e-${escapeMarkup(m.index)}">${line}</a>` : line;
}
