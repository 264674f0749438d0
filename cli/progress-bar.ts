/**
 * The live campaign line on stderr: runs, runs per second, failures and faults fired. Drawn only
 * when stderr is a terminal, since carriage returns in a CI log are noise; redrawn at most every
 * REDRAW_INTERVAL_MS so a fast campaign does not spend its time painting.
 */
import { wallClockMs } from '../sim/core/index.ts';
import type { CampaignProgress } from '../sim/campaign/index.ts';

const REDRAW_INTERVAL_MS = 100;
const BAR_WIDTH = 24;

export class ProgressBar {
  private lastDrawMs = -Infinity;
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  update(progress: CampaignProgress): void {
    if (!this.enabled) return;
    const nowMs = wallClockMs();
    const finished = progress.plannedRuns !== undefined && progress.runs >= progress.plannedRuns;
    if (!finished && nowMs - this.lastDrawMs < REDRAW_INTERVAL_MS) return;
    this.lastDrawMs = nowMs;
    this.stream.write(`\r\x1b[K${progressLine(progress)}`);
    this.drawn = true;
  }

  /** Moves off the progress line, so whatever prints next starts on a clean line. */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }
}

function progressLine(p: CampaignProgress): string {
  const rate = p.runs / Math.max(p.elapsedMs / 1000, 0.001);
  const planned = p.plannedRuns;
  const bar =
    planned === undefined || !Number.isFinite(planned) || planned === 0
      ? ''
      : `[${'#'.repeat(Math.round((BAR_WIDTH * p.runs) / planned)).padEnd(BAR_WIDTH, '.')}] `;
  const count = planned === undefined || !Number.isFinite(planned) ? `${p.runs}` : `${p.runs}/${planned}`;
  return `${bar}runs ${count}  ${rate.toFixed(1)} runs/s  failures ${p.failures}  faults fired ${p.faultsFired}`;
}
