import { describe, expect, it } from 'vitest';
import { culpritText, faultsText } from './culprit-text.ts';

describe('culpritText', () => {
  it('names one defect, alternatives each alone, and combinations together', () => {
    expect(culpritText({ status: 'defects', sets: [['stranded-requeue']] })).toBe('stranded-requeue');
    expect(culpritText({ status: 'defects', sets: [['cursor-on-receipt'], ['no-gap-detection']] })).toBe(
      'cursor-on-receipt, no-gap-detection (each alone)',
    );
    expect(culpritText({ status: 'defects', sets: [['no-gap-detection', 'live-send-overtakes-gap']] })).toBe(
      'no-gap-detection + live-send-overtakes-gap (together; no single defect does)',
    );
  });

  it('says why a culprit is not determined, with the budget in the words the issue asks for', () => {
    expect(culpritText({ status: 'not-determined', reason: 'budget' })).toBe('not determined (budget)');
    expect(culpritText({ status: 'not-determined', reason: 'search-bound' })).toMatch(/up to 3 defects/);
    expect(culpritText({ status: 'no-defect' })).toMatch(/^no defect switch/);
  });
});

describe('faultsText', () => {
  it('lists the needed kinds first and says when no single kind is needed', () => {
    expect(faultsText({ status: 'faults', fired: ['http-503', 'apply-failure'], needed: ['apply-failure'] })).toBe(
      'apply-failure (also fired: http-503)',
    );
    expect(faultsText({ status: 'faults', fired: ['http-503'], needed: [] })).toBe('no single kind (fired: http-503)');
    expect(faultsText({ status: 'faults', fired: [], needed: [] })).toBe('none (no fault fired)');
  });
});
