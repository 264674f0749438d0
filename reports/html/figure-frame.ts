/**
 * The frame the message diagram and the actor lanes are both drawn in: one vertical time scale
 * through every moment either draws, the phases, where each violation happened, and the backdrop
 * (phase bands, idle breaks, violation lines, time labels) each drawing puts behind its marks.
 */
import type { RunResult } from '../../sim/index.ts';
import type { TraceEntry } from '../../sim/core/index.ts';
import { escapeMarkup } from '../escape-markup.ts';
import { formatSeconds } from '../format-time.ts';
import type { NetMessage } from '../network-messages.ts';
import { phaseSpans, type PhaseSpan } from '../phase-spans.ts';
import { timeScale, type TimeScale } from './time-scale.ts';

/** Entries a violation cites (drawn to stand out) and entries with a timeline row (drawn as links). */
export interface Marked {
  cited: Set<number>;
  linked: Set<number>;
}

/** The shared frame both drawings are placed in. */
export interface FigureFrame {
  scale: TimeScale;
  phases: PhaseSpan[];
  /** Where each violation happened: the time of the last entry it cites. */
  violations: { label: string; ms: number }[];
  height: number;
}

const FIGURE_TOP = 8;
const FIGURE_BOTTOM_PAD = 24;
export const GUTTER_WIDTH = 64;

export function figureFrame(
  result: RunResult,
  messages: readonly NetMessage[],
  marks: readonly TraceEntry[],
): FigureFrame {
  const endMs = Math.max(result.virtualMs, result.trace.at(-1)?.t ?? 0);
  const phases = phaseSpans(result);
  const moments = [
    ...marks.map((entry) => entry.t),
    ...messages.flatMap((m) => [m.sentMs, m.arrivedMs]),
    ...phases.map((span) => span.startMs),
  ];
  const scale = timeScale(moments, FIGURE_TOP, endMs);
  const timeOf = new Map(result.trace.map((entry) => [entry.index, entry.t]));
  const violations = result.violations.map((v, i) => ({
    label: `violation ${i + 1}: ${v.property}`,
    ms: Math.max(0, ...v.evidence.map((index) => timeOf.get(index) ?? 0)),
  }));
  return { scale, phases, violations, height: Math.ceil(scale.bottom + FIGURE_BOTTOM_PAD) };
}

/** Phases, breaks, violation lines and (with a gutter) time labels: the same in both drawings. */
export function backdropSvg(frame: FigureFrame, left: number, right: number, gutter: boolean): string {
  const { scale } = frame;
  const parts = frame.phases.map(
    (span) =>
      `<rect class="phase phase-${escapeMarkup(span.phase)}" x="${left}" y="${scale.y(span.startMs)}" ` +
      `width="${right - left}" height="${Math.max(0, scale.y(span.endMs) - scale.y(span.startMs))}">` +
      `<title>${escapeMarkup(span.phase)} phase</title></rect>`,
  );
  if (gutter)
    for (const ms of scale.labels) {
      const y = scale.y(ms);
      parts.push(
        `<line class="grid" x1="${left}" y1="${y}" x2="${right}" y2="${y}"/>` +
          `<text class="tick" x="${left - 6}" y="${y + 3}" text-anchor="end">${escapeMarkup(formatSeconds(ms))}</text>`,
      );
    }
  for (const gap of scale.breaks) {
    parts.push(`<path class="break" d="${zigzag(left, right, gap.y)}"><title>${breakText(gap)}</title></path>`);
    if (gutter) parts.push(`<text class="break-label" x="${left + 4}" y="${gap.y - 5}">${breakText(gap)}</text>`);
  }
  // Violations at nearly the same moment stack their labels rather than print over each other.
  let labelY = -Infinity;
  for (const v of [...frame.violations].sort((a, b) => a.ms - b.ms)) {
    const y = scale.y(v.ms);
    parts.push(
      `<line class="violation-line" x1="${left}" y1="${y}" x2="${right}" y2="${y}">` +
        `<title>${escapeMarkup(v.label)}</title></line>`,
    );
    labelY = Math.max(y - 4, labelY + 12);
    if (gutter)
      parts.push(`<text class="violation-label" x="${left + 4}" y="${labelY}">${escapeMarkup(v.label)}</text>`);
  }
  return parts.join('\n');
}

function breakText(gap: { startMs: number; endMs: number }): string {
  return `${formatSeconds(gap.endMs - gap.startMs)} with nothing drawn (not to scale)`;
}

/** A flat zigzag across the drawing: the conventional mark for an axis that skips. */
function zigzag(left: number, right: number, y: number): string {
  const points = [`M${left},${y}`];
  for (let x = left + 6, up = true; x <= right; x += 6, up = !up) points.push(`L${x},${y + (up ? -3 : 3)}`);
  return points.join(' ');
}

/** The label row above a drawing: column names at their x, in an SVG as wide as the drawing. */
export function columnHeadSvg(cssClass: string, width: number, columns: [name: string, x: number][]): string {
  const labels = columns.map(
    ([name, x]) => `<text class="lane-label" x="${x}" y="16" text-anchor="middle">${escapeMarkup(name)}</text>`,
  );
  return (
    `<svg class="${cssClass}-head" xmlns="http://www.w3.org/2000/svg" width="${width}" height="22" ` +
    `viewBox="0 0 ${width} 22">${labels.join('')}</svg>`
  );
}
