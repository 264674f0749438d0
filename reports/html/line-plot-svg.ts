/**
 * An SVG line plot over virtual time: one polyline per series, drawn as steps (a value holds
 * until the next change) or as straight lines, with a time grid, a value axis and a legend.
 * Points closer than a pixel are thinned to the extremes of each pixel column, so a 100k-entry
 * run yields a plot of bounded size that still shows every peak.
 */
import { escapeMarkup } from '../escape-markup.ts';
import { colorAt } from './palette.ts';
import type { Point, Series } from './plot-series.ts';
import { round1, ticks, timeAxis, timeGridSvg } from './time-axis.ts';

export interface LinePlotOptions {
  title: string;
  yLabel: string;
  series: Series[];
  endMs: number;
  step: boolean;
  width?: number;
  height?: number;
}

const MARGIN = { left: 56, right: 150, top: 28, bottom: 30 };

export function linePlotSvg(options: LinePlotOptions): string {
  const width = options.width ?? 1300;
  const height = options.height ?? 220;
  const axis = timeAxis(options.endMs, MARGIN.left, width - MARGIN.right);
  const bottom = height - MARGIN.bottom;
  const maxValue = Math.max(1, ...options.series.flatMap((s) => s.points.map((p) => p[1])));
  const y = (value: number): number => round1(bottom - (value / maxValue) * (bottom - MARGIN.top));
  const parts = [
    `<svg class="plot" xmlns="http://www.w3.org/2000/svg" width="${width}" height="${height}" ` +
      `viewBox="0 0 ${width} ${height}" role="img" aria-label="${escapeMarkup(options.title)}">`,
    `<text class="plot-title" x="${MARGIN.left}" y="16">${escapeMarkup(options.title)}</text>`,
    timeGridSvg(axis, MARGIN.top, bottom),
    ...ticks(maxValue, 4, 1).map(
      (v) =>
        `<line class="grid" x1="${axis.left}" y1="${y(v)}" x2="${axis.right}" y2="${y(v)}"/>` +
        `<text class="tick" x="${axis.left - 6}" y="${y(v) + 4}" text-anchor="end">${v}</text>`,
    ),
    `<text class="tick" x="12" y="${(MARGIN.top + bottom) / 2}" ` +
      `transform="rotate(-90 12 ${(MARGIN.top + bottom) / 2})" ` +
      `text-anchor="middle">${escapeMarkup(options.yLabel)}</text>`,
  ];
  options.series.forEach((series, i) => {
    const extended = options.step ? stepPoints(series.points, options.endMs) : series.points;
    const coords = thin(extended.map(([ms, v]): Point => [axis.x(ms), y(v)]));
    const color = colorAt(i);
    parts.push(
      `<polyline class="series" fill="none" stroke="${color}" stroke-width="1.5" ` +
        `points="${coords.map(([px, py]) => `${px},${py}`).join(' ')}">` +
        `<title>${escapeMarkup(series.name)}</title></polyline>`,
    );
    const legendY = MARGIN.top + 6 + i * 16;
    parts.push(
      `<rect x="${width - MARGIN.right + 12}" y="${legendY - 8}" width="10" height="10" fill="${color}"/>` +
        `<text class="legend" x="${width - MARGIN.right + 27}" y="${legendY + 1}">${escapeMarkup(series.name)}</text>`,
    );
  });
  if (options.series.length === 0)
    parts.push(`<text class="empty" x="${axis.left + 10}" y="${(MARGIN.top + bottom) / 2}">no data in this run</text>`);
  parts.push('</svg>');
  return parts.join('\n');
}

/** A value holds until the next change: insert the corner before each change, run to the end. */
function stepPoints(points: Point[], endMs: number): Point[] {
  const out: Point[] = [];
  for (const [ms, value] of points) {
    const previous = out.at(-1);
    if (previous) out.push([ms, previous[1]]);
    out.push([ms, value]);
  }
  const last = out.at(-1);
  if (last && last[0] < endMs) out.push([endMs, last[1]]);
  return out;
}

/** Per pixel column keeps the first, lowest, highest and last point, in their order. */
function thin(points: Point[]): Point[] {
  const out: Point[] = [];
  let column: Point[] = [];
  const flush = (): void => {
    if (column.length <= 4) out.push(...column);
    else {
      const low = column.reduce((a, b) => (b[1] > a[1] ? b : a));
      const high = column.reduce((a, b) => (b[1] < a[1] ? b : a));
      const keep = new Set([column[0]!, low, high, column.at(-1)!]);
      out.push(...column.filter((p) => keep.has(p)));
    }
    column = [];
  };
  for (const point of points) {
    if (column.length > 0 && Math.floor(point[0]) !== Math.floor(column[0]![0])) flush();
    column.push(point);
  }
  flush();
  return out;
}
