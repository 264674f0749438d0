import { describe, expect, it } from 'vitest';
import { renderTextTimeline } from './text-timeline.ts';
import { sampleRun } from './testing/sample-run.ts';
import { RunFixture } from './testing/run-fixture.ts';

describe('renderTextTimeline', () => {
  it('shows notable entries with time, actor and kind, faults marked', () => {
    const text = renderTextTimeline(sampleRun());
    expect(text).toMatch(/^!! t=0\.230s {2}faults +fault\.request-lost {2}requestId=r3 client=c1$/m);
    expect(text).toMatch(/^ {3}t=0\.420s {2}server +agent\.run\.start/m);
    // Routine state changes are plotted in the HTML, not listed, unless cited as evidence.
    expect(text).not.toMatch(/t=0\.201s .*client\.queue\.length/);
    expect(text).toMatch(/^\*\* t=0\.231s .*client\.queue\.length/m);
  });

  it('explains each violation with the entries it cites', () => {
    const text = renderTextTimeline(sampleRun());
    const section = text.slice(text.indexOf('violations (1)'));
    expect(section).toContain('1. no-silent-loss: prompt "msg-1"');
    expect(section.match(/^ {3}(\*\*|!!) t=/gm)).toHaveLength(4);
  });

  it('caps the timeline at maxLines with a note, and cuts lines to width', () => {
    const text = renderTextTimeline(sampleRun(), { maxLines: 3, width: 40 });
    expect(text).toContain('more entries not shown (maxLines 3)');
    for (const line of text.split('\n')) if (/^.. t=/.test(line)) expect(line.length).toBeLessThanOrEqual(40);
  });

  it('colours faults only when asked', () => {
    expect(renderTextTimeline(sampleRun())).not.toContain('\u001b[');
    expect(renderTextTimeline(sampleRun(), { color: true })).toContain('\u001b[31m!! ');
  });

  it('says so when there is no violation', () => {
    const run = new RunFixture();
    run.record(0, 'sim', 'phase', { phase: 'chaos' }, { kind: 'phase', phase: 'chaos' });
    expect(renderTextTimeline(run.build())).toContain('no violations (verdict passed)');
  });

  it('is deterministic', () => {
    expect(renderTextTimeline(sampleRun())).toBe(renderTextTimeline(sampleRun()));
  });
});
