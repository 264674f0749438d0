/**
 * `npm run check:culprits`: the campaign the issue "Findings a bug hunter can trust" names
 * (`fuzz --transport-version pr396 --runs 100 --seed 1`), its summary, and a check of its promise: as many
 * findings as distinct culprit sets, and every culprit, alone on `fixed`, reproducing its finding
 * from the finding's repro. Too slow for `npm test` (a minute or so of CPU), so CI runs it apart;
 * sim/campaign/culprit-check.test.ts checks the same on a three-run campaign.
 */
import { mkdtempSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { resolveVersion } from '../transport/index.ts';
import { runVersionOf } from '../sim/index.ts';
import { culpritProblems, runCampaign } from '../sim/campaign/index.ts';
import { campaignSummaryOf, renderCampaignSummary } from '../reports/index.ts';
import { printErr, printOut } from './output.ts';

const CHECK_VERSION = 'pr396';
const CHECK_SEED = 1;
const CHECK_RUNS = 100;

const outDir = mkdtempSync(join(tmpdir(), 'ssesim-check-culprits-'));
const result = await runCampaign({
  version: runVersionOf(resolveVersion(CHECK_VERSION)),
  baseSeed: CHECK_SEED,
  runs: CHECK_RUNS,
  outDir,
});
printOut(`fuzz --transport-version ${CHECK_VERSION} --runs ${CHECK_RUNS} --seed ${CHECK_SEED} --out ${outDir}`);
printOut(renderCampaignSummary(campaignSummaryOf(result)).trimEnd());
const experiments = result.findings.map((finding) => finding.culprits.runs);
// Counted per finding as the cap counts them: an answer another finding already paid for counts again.
const total = experiments.reduce((a, b) => a + b, 0);
printOut(`\nculprit experiments per finding: ${experiments.join(' + ')} = ${total}`);
const problems = await culpritProblems(result.findings);
for (const problem of problems) printErr(`check:culprits: ${problem}`);
const count = result.findings.length;
printOut(
  problems.length === 0
    ? `check:culprits: ${count} findings, ${count} distinct culprit sets, each reproducing its finding alone on fixed`
    : `check:culprits: ${problems.length} problem(s)`,
);
process.exitCode = problems.length === 0 ? 0 : 1;
