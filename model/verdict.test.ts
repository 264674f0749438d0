import { describe, expect, it } from 'vitest';
import { decideVerdict, LIVENESS_PROPERTIES } from './verdict.ts';
import { violation } from './violation.ts';

const safety = violation('send-order', 'x', {}, [1]);
const live = violation('no-silent-gap', 'y', {}, [2]);

describe('decideVerdict', () => {
  it('names the liveness-kind properties', () => {
    expect([...LIVENESS_PROPERTIES].sort()).toEqual(['delivery', 'liveness', 'no-silent-gap', 'timeliness']);
  });

  it('ranks step-limit, then crash, then safety, then liveness', () => {
    expect(decideVerdict({ violations: [safety], crashed: true, stepLimitHit: true })).toBe('step-limit');
    expect(decideVerdict({ violations: [safety], crashed: true, stepLimitHit: false })).toBe('crash');
    expect(decideVerdict({ violations: [live, safety], crashed: false, stepLimitHit: false })).toBe('violation');
    expect(decideVerdict({ violations: [live], crashed: false, stepLimitHit: false })).toBe('liveness');
    expect(decideVerdict({ violations: [], crashed: false, stepLimitHit: false })).toBe('passed');
  });
});
