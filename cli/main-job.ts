/**
 * `npm run sim` with no arguments: a short, fixed campaign on the default version (same seeds
 * every time, so two runs of it on unchanged code agree) that leaves a summary, JUnit and an
 * HTML report in .ssesim/latest/ and the repros of any findings in .ssesim/repros/.
 */
import { availableParallelism } from 'node:os';
import { existsSync, renameSync, rmSync, mkdirSync } from 'node:fs';
import { resolveVersion } from '../transport/defects.ts';
import { runVersionOf } from '../sim/run-version.ts';
import { runCampaignFromCli } from './fuzz-command.ts';
import { printOut } from './output.ts';
import { DEFAULT_REPRO_DIR, LATEST_DIR, SSESIM_DIR } from './paths.ts';

export const MAIN_JOB_VERSION = 'fixed';
export const MAIN_JOB_SEED = 1;
export const MAIN_JOB_RUNS = 200;
/** Worker threads cost a fraction of a second to start; past a few they no longer pay for a short campaign. */
const MAIN_JOB_WORKERS_MAX = 4;

/** The previous job's reports move aside rather than vanish, since someone may still have them open. */
function freshLatestDir(): void {
  const previous = `${SSESIM_DIR}/previous`;
  if (existsSync(LATEST_DIR)) {
    rmSync(previous, { recursive: true, force: true });
    renameSync(LATEST_DIR, previous);
  }
  mkdirSync(LATEST_DIR, { recursive: true });
}

export async function mainJob(): Promise<number> {
  freshLatestDir();
  const workers = Math.max(1, Math.min(MAIN_JOB_WORKERS_MAX, availableParallelism() - 1));
  printOut(`ssesim: ${MAIN_JOB_RUNS} generated runs on version ${MAIN_JOB_VERSION} from seed ${MAIN_JOB_SEED} (${workers} workers)`);
  printOut(`(npx tsx cli.ts --help for the other commands)\n`);
  return runCampaignFromCli(
    {
      version: runVersionOf(resolveVersion(MAIN_JOB_VERSION)),
      baseSeed: MAIN_JOB_SEED,
      runs: MAIN_JOB_RUNS,
      workers,
      outDir: DEFAULT_REPRO_DIR,
    },
    { json: false, filesDir: LATEST_DIR, reportPassingRun: true },
  );
}
