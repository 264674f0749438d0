/**
 * The top of the report: what to do next. Which finding this is among the campaign's (k of N,
 * its signature and culprit), where its repro is, and the command that replays it, both from an
 * installed package and from a clone. The report cannot know any of this from the run alone, so
 * the caller passes it as data; without it the block says what is missing rather than guess.
 */
import type { RunResult } from '../../sim/index.ts';
import { reproCommand, shellWord } from '../../sim/files/index.ts';
import { escapeMarkup } from '../escape-markup.ts';

export interface NextStep {
  /** This report's finding among the campaign's, 1-based, with what the campaign learned about it. */
  finding?: { k: number; n: number; signature: string; culprit: string; faultsNeeded: string };
  /** The repro file the report shows, as a user types it from where they ran the command. */
  reproPath?: string;
  /** The transport module the repro was recorded on, when not the bundled one. */
  transportPath?: string;
  /** The campaign's index page, relative to this report. */
  indexHref?: string;
  /** The campaign's other findings, each a label and its report relative to this one. */
  others?: { label: string; href: string }[];
}

/** `npx ssesim replay <repro>` for an installed package and `npm run sim -- replay <repro>` in a clone. */
export function replayCommands(reproPath: string, transportPath?: string): { installed: string; clone: string } {
  const installed = reproCommand(reproPath, transportPath ? { path: transportPath } : undefined);
  return { installed, clone: installed.replace(/^npx ssesim /, 'npm run sim -- ') };
}

export function nextStepSection(result: RunResult, step: NextStep): string {
  const parts = ['<section id="next-step" class="next-step">', '<h2>Next step</h2>'];
  const { finding } = step;
  if (finding) {
    parts.push(
      `<p class="finding-k">Finding <b>${escapeMarkup(finding.k)}</b> of <b>${escapeMarkup(finding.n)}</b>: ` +
        `<code>${escapeMarkup(finding.signature)}</code></p>`,
      '<table class="facts">' +
        factRow('culprit', escapeMarkup(finding.culprit)) +
        factRow('faults needed', escapeMarkup(finding.faultsNeeded)) +
        '</table>',
    );
  }
  if (step.reproPath !== undefined) parts.push(...replayBlock(step.reproPath, step.transportPath));
  else if (result.verdict === 'passed') parts.push('<p>This run passed: there is nothing to replay.</p>');
  else
    parts.push(
      '<p class="note">No repro file was named to this report. <code>ssesim run --out DIR</code> and ' +
        '<code>ssesim fuzz --out DIR</code> write one and print its path; replay it with ' +
        '<code>npx ssesim replay &lt;repro.json&gt;</code>.</p>',
    );
  const links = [
    ...(step.indexHref === undefined ? [] : [`<a href="${escapeMarkup(step.indexHref)}">all findings</a>`]),
    ...(step.others ?? []).map((other) => `<a href="${escapeMarkup(other.href)}">${escapeMarkup(other.label)}</a>`),
  ];
  if (links.length > 0) parts.push(`<p class="other-findings">Campaign: ${links.join(' · ')}</p>`);
  parts.push('</section>');
  return parts.join('\n');
}

function replayBlock(reproPath: string, transportPath: string | undefined): string[] {
  const commands = replayCommands(reproPath, transportPath);
  const shrink = `npx ssesim shrink ${shellWord(reproPath)}`;
  return [
    `<p>Repro: <code class="repro-path">${escapeMarkup(reproPath)}</code>. ` +
      'Replay it: the same trace, so the same failure until the code changes.</p>',
    '<div class="commands">',
    `<pre class="command" id="replay-command">${escapeMarkup(commands.installed)}</pre>` +
      '<span class="where">with ssesim installed</span>',
    `<pre class="command">${escapeMarkup(commands.clone)}</pre><span class="where">in a clone of ssesim</span>`,
    '</div>',
    '<p class="then">Then: fix and replay until it passes, or make it smaller with ' +
      `<code>${escapeMarkup(shrink)}</code>.</p>`,
  ];
}

function factRow(key: string, value: string): string {
  return `<tr><th>${escapeMarkup(key)}</th><td>${value}</td></tr>`;
}
