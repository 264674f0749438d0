import { describe, expect, it } from 'vitest';
import { ShrinkProgressLine, shrinkProgressLine } from './shrink-progress.ts';

const PROGRESS = {
  tried: 12,
  runs: 9,
  accepted: 3,
  size: { faultsFired: 2, userActions: 5, steps: 7, simSteps: 80, faultKinds: 1 },
};

/** Collects what is written, posing as a terminal or not. */
function stream(isTTY: boolean) {
  const written: string[] = [];
  return { written, stream: { isTTY, write: (text: string) => written.push(text) } as unknown as NodeJS.WriteStream };
}

describe('the shrink progress line', () => {
  it('names candidates tried, runs, changes kept and the size in the order', () => {
    expect(shrinkProgressLine(PROGRESS)).toBe(
      'shrinking: tried 12 (9 runs)  kept 3  size 2 faults, 5 user actions, 80 sim steps',
    );
  });

  it('draws only on a terminal, and keeps itself below the lines printed through it', () => {
    const tty = stream(true);
    const line = new ShrinkProgressLine(tty.stream);
    line.update(PROGRESS);
    line.note('  kept: clients 3 -> 1');
    line.clear();
    const drawn = `\r\x1b[K${shrinkProgressLine(PROGRESS)}`;
    expect(tty.written.join('')).toBe(`${drawn}\r\x1b[K  kept: clients 3 -> 1\n${drawn}\r\x1b[K`);
    const log = stream(false);
    const quiet = new ShrinkProgressLine(log.stream);
    quiet.update(PROGRESS);
    quiet.note('  kept: clients 3 -> 1');
    quiet.clear();
    expect(log.written).toEqual(['  kept: clients 3 -> 1\n']);
  });
});
