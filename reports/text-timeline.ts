/**
 * A plain-text timeline of a run for terminals and CI logs: one line per notable trace entry,
 * faults marked `!!` and violation evidence `**`, then each violation explained with the entries
 * it cites. A pure function of the result, so two renders of one run are byte-identical.
 */
import type { RunResult } from '../sim/index.ts';
import type { TraceEntry } from '../sim/core/index.ts';
import { detailsText, isFaultEntry, truncate } from './entry-text.ts';
import { formatSeconds, formatTimeColumn } from './format-time.ts';
import { evidenceIndexes, notableEntries } from './notable-entries.ts';
import { faultCountRows, versionLabel } from './run-header.ts';

export interface TextTimelineOptions {
  /** Lines are cut to this many characters (default 160). */
  width?: number;
  /** ANSI colours: faults red, evidence yellow (default false). */
  color?: boolean;
  /** At most this many timeline lines (default unlimited); the rest is counted in a note. */
  maxLines?: number;
}

const ANSI = { red: '\u001b[31m', yellow: '\u001b[33m', bold: '\u001b[1m', reset: '\u001b[0m' };

interface LineContext {
  cited: Set<number>;
  actorWidth: number;
  maxMs: number;
  width: number;
  color: boolean;
}

export function renderTextTimeline(result: RunResult, options: TextTimelineOptions = {}): string {
  const entries = notableEntries(result.trace, result.violations);
  const context: LineContext = {
    cited: evidenceIndexes(result.violations),
    actorWidth: Math.max(6, ...entries.map((e) => e.actor.length)),
    maxMs: Math.max(result.virtualMs, result.trace.at(-1)?.t ?? 0),
    width: options.width ?? 160,
    color: options.color ?? false,
  };
  const maxLines = options.maxLines ?? Number.POSITIVE_INFINITY;
  const shown = entries.slice(0, maxLines);
  const lines = [...headerLines(result, entries.length), ''];
  for (const entry of shown) lines.push(entryLine(entry, context));
  if (shown.length < entries.length) {
    lines.push(`... ${entries.length - shown.length} more entries not shown (maxLines ${maxLines})`);
  }
  lines.push('', ...violationLines(result, context));
  return `${lines.join('\n')}\n`;
}

function headerLines(result: RunResult, notableCount: number): string[] {
  const faults = faultCountRows(result).map((row) =>
    row.notApplicable
      ? `${row.kind}=not-applicable(needs ${row.notApplicable.join(',')})`
      : `${row.kind}=${row.fired}${row.enabled ? '' : '(not enabled)'}`,
  );
  return [
    `run ${result.scenario.name}  seed=${result.seed}  version=${versionLabel(result)}`,
    `verdict ${result.verdict.toUpperCase()}  virtual ${formatSeconds(result.virtualMs)}  steps ${result.steps}`,
    `trace ${result.trace.length} entries (${notableCount} notable)  hash ${result.traceHash}`,
    `faults fired: ${faults.length > 0 ? faults.join(' ') : 'none enabled'}`,
    ...(result.harnessError ? [`harness error: ${result.harnessError}`] : []),
  ];
}

function entryLine(entry: TraceEntry, context: LineContext): string {
  const fault = isFaultEntry(entry);
  const cited = context.cited.has(entry.index);
  const mark = fault ? '!!' : cited ? '**' : '  ';
  const actor = entry.actor.padEnd(context.actorWidth);
  const head = `${mark} ${formatTimeColumn(entry.t, context.maxMs)}  ${actor}  ${entry.kind}`;
  const details = detailsText(entry.details);
  const line = truncate(details ? `${head}  ${details}` : head, context.width);
  if (!context.color || (!fault && !cited)) return line;
  return `${fault ? ANSI.red : ANSI.yellow}${line}${ANSI.reset}`;
}

function violationLines(result: RunResult, context: LineContext): string[] {
  if (result.violations.length === 0) return [`no violations (verdict ${result.verdict})`];
  const byIndex = new Map(result.trace.map((entry) => [entry.index, entry]));
  const lines = [`violations (${result.violations.length})`];
  // Evidence lines are indented, so they get three characters less to stay within the width.
  const indented = { ...context, width: context.width - 3 };
  result.violations.forEach((v, i) => {
    const title = `${i + 1}. ${v.property}: ${v.message}`;
    lines.push(context.color ? `${ANSI.bold}${title}${ANSI.reset}` : title);
    for (const index of v.evidence) {
      const entry = byIndex.get(index);
      lines.push(entry ? `   ${entryLine(entry, indented)}` : `   #${index} (not in trace)`);
    }
  });
  return lines;
}
