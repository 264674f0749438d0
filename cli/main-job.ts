/**
 * `npm run sim` with no arguments: a short, fixed campaign on the default version (same seeds
 * every time, so two runs of it on unchanged code agree) that leaves a summary, JUnit, the
 * campaign's index.html and each finding's report in .ssesim/latest/ and the repros of any
 * findings in .ssesim/repros/. It ends by naming the index: the page that links everything else.
 */
import { availableParallelism } from 'node:os';
import { existsSync, renameSync, mkdirSync } from 'node:fs';
import { join } from 'node:path';
import { resolveVersion } from '../transport/index.ts';
import { runVersionOf } from '../sim/index.ts';
import { runCampaignFromCli } from './fuzz-command.ts';
import { printOut } from './output.ts';
import { DEFAULT_REPRO_DIR, LATEST_DIR, SSESIM_DIR } from './paths.ts';
import { checkOutDir } from './out-dir.ts';

const MAIN_JOB_VERSION = 'fixed';
const MAIN_JOB_SEED = 1;
const MAIN_JOB_RUNS = 200;
/** Worker threads cost a fraction of a second to start; past a few they no longer pay for a short campaign. */
const MAIN_JOB_WORKERS_MAX = 4;

/** Most earlier job folders kept beside latest/; past it the oldest name is reported, never reused. */
const EARLIER_JOBS_MAX = 1000;

/**
 * The previous job's reports move aside to the first free `previous-N` rather than vanish: someone
 * may still have them open, and nothing the user had is deleted. Returns where they went.
 */
export function freshLatestDir(ssesimDir = SSESIM_DIR, latestDir = LATEST_DIR): string | null {
  let movedTo: string | null = null;
  if (existsSync(latestDir)) {
    for (let n = 1; n <= EARLIER_JOBS_MAX && movedTo === null; n++) {
      const candidate = `${ssesimDir}/previous-${n}`;
      if (!existsSync(candidate)) movedTo = candidate;
    }
    if (movedTo === null)
      throw new Error(`${EARLIER_JOBS_MAX} earlier job folders in ${ssesimDir} (limit EARLIER_JOBS_MAX); remove some`);
    renameSync(latestDir, movedTo);
  }
  mkdirSync(latestDir, { recursive: true });
  return movedTo;
}

export async function mainJob(): Promise<number> {
  // A file where a folder belongs ends the job before it moves anything or starts a run.
  for (const path of [LATEST_DIR, DEFAULT_REPRO_DIR]) checkOutDir({ flag: 'the job folder', path });
  const movedTo = freshLatestDir();
  const workers = Math.max(1, Math.min(MAIN_JOB_WORKERS_MAX, availableParallelism() - 1));
  printOut(
    `ssesim: ${MAIN_JOB_RUNS} generated runs on version ${MAIN_JOB_VERSION} from seed ${MAIN_JOB_SEED} ` +
      `(${workers} worker${workers === 1 ? '' : 's'})`,
  );
  if (movedTo) printOut(`the previous job's files moved to ${movedTo}`);
  printOut(
    `(${MAIN_JOB_VERSION} should pass; to watch the harness find bugs: npm run sim -- fuzz --version pr396 --runs 100)`,
  );
  printOut(`(npx tsx cli.ts --help for the other commands)\n`);
  const code = await runCampaignFromCli(
    {
      version: runVersionOf(resolveVersion(MAIN_JOB_VERSION)),
      baseSeed: MAIN_JOB_SEED,
      runs: MAIN_JOB_RUNS,
      workers,
      outDir: DEFAULT_REPRO_DIR,
    },
    { json: false, filesDir: LATEST_DIR, reportPassingRun: true },
  );
  const index = campaignIndexPath();
  if (index) printOut(`\nopen ${index}  (the campaign: each finding's report and replay command, fault coverage)`);
  return code;
}

/** The index the job wrote: latest/ was emptied before the campaign, so it has the plain name. */
function campaignIndexPath(latestDir = LATEST_DIR): string | null {
  const path = join(latestDir, 'index.html');
  return existsSync(path) ? path : null;
}
