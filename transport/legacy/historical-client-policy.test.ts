/**
 * The client's defect switches and the parts they live in: every client defect makes the
 * assembly swap in at least one historical part, and a version without one gets the fixed client.
 */
import { describe, expect, it } from 'vitest';
import { DEFECTS, Defects, resolveVersion, VERSION_NAMES } from '../defects.ts';
import { CLIENT_PARTS, HistoricalClientPolicy } from './historical-client-policy.ts';

const policyOf = (ids: Defects, sendPath: 'outbox' | 'legacy-queue' = 'outbox') =>
  new HistoricalClientPolicy(ids, sendPath);

describe('HistoricalClientPolicy', () => {
  it('replaces at least one part for each client defect alone, and none for a server defect', () => {
    for (const { id, site } of DEFECTS) {
      const replaced = CLIENT_PARTS.filter((part) => policyOf(new Defects([id])).replaces(part));
      if (site === 'server') expect(replaced, id).toEqual([]);
      else expect(replaced.length, id).toBeGreaterThan(0);
    }
  });

  it('gives the fixed version the fixed client and every historical version a historical one', () => {
    for (const name of VERSION_NAMES) {
      const version = resolveVersion(name);
      expect(policyOf(version.defects, version.sendPath).isFixedClient(), name).toBe(name === 'fixed');
    }
  });

  it('replaces only the pending queue on the legacy send path without defects', () => {
    const policy = policyOf(Defects.none(), 'legacy-queue');
    expect(CLIENT_PARTS.filter((part) => policy.replaces(part))).toEqual(['pending-queue']);
  });
});
