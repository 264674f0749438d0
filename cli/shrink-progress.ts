/**
 * The live shrink line on stderr: candidates tried (and runs made), changes kept and the current
 * size in the shrinker's order. Like the campaign's progress bar it is drawn only when stderr is
 * a terminal, since carriage returns in a CI log are noise, and redrawn at most every
 * REDRAW_INTERVAL_MS. Lines printed through `note` go above it, so it stays the last line.
 */
import { wallClockMs } from '../sim/core/index.ts';
import { formatCounterexampleSize, type ShrinkProgress } from '../sim/shrink/index.ts';

const REDRAW_INTERVAL_MS = 100;

export function shrinkProgressLine(p: ShrinkProgress): string {
  return `shrinking: ${shrinkProgressText(p)}`;
}

/** How far a shrink has got, without saying what is shrinking. */
export function shrinkProgressText(p: ShrinkProgress): string {
  return `tried ${p.tried} (${p.runs} runs)  kept ${p.accepted}  size ${formatCounterexampleSize(p.size)}`;
}

export class ShrinkProgressLine {
  private lastDrawMs = -Infinity;
  private last: ShrinkProgress | undefined;
  private drawn = false;

  constructor(private readonly stream: NodeJS.WriteStream = process.stderr) {}

  get enabled(): boolean {
    return this.stream.isTTY === true;
  }

  update(progress: ShrinkProgress): void {
    this.last = progress;
    if (!this.enabled) return;
    const nowMs = wallClockMs();
    if (nowMs - this.lastDrawMs < REDRAW_INTERVAL_MS) return;
    this.lastDrawMs = nowMs;
    this.draw(progress);
  }

  /** Prints a whole line (to the stream, TTY or not) above the progress line. */
  note(line: string): void {
    this.clear();
    this.stream.write(`${line}\n`);
    if (this.enabled && this.last) this.draw(this.last);
  }

  /** Moves off the progress line, so whatever prints next starts on a clean line. */
  clear(): void {
    if (this.drawn) this.stream.write('\r\x1b[K');
    this.drawn = false;
  }

  private draw(progress: ShrinkProgress): void {
    this.stream.write(`\r\x1b[K${shrinkProgressLine(progress)}`);
    this.drawn = true;
  }
}
