/**
 * The files one failing property keeps: a repro, its trace sidecar and an HTML report, under one
 * name claimed by its first failure (`property-<transport>.json`, or the first free `-2`, `-3`...).
 * Each later failure of the same property (a smaller counterexample fast-check found) replaces
 * their content, so the files always hold the latest failure and no step of the shrink leaves
 * files behind. Only files this property wrote and nobody touched since are replaced
 * (sim/files/owned-file.ts); were one changed, the failure claims a fresh name instead.
 */
import { basename } from 'node:path';
import type { RunResult } from '../sim/index.ts';
import {
  isStillOwned,
  ownedFile,
  reproTexts,
  rewriteOwnedFile,
  writeNew,
  writeRepro,
  type OwnedFile,
  type TransportModuleRecord,
} from '../sim/files/index.ts';
import { renderHtmlReport } from './html-report.ts';
import type { NextStep } from './html/next-step-section.ts';

export interface FailureFilePaths {
  repro: string;
  trace: string;
  report: string;
  /** The command that replays the repro. */
  command: string;
}

interface Owned {
  repro: OwnedFile;
  trace: OwnedFile;
  report: OwnedFile;
}

export class FailureFiles {
  private owned: Owned | undefined;

  constructor(
    private readonly dir: string,
    private readonly name: string,
  ) {}

  write(result: RunResult, transport: TransportModuleRecord | undefined): FailureFilePaths {
    const owned = this.owned;
    if (owned && Object.values(owned).every(isStillOwned)) return this.rewrite(owned, result, transport);
    const written = writeRepro(this.dir, result, { name: this.name, transport });
    const html = renderHtmlReport(result, { nextStep: nextStepOf(written.path, transport) });
    const report = writeNew(this.dir, `${basename(written.path, '.json')}.html`, html);
    this.owned = { repro: ownedFile(written.path), trace: ownedFile(written.tracePath), report: ownedFile(report) };
    return { repro: written.path, trace: written.tracePath, report, command: written.repro.command };
  }

  private rewrite(owned: Owned, result: RunResult, transport: TransportModuleRecord | undefined): FailureFilePaths {
    const texts = reproTexts(result, owned.repro.path, transport);
    // The sidecar first and the repro last, as when they were first written: the repro completes the pair.
    const trace = rewriteOwnedFile(owned.trace, texts.trace);
    const report = rewriteOwnedFile(
      owned.report,
      renderHtmlReport(result, { nextStep: nextStepOf(owned.repro.path, transport) }),
    );
    const repro = rewriteOwnedFile(owned.repro, texts.json);
    this.owned = { repro, trace, report };
    return { repro: repro.path, trace: trace.path, report: report.path, command: texts.repro.command };
  }
}

/** The report names the repro beside it, so its replay command is one copy away. */
function nextStepOf(reproPath: string, transport: TransportModuleRecord | undefined): NextStep {
  return { reproPath, ...(transport ? { transportPath: transport.path } : {}) };
}
