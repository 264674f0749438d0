/**
 * Which property `ssesim shrink FILE` shrinks for. A failing run usually violates several
 * properties at once, and a repro file is about the one in its name: writeRepro names it
 * `repro-<version>-<seed>-<property>[-tag][-n].json`, and a campaign writes one such file per
 * finding, all of the same run. So: `--property P` when given, else the property the file name
 * carries, else the repro's first violated property. A crash or a step limit is a failure of its
 * own (failure-signature.ts), so such a repro is about its verdict.
 */
import { basename } from 'node:path';
import type { Repro } from '../sim/files/index.ts';
import { UsageError } from './usage-error.ts';

/** What the repro's run violated, in order of first violation: the names `--property` accepts. */
export function violatedProperties(repro: Pick<Repro, 'verdict' | 'violations'>): string[] {
  if (repro.verdict === 'crash' || repro.verdict === 'step-limit') return [repro.verdict];
  return [...new Set(repro.violations.map((v) => v.property))];
}

/** The violated property the file name carries right after the seed, if any. */
export function propertyOfFileName(path: string, repro: Pick<Repro, 'seed' | 'verdict' | 'violations'>) {
  const name = basename(path);
  const named = violatedProperties(repro).filter(
    (p) => name.includes(`-${repro.seed}-${p}-`) || name.includes(`-${repro.seed}-${p}.json`),
  );
  // One id can prefix another in a name (`x` in `-1-x-y.json`); the longest is the label.
  return named.sort((a, b) => b.length - a.length)[0];
}

export function shrinkProperty(path: string, repro: Pick<Repro, 'seed' | 'verdict' | 'violations'>, asked?: string) {
  const violated = violatedProperties(repro);
  if (asked !== undefined && !violated.includes(asked)) {
    const which = violated.length === 0 ? 'no property (it passed)' : violated.join(', ');
    throw new UsageError(`--property ${asked}: ${basename(path)} violates ${which}`);
  }
  const chosen = asked ?? propertyOfFileName(path, repro) ?? violated[0];
  if (chosen === undefined) throw new UsageError(`${basename(path)} records no failure to shrink`);
  return chosen;
}
