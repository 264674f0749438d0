import { describe, expect, it } from 'vitest';
import { gapPx, IDLE_BREAK_MS, MIN_PX_PER_10MS, timeScale } from './time-scale.ts';

describe('timeScale', () => {
  it('keeps moments 10 ms apart at least MIN_PX_PER_10MS apart, whatever lies between them', () => {
    // Busy stretches with moments 1..7 ms apart, then idle gaps of every size.
    const moments = [0, 3, 10, 11, 13, 20, 27, 30, 45, 60, 61, 400, 410, 5000, 5010, 65_000, 65_010, 65_011];
    const scale = timeScale(moments, 8, 70_000);
    for (const a of moments)
      for (const b of moments) if (b - a >= 10) expect(scale.y(b) - scale.y(a)).toBeGreaterThanOrEqual(MIN_PX_PER_10MS);
    expect(gapPx(10)).toBeGreaterThanOrEqual(MIN_PX_PER_10MS);
  });

  it('never runs backwards and grows ever slower with longer gaps', () => {
    for (let ms = 1; ms < 100_000; ms = Math.ceil(ms * 1.3)) {
      expect(gapPx(ms + 1)).toBeGreaterThan(gapPx(ms));
      expect(gapPx(2 * ms)).toBeLessThanOrEqual(2 * gapPx(ms) + 1e-9);
    }
  });

  it('collapses idle stretches: a minute of nothing takes a few lines and gets a break marker', () => {
    const scale = timeScale([0, 10, 20, 60_020, 60_030], 0, 60_030);
    const idlePx = scale.y(60_020) - scale.y(20);
    expect(idlePx).toBeLessThan(120);
    expect(idlePx).toBeGreaterThan(scale.y(20) - scale.y(10));
    expect(scale.breaks).toEqual([{ startMs: 20, endMs: 60_020, y: expect.any(Number) }]);
    expect(scale.breaks[0]!.y).toBeGreaterThan(scale.y(20));
    expect(scale.breaks[0]!.y).toBeLessThan(scale.y(60_020));
    expect(timeScale([0, IDLE_BREAK_MS], 0, IDLE_BREAK_MS).breaks).toEqual([]);
  });

  it('places times between known moments in order, and labels moments far enough apart', () => {
    const scale = timeScale([0, 100, 200], 0, 200);
    expect(scale.y(50)).toBeGreaterThan(scale.y(0));
    expect(scale.y(50)).toBeLessThan(scale.y(100));
    expect(scale.y(250)).toBeGreaterThan(scale.y(200));
    expect(scale.labels[0]).toBe(0);
    for (let i = 1; i < scale.labels.length; i++)
      expect(scale.y(scale.labels[i]!) - scale.y(scale.labels[i - 1]!)).toBeGreaterThanOrEqual(36);
  });
});
