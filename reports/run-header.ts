/**
 * The facts that identify a run, shared by every report format: what ran, the verdict, and how
 * often each fault fired. Enabled faults are listed even at zero, since "enabled but never fired"
 * is itself worth seeing.
 */
import type { RunResult } from '../sim/index.ts';
import { FAULT_KINDS } from '../scenarios/index.ts';

export interface FaultCountRow {
  kind: string;
  enabled: boolean;
  fired: number;
  /** What the run's server lacks for this kind: it was never drawn (absent when it could be). */
  notApplicable?: string[];
}

/** Fault kinds that fired or were enabled by the scenario, in catalogue order. */
export function faultCountRows(result: RunResult): FaultCountRow[] {
  const { request, timed } = result.scenario.faults;
  const rows: FaultCountRow[] = [];
  for (const kind of FAULT_KINDS) {
    const enabled = kind in request || kind in timed;
    const fired = result.faultCounts[kind] ?? 0;
    const lacks = result.faultsNotApplicable?.[kind];
    if (enabled || fired > 0)
      rows.push({ kind, enabled, fired, ...(enabled && lacks ? { notApplicable: lacks } : {}) });
  }
  return rows;
}

export function versionLabel(result: RunResult): string {
  const defects = result.version.defects.length > 0 ? result.version.defects.join(', ') : 'no defects';
  return `${result.version.name} (${result.version.sendPath}; ${defects})`;
}
