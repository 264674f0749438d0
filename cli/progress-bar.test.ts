import { describe, expect, it } from 'vitest';
import type { Timers } from '../transport/index.ts';
import { ProgressBar, durationText, runsLine } from './progress-bar.ts';

/** Collects what is written, posing as a terminal or not. */
function stream(isTTY: boolean) {
  const written: string[] = [];
  return { written, stream: { isTTY, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream };
}

const SHRINK = {
  tried: 12,
  runs: 9,
  accepted: 3,
  size: { faultsFired: 2, userActions: 5, steps: 7, simSteps: 80, faultKinds: 1 },
  finding: 0,
  findings: 2,
};

describe('the campaign progress line', () => {
  it('gives elapsed time, an estimate from the rate, findings and failures with --runs', () => {
    const line = runsLine({ runs: 40, plannedRuns: 100, failures: 5, faultsFired: 81, elapsedMs: 12_000 }, 2);
    expect(line).toBe(
      '[##########..............] runs 40/100  12s elapsed, ~18s left  3.3 runs/s  ' +
        'findings 2 (failures 5)  faults fired 81',
    );
  });

  it('fills by the budget and counts it down with --time', () => {
    const line = runsLine({ runs: 7, failures: 0, faultsFired: 3, elapsedMs: 30_000 }, 0, 120_000);
    expect(line).toMatch(/^\[######\.{18}\] runs 7 {2}30s elapsed, ~1m30s left {2}0\.2 runs\/s {2}findings 0/);
  });

  it('shows the shrinking phase, finding by finding', () => {
    const tty = stream(true);
    const bar = new ProgressBar({ stream: tty.stream, results: { isTTY: true } });
    bar.update({ runs: 4, plannedRuns: 4, failures: 1, faultsFired: 2, elapsedMs: 2_000 });
    bar.shrinking(SHRINK);
    bar.clear();
    expect(tty.written.join('')).toMatch(/runs 4\/4 .*\r\x1b\[K/);
    // The shrink line waits for the redraw interval after the runs line; a later one shows.
    const late = new ProgressBar({ stream: tty.stream, results: { isTTY: true } });
    late.shrinking(SHRINK);
    const shrinkText = 'tried 12 (9 runs)  kept 3  size 2 faults, 5 user actions, 80 sim steps';
    expect(tty.written.at(-1)).toMatch(/^\r\x1b\[Kshrinking finding 1\/2: .* \d+ms elapsed$/);
    expect(tty.written.at(-1)).toContain(`finding 1/2: ${shrinkText}  `);
  });

  it('keeps redrawing the last line on a ticker until stopped, so the elapsed time moves', async () => {
    const tty = stream(true);
    let tick: (() => void) | undefined;
    let cleared = 0;
    const timers = {
      setInterval: (fn: () => void) => ((tick = fn), 1),
      clearInterval: () => (cleared += 1),
    } as unknown as Timers;
    const bar = new ProgressBar({ stream: tty.stream, results: { isTTY: true } });
    bar.start(timers);
    bar.update({ runs: 1, plannedRuns: 10, failures: 0, faultsFired: 0, elapsedMs: 5 });
    const drawn = tty.written.length;
    await new Promise((resolve) => globalThis.setTimeout(resolve, 120));
    tick!();
    expect(tty.written.length).toBe(drawn + 1);
    expect(tty.written.at(-1)).toMatch(/runs 1\/10 {2}\d+ms elapsed/);
    bar.stop();
    expect([cleared, tty.written.at(-1)]).toEqual([1, '\r\x1b[K']);
  });

  it('is off when stdout or stderr is not a terminal, and under --json', () => {
    const progress = { runs: 1, plannedRuns: 2, failures: 0, faultsFired: 0, elapsedMs: 10 };
    for (const [stderrTTY, stdoutTTY, quiet] of [
      [false, true, false],
      [true, false, false],
      [true, true, true],
    ]) {
      const err = stream(stderrTTY!);
      const bar = new ProgressBar({ stream: err.stream, results: { isTTY: stdoutTTY! }, quiet: quiet! });
      bar.update(progress);
      bar.shrinking(SHRINK);
      bar.clear();
      expect([bar.enabled, err.written]).toEqual([false, []]);
    }
  });

  it('writes durations compactly', () => {
    expect([850, 12_400, 185_000, 3_720_000, -5].map(durationText)).toEqual(['850ms', '12s', '3m05s', '1h02m', '0ms']);
  });
});
