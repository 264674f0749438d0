/**
 * `ssesim shrink <repro.json> [--property P]`: shrinks the repro's scenario under its seed, for
 * the property the repro is about (shrink-property.ts), until it is as small as it gets while
 * failing the same way, and writes the result as a new repro. A change is kept only when the run
 * is strictly smaller in the order of sim/shrink/counterexample-size.ts.
 */
import { existsSync } from 'node:fs';
import { dirname } from 'node:path';
import {
  readRepro,
  reproTransport,
  traceSidecarPath,
  writeRepro,
  writeReproFile,
  type Repro,
  type TransportModuleRecord,
  type WrittenRepro,
} from '../sim/files/index.ts';
import type { TransportFactory } from '../sim/world/index.ts';
import type { RunResult } from '../sim/index.ts';
import { DEFAULT_SHRINK_RUNS, NotFailingError, shrinkRun } from '../sim/shrink/index.ts';
import type { RunSize, ShrinkResult } from '../sim/shrink/index.ts';
import { signatureProperty } from '../sim/index.ts';
import { UsageError } from './usage-error.ts';
import { prepareOutDir } from './out-dir.ts';
import { promoteShrunk } from './promote-regression.ts';
import { printErr, printJson, printOut } from './output.ts';
import { visibleText } from './terminal-text.ts';
import { shrinkProperty } from './shrink-property.ts';
import { ShrinkProgressLine } from './shrink-progress.ts';

export interface ShrinkCommandOptions {
  out?: string;
  runs?: number;
  json?: boolean;
  /** The property to keep failing; defaults to the one the repro is named after. */
  property?: string;
  /** Also save the shrunk run as scenarios/regressions/<defect>.json (one defect on fixed only). */
  promote?: boolean;
  /** A transport module to shrink on instead of the one the repro recorded. */
  transport?: string;
}

export async function shrinkCommand(path: string, options: ShrinkCommandOptions): Promise<number> {
  const repro = readRepro(path);
  const transport = await reproTransport(repro, { source: path, onWarning: printErr, transport: options.transport });
  // Regressions are the bundled transport's own tests: another transport's run is no regression of it.
  if (options.promote && transport)
    throw new UsageError(`--promote saves regressions of the bundled transport, not of ${transport.record.path}`);
  checkShrinkOut(path, options.out);
  const property = shrinkProperty(path, repro, options.property);
  let shrunk: ShrinkResult;
  try {
    shrunk = await shrinkWithProgress(repro, property, options.runs ?? DEFAULT_SHRINK_RUNS, transport?.factory);
  } catch (err) {
    if (!(err instanceof NotFailingError)) throw err;
    printOut(
      `nothing to shrink: ${path} does not violate ${property} now ` +
        `(seed ${repro.seed}, version ${visibleText(repro.version.name)})`,
    );
    return 0;
  }
  const written = writeShrunk(path, shrunk.result, shrunk.signature, options.out, transport?.record);
  if (options.promote) printErr(`  promoted to ${await promoteShrunk(shrunk.result, shrunk.signature)}`);
  if (options.json) printJson(shrinkJson(shrunk, written));
  else shrinkText(shrunk, written).forEach((line) => printOut(line));
  return 1;
}

/** Where the shrunk repro goes is checked before shrinking, which can take minutes. */
function checkShrinkOut(path: string, out: string | undefined): void {
  if (out === undefined) return void prepareOutDir({ flag: "the repro's folder", path: dirname(path) });
  if (out.trim() === '') throw new UsageError('--out is empty; name a file');
  for (const file of [out, traceSidecarPath(out)])
    if (existsSync(file)) throw new UsageError(`${file} already exists; not overwriting it`);
  prepareOutDir({ flag: '--out', path: dirname(out) });
}

async function shrinkWithProgress(
  repro: Repro,
  property: string,
  maxRuns: number,
  factory: TransportFactory | undefined,
): Promise<ShrinkResult> {
  const line = new ShrinkProgressLine();
  try {
    return await shrinkRun({
      scenario: repro.scenario,
      seed: repro.seed,
      version: repro.version,
      factory,
      property,
      maxRuns,
      onAccept: (change) => line.note(`  kept: ${change}`),
      onProgress: (progress) => line.update(progress),
    });
  } finally {
    line.clear();
  }
}

function writeShrunk(
  path: string,
  result: RunResult,
  signature: string,
  out: string | undefined,
  transport: TransportModuleRecord | undefined,
): WrittenRepro {
  if (out === undefined)
    return writeRepro(dirname(path), result, { label: signatureProperty(signature), tag: 'shrunk', transport });
  const written = writeReproFile(out, result, transport);
  if (written === null) throw new UsageError(`${out} (or its .trace.jsonl) already exists; not overwriting it`);
  return written;
}

function shrinkJson(shrunk: ShrinkResult, written: WrittenRepro): Record<string, unknown> {
  return {
    property: signatureProperty(shrunk.signature),
    signature: shrunk.signature,
    verdict: shrunk.result.verdict,
    changes: shrunk.changes,
    runs: shrunk.runs,
    tried: shrunk.tried,
    fixpoint: shrunk.fixpoint,
    before: shrunk.before,
    after: shrunk.after,
    repro: written.path,
    scenario: shrunk.scenario,
  };
}

const sizeText = (size: RunSize) => `${size.faultsFired} faults, ${size.userActions} user actions, ${size.steps} steps`;

function shrinkText(shrunk: ShrinkResult, written: WrittenRepro): string[] {
  const end = shrunk.fixpoint ? ' (fixpoint)' : ' (run budget spent)';
  return [
    `shrunk ${shrunk.signature}`,
    `  ${shrunk.changes.length} changes kept of ${shrunk.tried} tried in ${shrunk.runs} runs${end}`,
    `  size (faults fired, then user actions, then steps): ${sizeText(shrunk.before)} -> ${sizeText(shrunk.after)}`,
    ...shrunk.changes.map((change) => `    ${change}`),
    `  scenario: ${JSON.stringify(shrunk.scenario)}`,
    `  repro ${written.path}`,
    `  replay with: ${written.repro.command}`,
  ];
}
