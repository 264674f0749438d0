import { describe, expect, it } from 'vitest';
import { resolveVersion } from '../transport/defects.ts';
import { suspectsOf } from './campaign-summary-of.ts';

describe('suspectsOf', () => {
  it("names the version's defects catalogued for the violated property, and nothing for fixed", () => {
    const pr396 = resolveVersion('pr396').defects.list();
    expect(suspectsOf(pr396, 'at-most-once')).toEqual(['ambiguous-ack-duplicate']);
    expect(suspectsOf(pr396, 'cursor-monotonic')).toEqual(['client-cursor-regress']);
    expect(suspectsOf(pr396, 'server-survives')).toEqual([]);
    expect(suspectsOf(resolveVersion('fixed').defects.list(), 'no-silent-loss')).toEqual([]);
  });
});
