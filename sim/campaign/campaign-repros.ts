/**
 * The repro files of a campaign. The first run to show a new failure signature gets a repro
 * written the moment its outcome arrives, before anything reports it, so an interrupted or
 * crashed campaign still leaves every distinct failure on disk. Each signature gets its own file
 * named after its property, so a finding's repro is named for what it found. A campaign's runs
 * keep only their trace hash, so the failing run is rerun here with its trace kept; the rerun must
 * hash as the outcome did, which proves it is the same run.
 */
import type { RunResult } from '../index.ts';
import { campaignScenario, runCampaignIndex, type CampaignSpec, type RunOutcome } from './campaign-run.ts';
import type { Scenario } from '../../scenarios/index.ts';
import { signatureProperty } from '../index.ts';
import { writeRepro, type WrittenRepro } from '../files/index.ts';
import type { TransportFactory } from '../world/index.ts';
import { OneAtATime } from './one-at-a-time.ts';

export interface NewFailure {
  signature: string;
  outcome: RunOutcome;
  repro: WrittenRepro;
}

interface Saved {
  index: number;
  repro: WrittenRepro;
}

export class CampaignRepros {
  /**
   * Promises, set before any await: outcomes from several workers are noted concurrently, and a
   * signature must be claimed by exactly one of them.
   */
  private readonly bySignature = new Map<string, Promise<Saved>>();
  /**
   * Full results of the runs that got a repro, kept for shrinking without a rerun; promises, so
   * one run is rerun once.
   */
  private readonly results = new Map<number, Promise<RunResult>>();
  /** The trace hash each noted outcome reported, which its rerun must reproduce. */
  private readonly hashes = new Map<number, string>();
  /**
   * Runs in this process. Outcomes from worker threads are noted as they arrive, but their reruns
   * here go one at a time, and between the campaign's own runs on this thread.
   */
  readonly inProcess = new OneAtATime();

  constructor(
    private readonly spec: CampaignSpec,
    private readonly outDir: string,
    /** The loaded module of `spec.transport`, if it names one. */
    private readonly factory?: TransportFactory,
    /** The scenario of a run index: its seed's, unless the campaign steered it. */
    private readonly scenarioOf: (index: number) => Scenario = (index) => campaignScenario(spec, index),
  ) {}

  /** Writes a repro for each signature of the outcome not seen before; returns what was written. */
  async note(outcome: RunOutcome, result?: RunResult): Promise<NewFailure[]> {
    const claimed: [string, Promise<Saved>][] = [];
    this.hashes.set(outcome.index, outcome.traceHash);
    for (const signature of outcome.signatures) {
      if (this.bySignature.has(signature)) continue;
      const saving = this.write(outcome.index, signature, result).then((repro) => ({ index: outcome.index, repro }));
      this.bySignature.set(signature, saving);
      claimed.push([signature, saving]);
    }
    // All awaited together: when one fails (a rerun that hashes differently), none goes unhandled.
    const saved = await Promise.all(claimed.map(([, saving]) => saving));
    return claimed.map(([signature], i) => ({ signature, outcome, repro: saved[i]!.repro }));
  }

  /**
   * The repro of a signature's first run. With several workers a later run can report a
   * signature first; the earliest run then gets a repro of its own, so the finding names it.
   */
  async forFinding(signature: string, firstIndex: number): Promise<WrittenRepro> {
    const saved = await this.bySignature.get(signature);
    if (saved && saved.index === firstIndex) return saved.repro;
    const repro = await this.write(firstIndex, signature);
    this.bySignature.set(signature, Promise.resolve({ index: firstIndex, repro }));
    return repro;
  }

  result(index: number, given?: RunResult): Promise<RunResult> {
    let full = this.results.get(index);
    if (!full) {
      full = given && given.traceKept !== false ? Promise.resolve(given) : this.rerun(index);
      this.results.set(index, full);
    }
    return full;
  }

  private rerun(index: number): Promise<RunResult> {
    return this.inProcess.run(() => this.rerunNow(index));
  }

  private async rerunNow(index: number): Promise<RunResult> {
    const result = await runCampaignIndex(this.spec, index, this.factory, this.scenarioOf(index));
    const noted = this.hashes.get(index);
    // A user's transport module may keep state of its own across runs in one process, so only the
    // bundled transport's reruns are held to the hash.
    if (noted !== undefined && noted !== result.traceHash && this.spec.transport === undefined)
      throw new Error(
        `run ${index} (seed ${result.seed}) is not deterministic: trace ${noted}, rerun ${result.traceHash}`,
      );
    return result;
  }

  private async write(index: number, signature: string, given?: RunResult): Promise<WrittenRepro> {
    const full = await this.result(index, given);
    return writeRepro(this.outDir, full, { label: signatureProperty(signature), transport: this.spec.transport });
  }
}
