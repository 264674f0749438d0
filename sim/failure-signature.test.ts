import { describe, expect, it } from 'vitest';
import { runSignatures, signatureProperty, violationSignature } from './failure-signature.ts';

describe('failure signatures', () => {
  it('ignore which client, session, prompt or seq was hit', () => {
    const a = violationSignature({ property: 'no-duplicates', subject: { client: 'c1', sessionId: 's1', seq: 4 } });
    const b = violationSignature({ property: 'no-duplicates', subject: { client: 'c3', sessionId: 's2', seq: 17 } });
    expect(a).toBe(b);
    expect(signatureProperty(a)).toBe('no-duplicates');
  });

  it('tell apart the cases of one checker by the shape of the subject and its category fields', () => {
    const resent = violationSignature({ property: 'bounded-replay', subject: { client: 'c1', seq: 3, resent: 2 } });
    const amplified = violationSignature({
      property: 'bounded-replay',
      subject: { client: 'c1', frames: 9, distinctEvents: 4 },
    });
    expect(resent).not.toBe(amplified);
    const pending = violationSignature({ property: 'liveness', subject: { client: 'c1', problem: 'pending' } });
    const disconnected = violationSignature({
      property: 'liveness',
      subject: { client: 'c1', problem: 'disconnected' },
    });
    expect(pending).not.toBe(disconnected);
  });

  it('give one signature per distinct failure of a run, and the verdict for a crash or step limit', () => {
    const v = { property: 'no-duplicates' as const, subject: { client: 'c1', seq: 1 } };
    expect(
      runSignatures({ verdict: 'violation', violations: [v, { ...v, subject: { client: 'c2', seq: 9 } }] }),
    ).toHaveLength(1);
    expect(runSignatures({ verdict: 'crash', violations: [] })).toEqual(['crash']);
    expect(runSignatures({ verdict: 'passed', violations: [] })).toEqual([]);
  });
});
