/**
 * The run drawn against one vertical time scale: the message diagram (one column per client and
 * the server, arrows between them) and beside it the actor lanes (one column per actor, a mark per
 * trace entry), both in one scroll box so they scroll together and a row of either is the same
 * moment. Behind both: the phases, the idle breaks and a line at each violation. The box opens
 * scrolled to the first violation (the page script reads `data-focus-y`).
 */
import type { RunResult } from '../../sim/index.ts';
import { networkMessages } from '../network-messages.ts';
import { spacetimeSvg } from './spacetime-svg.ts';
import { lanesSvg, markedEntries } from './lanes-svg.ts';
import { figureFrame } from './figure-frame.ts';

const MAX_ARROWS = 4000;

export function timeFigure(result: RunResult, cited: Set<number>, linked: Set<number>): string {
  const all = networkMessages(result.trace);
  const messages = all.slice(0, MAX_ARROWS);
  const marks = markedEntries(result.trace, cited);
  const frame = figureFrame(result, messages, marks);
  const spacetime = spacetimeSvg(result, frame, messages, { cited, linked });
  const lanes = lanesSvg(result, frame, marks, { cited, linked });
  const focusMs = frame.violations[0]?.ms;
  const focus = focusMs === undefined ? '' : ` data-focus-y="${frame.scale.y(focusMs)}"`;
  const notes: string[] = [];
  if (all.length === 0)
    notes.push('<p class="note">No network entries (kinds starting with <code>net.</code>) in this trace.</p>');
  if (all.length > messages.length)
    notes.push(
      `<p class="note">Showing the first ${messages.length} of ${all.length} messages (cap ${MAX_ARROWS}).</p>`,
    );
  if (marks.length < result.trace.length)
    notes.push(
      `<p class="note">${result.trace.length - marks.length} of ${result.trace.length} entries not marked ` +
        `in the lanes; faults and evidence always are.</p>`,
    );
  return [
    ...notes,
    '<div class="figure">',
    `<div class="figure-row figure-heads">${spacetime.head}${lanes.head}</div>`,
    `<div class="figure-scroll" id="figure-scroll"${focus}>`,
    `<div class="figure-row">${spacetime.body}\n${lanes.body}</div>`,
    '</div>',
    '</div>',
  ].join('\n');
}
