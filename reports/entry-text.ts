/**
 * How a trace entry reads in one line: its details as `key=value` pairs, values that are plain
 * words unquoted, nested values as compact JSON. Keys keep the trace's (sorted) order so the
 * text is a pure function of the entry.
 */
import type { TraceEntry } from '../sim/core/index.ts';

/** Details that repeat what the line already shows or only add noise. */
const HIDDEN_KEYS = new Set(['level']);

export function detailsText(details: Record<string, unknown>): string {
  const parts: string[] = [];
  for (const key of Object.keys(details)) {
    if (HIDDEN_KEYS.has(key)) continue;
    parts.push(`${key}=${valueText(details[key])}`);
  }
  return parts.join(' ');
}

function valueText(value: unknown): string {
  if (typeof value === 'string') return /^[\w.:/@+-]+$/.test(value) ? value : JSON.stringify(value);
  if (value === undefined) return 'undefined';
  return JSON.stringify(value) ?? String(value);
}

export function isFaultEntry(entry: TraceEntry): boolean {
  return entry.kind.startsWith('fault.') || entry.actor === 'faults';
}

/** Cuts text to `max` characters, marking the cut, so one huge payload cannot swamp a report. */
export function truncate(text: string, max: number): string {
  if (text.length <= max) return text;
  return max <= 1 ? text.slice(0, max) : `${text.slice(0, max - 1)}…`;
}
