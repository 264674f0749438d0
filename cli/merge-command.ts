/**
 * `ssesim merge DIR... --out DIR`: the shards of one campaign (each a folder `fuzz --shard I/N
 * --out DIR` wrote, copied from wherever its CI job ran) as one campaign: one summary (text and
 * JSON), one JUnit file, the repros of the merged findings copied beside them, each finding's
 * report and the campaign index linking them. Findings that several shards found are merged the
 * way a campaign merges its own, so the result reads as the unsharded campaign's would. The shards
 * must be of one campaign and must not share a seed.
 */
import { existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { basename, join, resolve } from 'node:path';
import { mergeCampaignSummaries, renderCampaignSummary, campaignFindings } from '../reports/index.ts';
import type { CampaignSummary } from '../reports/index.ts';
import { traceSidecarPath, writeNew } from '../sim/files/index.ts';
import { readSummaryFile } from './campaign-summary-file.ts';
import { writeFindingReports, writeSummaryFiles, type ReportedFinding } from './campaign-files.ts';
import { campaignExitCode } from './fuzz-command.ts';
import { prepareOutDir } from './out-dir.ts';
import { printJson, printOut } from './output.ts';
import { UsageError } from './usage-error.ts';

export interface MergeOptions {
  out: string;
  json?: boolean;
}

interface Shard {
  dir: string;
  summary: CampaignSummary;
}

export async function mergeCommand(dirs: readonly string[], options: MergeOptions): Promise<number> {
  const shards = dirs.map(readShard);
  checkOneCampaign(shards);
  prepareOutDir({ flag: '--out', path: options.out });
  const merged = mergeCampaignSummaries(shards.map((shard) => shard.summary));
  merged.findings = merged.findings.map((finding) => ({ ...finding, ...copiedRepro(finding, shards, options.out) }));
  const files = writeSummaryFiles(merged, options.out);
  const reports = await writeFindingReports(merged, reportedFindings(merged), options.out);
  if (options.json) {
    printJson({
      runs: merged.runs,
      failures: merged.failures,
      runsPerSec: merged.runsPerSec,
      wallMs: merged.wallMs,
      version: merged.version,
      scenario: merged.scenario,
      shards: shards.map((shard) => shard.dir),
      findings: campaignFindings(merged),
      faultCoverage: merged.faultCoverage,
      files: { ...files, ...reports },
    });
  } else {
    printOut(`merged ${shards.length} shard folders: ${shards.map((shard) => shard.dir).join(', ')}`);
    printOut(renderCampaignSummary(merged).trimEnd());
    if (files.earlier) printOut(`earlier results in this folder moved to ${files.earlier}`);
    printOut(`files: ${reports.index}, ${files.summary}, ${files.summaryJson}, ${files.junit}`);
  }
  return campaignExitCode(merged);
}

/** The merged findings as their reports need them, each replayed from its copied repro. */
function reportedFindings(merged: CampaignSummary): ReportedFinding[] {
  return merged.findings.flatMap((finding) =>
    finding.repro === undefined || !existsSync(finding.repro)
      ? []
      : [
          {
            signatures: [finding.signature, ...finding.merged],
            property: finding.property,
            culprits: finding.culprits,
            repro: finding.repro,
          },
        ],
  );
}

function readShard(dir: string): Shard {
  if (!existsSync(dir) || !statSync(dir).isDirectory())
    throw new UsageError(`merge: ${dir} is not a folder; name the folders fuzz --out wrote`);
  return { dir, summary: readSummaryFile(join(dir, 'summary.json')) };
}

/** Same campaign (version, scenario, first seed), no folder twice, no seed in two shards. */
function checkOneCampaign(shards: readonly Shard[]): void {
  const [first] = shards;
  if (first === undefined) throw new UsageError('merge: name at least one shard folder');
  const seen = new Map<string, string>();
  const seedOwner = new Map<number, string>();
  for (const { dir, summary } of shards) {
    const same = seen.get(resolve(dir));
    if (same !== undefined) throw new UsageError(`merge: ${dir} is named twice (also as ${same})`);
    seen.set(resolve(dir), dir);
    for (const field of ['version', 'scenario', 'baseSeed'] as const)
      if (summary[field] !== first.summary[field])
        throw new UsageError(
          `merge: ${dir} is of another campaign: ${field} ${summary[field]}, ` +
            `but ${first.dir} has ${first.summary[field]}`,
        );
    for (const { seed } of summary.results) {
      const owner = seedOwner.get(seed);
      if (owner !== undefined) throw new UsageError(`merge: seed ${seed} is in both ${owner} and ${dir}`);
      seedOwner.set(seed, dir);
    }
  }
}

/**
 * The finding's repro (and its trace beside it) copied into the merged folder, found by name in
 * the shard folder the finding came from: the path the shard recorded was on its own machine.
 * The same repro already there (an earlier merge) is used as it is; another is never overwritten.
 */
function copiedRepro(
  finding: CampaignSummary['findings'][number],
  shards: readonly Shard[],
  outDir: string,
): { repro?: string } {
  if (finding.repro === undefined || finding.repro.startsWith('ssesim ')) return {};
  const name = basename(finding.repro);
  const from = shards
    .filter((shard) => shard.summary.findings.some((f) => f.repro === finding.repro))
    .map((shard) => join(shard.dir, name))
    .find((path) => existsSync(path));
  if (from === undefined) return {};
  const content = readFileSync(from, 'utf8');
  const there = join(outDir, name);
  if (existsSync(there) && readFileSync(there, 'utf8') === content) return { repro: there };
  const to = writeNew(outDir, name, content);
  const trace = traceSidecarPath(from);
  if (existsSync(trace)) writeFileSync(traceSidecarPath(to), readFileSync(trace), { flag: 'wx' });
  return { repro: to };
}
