import { describe, expect, it } from 'vitest';
import { UsageError } from './usage-error.ts';
import { propertyOfFileName, shrinkProperty, violatedProperties } from './shrink-property.ts';

const REPRO = {
  seed: 2,
  verdict: 'violation' as const,
  violations: [
    { property: 'session-order' as const, message: 'a' },
    { property: 'no-silent-gap' as const, message: 'b' },
    { property: 'session-order' as const, message: 'c' },
    { property: 'bounded-replay' as const, message: 'd' },
  ],
};

describe('shrinkProperty', () => {
  it('lists what a repro violates, once each, and a crash or step limit by its verdict', () => {
    expect(violatedProperties(REPRO)).toEqual(['session-order', 'no-silent-gap', 'bounded-replay']);
    expect(violatedProperties({ ...REPRO, verdict: 'crash' })).toEqual(['crash']);
  });

  it('reads the property from the name writeRepro gives a file, with or without tag and suffix', () => {
    expect(propertyOfFileName('/x/repro-pr396-2-no-silent-gap.json', REPRO)).toBe('no-silent-gap');
    expect(propertyOfFileName('repro-pr396-r1-2-bounded-replay-shrunk-2.json', REPRO)).toBe('bounded-replay');
    expect(propertyOfFileName('repro-pr396-2-bounded-replay-2.json', REPRO)).toBe('bounded-replay');
    expect(propertyOfFileName('my-copy.json', REPRO)).toBeUndefined();
  });

  it('takes --property first, then the file name, then the first violation', () => {
    expect(shrinkProperty('repro-pr396-2-no-silent-gap.json', REPRO, 'bounded-replay')).toBe('bounded-replay');
    expect(shrinkProperty('repro-pr396-2-no-silent-gap.json', REPRO)).toBe('no-silent-gap');
    expect(shrinkProperty('renamed.json', REPRO)).toBe('session-order');
  });

  it('refuses a property the repro does not violate, naming those it does', () => {
    const refuse = () => shrinkProperty('repro-pr396-2-no-silent-gap.json', REPRO, 'at-most-once');
    expect(refuse).toThrow(UsageError);
    expect(refuse).toThrow(
      '--property at-most-once: repro-pr396-2-no-silent-gap.json violates session-order, ' +
        'no-silent-gap, bounded-replay',
    );
  });
});
