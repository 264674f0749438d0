/** One readable line per side of the first point where two traces differ. */
import type { Divergence, TraceEntry } from '../sim/core/index.ts';
import { lineOf } from '../sim/core/index.ts';

/** An entry longer than this is cut: the first difference is usually near its start. */
const MAX_ENTRY_CHARS = 400;

function entryText(entry: TraceEntry | null): string {
  if (entry === null) return '(no entry: the trace ended)';
  const text = lineOf(entry);
  return text.length > MAX_ENTRY_CHARS ? `${text.slice(0, MAX_ENTRY_CHARS - 3)}...` : text;
}

export function divergenceLines(divergence: Divergence, leftName: string, rightName: string): string[] {
  const width = Math.max(leftName.length, rightName.length);
  return [
    `first divergence at trace index ${divergence.index}:`,
    `  ${leftName.padEnd(width)}  ${entryText(divergence.left)}`,
    `  ${rightName.padEnd(width)}  ${entryText(divergence.right)}`,
  ];
}
