import { describe, expect, it } from 'vitest';
import type { RunOutcome } from './campaign-run.ts';
import { undetermined, type CulpritDefects, type CulpritFaults } from './culprits.ts';
import { groupKey, mergeByCulprit, violationKind, type Attributed } from './finding-groups.ts';

const NEEDS_503: CulpritFaults = { status: 'faults', fired: ['http-503'], needed: ['http-503'] };

function attributed(
  signature: string,
  firstIndex: number,
  defects: CulpritDefects,
  steps: number,
  faults: CulpritFaults = NEEDS_503,
): Attributed {
  const [property = ''] = signature.split(' ', 1);
  return {
    finding: {
      signature,
      property,
      count: 1,
      firstIndex,
      firstSeed: firstIndex + 1,
      message: `${signature} message`,
      repro: `repro-${firstIndex}.json`,
      culprits: { defects, faults, runs: 10 },
    },
    steps,
  };
}

function outcome(index: number, signatures: string[]): RunOutcome {
  return { index, signatures } as RunOutcome;
}

const STRANDED: CulpritDefects = { status: 'defects', sets: [['stranded-requeue']] };

describe('mergeByCulprit', () => {
  it('merges signatures with one culprit into one finding shown by its smallest repro', () => {
    const merged = mergeByCulprit(
      [
        attributed('no-silent-loss {a}', 0, STRANDED, 30),
        attributed('at-most-once {b}', 1, { status: 'defects', sets: [['ambiguous-ack-duplicate']] }, 20),
        attributed('liveness {c}', 2, STRANDED, 12),
      ],
      [
        outcome(0, ['no-silent-loss {a}']),
        outcome(1, ['at-most-once {b}']),
        outcome(2, ['liveness {c}', 'no-silent-loss {a}']),
      ],
    );
    expect(merged.map((f) => f.signatures)).toEqual([['liveness {c}', 'no-silent-loss {a}'], ['at-most-once {b}']]);
    // The smallest repro stands for the group; a run showing two of its signatures counts once.
    expect(merged[0]).toMatchObject({ signature: 'liveness {c}', repro: 'repro-2.json', firstSeed: 3, count: 2 });
  });

  it('keeps a finding alone when its culprit is not determined', () => {
    const { defects, faults } = undetermined('budget');
    const merged = mergeByCulprit(
      [
        attributed('no-duplicates {a}', 0, defects, 1, faults),
        attributed('cursor-monotonic {b}', 0, defects, 1, faults),
      ],
      [outcome(0, ['no-duplicates {a}', 'cursor-monotonic {b}'])],
    );
    expect(merged).toHaveLength(2);
  });
});

describe('groupKey', () => {
  it('keys by culprit set and kind of violation, not by property', () => {
    expect(groupKey(attributed('no-silent-loss {a}', 0, STRANDED, 1).finding)).toBe(
      groupKey(attributed('liveness {c}', 0, STRANDED, 1).finding),
    );
    expect(groupKey(attributed('crash', 0, STRANDED, 1).finding)).not.toBe(
      groupKey(attributed('liveness {c}', 0, STRANDED, 1).finding),
    );
    expect(violationKind('step-limit')).toBe('step-limit');
  });

  it('without a defect to blame, keys by property and the faults the failure needs', () => {
    const noDefect: CulpritDefects = { status: 'no-defect' };
    const needsDrop: CulpritFaults = { status: 'faults', fired: ['stream-drop'], needed: ['stream-drop'] };
    const key = (signature: string, faults: CulpritFaults) =>
      groupKey(attributed(signature, 0, noDefect, 1, faults).finding);
    expect(key('session-order {a}', NEEDS_503)).toBe(key('session-order {b}', NEEDS_503));
    expect(key('session-order {a}', NEEDS_503)).not.toBe(key('session-order {a}', needsDrop));
    expect(key('session-order {a}', NEEDS_503)).not.toBe(key('no-silent-gap {a}', NEEDS_503));
  });
});
