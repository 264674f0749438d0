/**
 * The horizontal time axis shared by the lanes, the spacetime diagram and the plots: virtual
 * milliseconds onto pixels, with tick marks at round numbers of seconds so charts line up.
 */

export interface TimeAxis {
  /** Pixel x of a virtual time. */
  x(ms: number): number;
  left: number;
  right: number;
  endMs: number;
}

export function timeAxis(endMs: number, left: number, right: number): TimeAxis {
  const spanMs = Math.max(endMs, 1);
  const scale = (right - left) / spanMs;
  return { x: (ms) => round1(left + ms * scale), left, right, endMs: spanMs };
}

/** A step from 1, 2 or 5 times a power of ten giving about `targetCount` ticks over `span`. */
function niceStep(span: number, targetCount: number): number {
  const raw = Math.max(span, 1e-9) / Math.max(targetCount, 1);
  const power = 10 ** Math.floor(Math.log10(raw));
  const factor = [1, 2, 5, 10].find((f) => f * power >= raw) ?? 10;
  return factor * power;
}

/** `minStep` 1 keeps counts on whole numbers: half a message is not a value anyone can have. */
export function ticks(maxValue: number, targetCount: number, minStep = 0): number[] {
  const step = Math.max(minStep, niceStep(maxValue, targetCount));
  const out: number[] = [];
  for (let value = 0; value <= maxValue + step * 1e-9; value += step) out.push(round1(value));
  return out;
}

/** Ticks and labels (seconds) along the axis, as SVG, from `top` to `bottom`. */
export function timeGridSvg(axis: TimeAxis, top: number, bottom: number, targetCount = 10): string {
  const parts: string[] = [];
  for (const ms of ticks(axis.endMs, targetCount)) {
    const x = axis.x(ms);
    parts.push(`<line class="grid" x1="${x}" y1="${top}" x2="${x}" y2="${bottom}"/>`);
    parts.push(`<text class="tick" x="${x}" y="${bottom + 12}" text-anchor="middle">${secondsLabel(ms)}</text>`);
  }
  return parts.join('');
}

function secondsLabel(ms: number): string {
  const seconds = ms / 1000;
  return `${Number.isInteger(seconds) ? seconds : Number(seconds.toFixed(3))}s`;
}

/** One decimal is finer than a pixel; fewer digits keep large SVGs small and output stable. */
export function round1(value: number): number {
  return Math.round(value * 10) / 10;
}
