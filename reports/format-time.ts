/** Virtual time as reports print it: seconds with millisecond precision, fixed width per run. */

export function formatSeconds(ms: number): string {
  return `${(ms / 1000).toFixed(3)}s`;
}

/** `t=12.345s`, left-padded so a column of times lines up for runs up to `maxMs`. */
export function formatTimeColumn(ms: number, maxMs: number): string {
  const width = formatSeconds(Math.max(maxMs, 0)).length;
  return `t=${formatSeconds(ms).padStart(width)}`;
}
