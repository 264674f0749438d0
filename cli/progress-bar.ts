/**
 * The live campaign line on stderr: runs, elapsed time and an estimate of what is left, runs per
 * second, findings and failures so far, faults fired; then, once the runs are done, the shrinking
 * of each finding. With `--runs` the estimate comes from the rate so far, with `--time` from the
 * budget. Drawn only when both stdout and stderr are terminals and not under --json, since
 * carriage returns in a CI log or a piped result are noise; redrawn at most every
 * REDRAW_INTERVAL_MS so a fast campaign does not spend its time painting.
 */
import { wallClockMs } from '../sim/core/index.ts';
import { realEnv, type TimerHandle, type Timers } from '../transport/index.ts';
import type { CampaignProgress, CampaignShrinkProgress } from '../sim/campaign/index.ts';
import { shrinkProgressText } from './shrink-progress.ts';

const REDRAW_INTERVAL_MS = 100;
/** How often the ticker redraws between progress reports. */
const TICK_MS = 1000;
const BAR_WIDTH = 24;

export interface ProgressBarOptions {
  /** Under --json nothing is drawn, whatever the terminal. */
  quiet?: boolean;
  /** A `--time` campaign's budget: the bar fills and the estimate counts down by it. */
  budgetMs?: number;
  /** Where the line goes; stderr by default. */
  stream?: NodeJS.WriteStream;
  /** Where results go: the line is off when it is not a terminal. */
  results?: Pick<NodeJS.WriteStream, 'isTTY'>;
}

export class ProgressBar {
  private lastDrawMs = -Infinity;
  private drawn = false;
  private findings = 0;
  private readonly startMs = wallClockMs();
  private readonly stream: NodeJS.WriteStream;
  /** The line last drawn, re-rendered by the ticker so its elapsed time moves during a long run. */
  private line: (() => string) | undefined;
  private ticker: TimerHandle | undefined;
  private stopTicker: () => void = () => {};
  readonly enabled: boolean;

  constructor(private readonly options: ProgressBarOptions = {}) {
    this.stream = options.stream ?? process.stderr;
    const results = options.results ?? process.stdout;
    this.enabled = !options.quiet && this.stream.isTTY === true && results.isTTY === true;
  }

  /** A new failure signature: counted as a finding so far (the campaign merges them later). */
  noteFinding(): void {
    this.findings += 1;
  }

  update(progress: CampaignProgress): void {
    const finished = progress.plannedRuns !== undefined && progress.runs >= progress.plannedRuns;
    const elapsed = () => ({ ...progress, elapsedMs: Math.max(progress.elapsedMs, wallClockMs() - this.startMs) });
    this.draw(() => runsLine(elapsed(), this.findings, this.options.budgetMs), finished);
  }

  /** The shrinking phase: which finding, and how far its shrink has got. */
  shrinking(progress: CampaignShrinkProgress): void {
    const which = `${progress.finding + 1}/${progress.findings}`;
    const elapsed = () => durationText(wallClockMs() - this.startMs);
    this.draw(() => `shrinking finding ${which}: ${shrinkProgressText(progress)}  ${elapsed()} elapsed`);
  }

  /**
   * Redraws the last line every TICK_MS until stop(): with worker threads the main thread idles
   * through long runs, and the elapsed time and estimate should still move. The real timer comes
   * through the environment and touches nothing but this line.
   */
  start(timers: Timers = realEnv().timers): void {
    if (!this.enabled || this.ticker !== undefined) return;
    this.ticker = timers.setInterval(() => this.line && this.draw(this.line), TICK_MS);
    this.stopTicker = () => timers.clearInterval(this.ticker);
  }

  /** Stops the ticker and moves off the line. */
  stop(): void {
    this.stopTicker();
    this.ticker = undefined;
    this.clear();
  }

  /** Moves off the progress line, so whatever prints next starts on a clean line. */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }

  private draw(line: () => string, force = false): void {
    if (!this.enabled) return;
    this.line = line;
    const nowMs = wallClockMs();
    if (!force && nowMs - this.lastDrawMs < REDRAW_INTERVAL_MS) return;
    this.lastDrawMs = nowMs;
    this.stream.write(`\r\x1b[K${line()}`);
    this.drawn = true;
  }
}

/** `[#####...] runs 40/100  12s elapsed, ~18s left  3.3 runs/s  findings 2 (failures 5)  faults fired 81` */
export function runsLine(p: CampaignProgress, findings: number, budgetMs?: number): string {
  const rate = p.runs / Math.max(p.elapsedMs / 1000, 0.001);
  const planned = p.plannedRuns !== undefined && Number.isFinite(p.plannedRuns) ? p.plannedRuns : undefined;
  const fraction = planned ? p.runs / planned : budgetMs ? p.elapsedMs / budgetMs : undefined;
  const bar =
    fraction === undefined
      ? ''
      : `[${'#'.repeat(Math.round(BAR_WIDTH * Math.min(fraction, 1))).padEnd(BAR_WIDTH, '.')}] `;
  const count = planned === undefined ? `${p.runs}` : `${p.runs}/${planned}`;
  const leftMs = leftMsOf(p, planned, rate, budgetMs);
  const estimate =
    leftMs === undefined ? '' : leftMs > 0 ? `, ~${durationText(leftMs)} left` : ', finishing the runs in flight';
  const time = `${durationText(p.elapsedMs)} elapsed${estimate}`;
  return (
    `${bar}runs ${count}  ${time}  ${rate.toFixed(1)} runs/s  ` +
    `findings ${findings} (failures ${p.failures})  faults fired ${p.faultsFired}`
  );
}

/** From the rate so far with a run count, from the budget with a time limit; unknown before the first run. */
function leftMsOf(
  p: CampaignProgress,
  planned: number | undefined,
  rate: number,
  budgetMs?: number,
): number | undefined {
  if (planned !== undefined) return rate > 0 ? ((planned - p.runs) / rate) * 1000 : undefined;
  return budgetMs === undefined ? undefined : budgetMs - p.elapsedMs;
}

/** `850ms`, `12s`, `3m05s`, `1h02m`. */
export function durationText(ms: number): string {
  const clamped = Math.max(0, ms);
  if (clamped < 1000) return `${Math.round(clamped)}ms`;
  const s = Math.round(clamped / 1000);
  if (s < 60) return `${s}s`;
  if (s < 3600) return `${Math.floor(s / 60)}m${String(s % 60).padStart(2, '0')}s`;
  return `${Math.floor(s / 3600)}h${String(Math.floor((s % 3600) / 60)).padStart(2, '0')}m`;
}
