/**
 * The vertical time scale the message diagram and the actor lanes share: time flows down, and the
 * distance between two moments grows with the time between them, fast for short gaps and slowly
 * (logarithmically) for long ones. Busy stretches keep their detail (messages 10 ms apart sit at
 * least MIN_PX_PER_10MS apart) while an idle heal phase of a minute takes a few lines, not the page.
 * Gaps over IDLE_BREAK_MS are drawn with a break marker, so nobody reads distance as duration there.
 */
import { round1 } from './time-axis.ts';

/** Pixels per millisecond up to LINEAR_GAP_MS: 10 ms is 8.5 px, a margin over the 8 px promised. */
const PX_PER_MS = 0.85;
const LINEAR_GAP_MS = 20;
/** Pixels per doubling of a gap past LINEAR_GAP_MS. */
const PX_PER_DOUBLING = 7;
export const IDLE_BREAK_MS = 1000;
/** The promise the scale keeps, and tests measure: two moments 10 ms apart are at least this far apart. */
export const MIN_PX_PER_10MS = 8;

export interface TimeBreak {
  startMs: number;
  endMs: number;
  /** The break marker's line, halfway down the gap. */
  y: number;
}

export interface TimeScale {
  /** Pixel y of a virtual time. */
  y(ms: number): number;
  top: number;
  bottom: number;
  breaks: TimeBreak[];
  /** Times worth a label on the axis: the first, then each at least LABEL_GAP_PX below the last. */
  labels: number[];
}

const LABEL_GAP_PX = 36;

/**
 * Pixels for a gap of `gapMs`. Linear, then logarithmic with a smaller slope where they meet, so
 * the function is concave with gapPx(0) = 0: splitting a gap never shrinks it, and any two moments
 * 10 ms apart are gapPx(10) or more apart, whatever happened between them.
 */
export function gapPx(gapMs: number): number {
  if (gapMs <= LINEAR_GAP_MS) return gapMs * PX_PER_MS;
  return LINEAR_GAP_MS * PX_PER_MS + PX_PER_DOUBLING * Math.log2(gapMs / LINEAR_GAP_MS);
}

/** A scale through the given moments (any order, repeats allowed), from `top` down, ending at `endMs`. */
export function timeScale(momentsMs: readonly number[], top: number, endMs: number): TimeScale {
  const times = [...new Set([0, ...momentsMs, endMs])].sort((a, b) => a - b);
  const ys: number[] = [];
  const breaks: TimeBreak[] = [];
  let y = top;
  times.forEach((ms, i) => {
    if (i > 0) {
      const gapMs = ms - times[i - 1]!;
      y += gapPx(gapMs);
      if (gapMs > IDLE_BREAK_MS) breaks.push({ startMs: times[i - 1]!, endMs: ms, y: round1(y - gapPx(gapMs) / 2) });
    }
    ys.push(y);
  });
  const yOf = (ms: number): number => round1(interpolate(times, ys, ms));
  const labels: number[] = [];
  for (const ms of times) if (labels.length === 0 || yOf(ms) - yOf(labels.at(-1)!) >= LABEL_GAP_PX) labels.push(ms);
  return { y: yOf, top, bottom: round1(y), breaks, labels };
}

/** y at `ms`: exact at a known moment, linear between two, past the last by the gap rule. */
function interpolate(times: readonly number[], ys: readonly number[], ms: number): number {
  let low = 0;
  let high = times.length - 1;
  if (ms >= times[high]!) return ys[high]! + gapPx(ms - times[high]!);
  if (ms <= times[0]!) return ys[0]!;
  while (high - low > 1) {
    const mid = (low + high) >> 1;
    if (times[mid]! <= ms) low = mid;
    else high = mid;
  }
  const span = times[high]! - times[low]!;
  return ys[low]! + ((ys[high]! - ys[low]!) * (ms - times[low]!)) / span;
}
