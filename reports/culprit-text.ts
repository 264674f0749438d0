/**
 * A finding's culprits in words, the same in every output (text summary, JUnit, HTML header), so
 * what a reader is told causes a finding does not depend on where they read it.
 */
import type { CulpritDefects, CulpritFaults, UndeterminedReason } from '../sim/campaign/index.ts';
import { CULPRIT_COMBINATION_SIZE_MAX } from '../sim/campaign/index.ts';

const UNDETERMINED: Record<UndeterminedReason, string> = {
  budget: 'not determined (budget)',
  'search-bound': `not determined (no set of up to ${CULPRIT_COMBINATION_SIZE_MAX} defects on fixed reproduces it)`,
  'not-reproduced': 'not determined (its repro no longer fails this way)',
  skipped: 'not determined (experiments not run)',
};

/** `stranded-requeue`, `a, b (each alone)`, `a + b (together; no single defect does)`. */
export function culpritText(defects: CulpritDefects): string {
  switch (defects.status) {
    case 'not-determined':
      return UNDETERMINED[defects.reason];
    case 'no-defect':
      return 'no defect switch (fixed fails the same way)';
    case 'defects': {
      const [first] = defects.sets;
      if (defects.sets.length === 1 && first?.length === 1) return first.join('');
      if (first?.length === 1) return `${defects.sets.join(', ')} (each alone)`;
      return `${defects.sets.map((set) => set.join(' + ')).join(' | ')} (together; no single defect does)`;
    }
  }
}

/** The fault kinds a finding needs, or why none is named. */
export function faultsText(faults: CulpritFaults): string {
  if (faults.status === 'not-determined') return UNDETERMINED[faults.reason];
  if (faults.fired.length === 0) return 'none (no fault fired)';
  if (faults.needed.length === 0) return `no single kind (fired: ${faults.fired.join(', ')})`;
  const others = faults.fired.filter((kind) => !faults.needed.includes(kind));
  return `${faults.needed.join(', ')}${others.length > 0 ? ` (also fired: ${others.join(', ')})` : ''}`;
}
