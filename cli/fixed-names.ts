/**
 * A campaign folder's fixed names (`summary.json`, `junit.xml`, ...) always hold its newest
 * results, so CI steps and people can name them. A rerun into the same folder moves the earlier
 * ones aside into the first free `previous-N` first, the way the main job keeps its earlier jobs
 * (freshLatestDir): nothing is overwritten and nothing is deleted. Repros keep their own unique
 * names and stay where they are.
 */
import { existsSync, mkdirSync, readdirSync, renameSync, rmdirSync } from 'node:fs';
import { join } from 'node:path';
import { freshLatestDir } from './main-job.ts';

/** Every name a campaign or a merge writes in its folder besides repros. */
const CAMPAIGN_FIXED_NAMES = ['summary.txt', 'summary.json', 'junit.xml', 'index.html'] as const;

/** The report folders beside them: `finding-k` (and `finding-k-n`) and `passing-run`. */
const REPORT_FOLDER = /^(finding-\d+|passing-run)(-\d+)?$/;

/** Gathering folder: freshLatestDir moves one folder aside, so the earlier files go into one first. */
const EARLIER_DIR = '.earlier';

/** Moves earlier results under the fixed names aside; returns where they went, or null when there were none. */
export function moveEarlierResultsAside(dir: string): string | null {
  const earlier: string[] = CAMPAIGN_FIXED_NAMES.filter((name) => existsSync(join(dir, name)));
  if (existsSync(dir))
    earlier.push(
      ...readdirSync(dir)
        .filter((name) => REPORT_FOLDER.test(name))
        .sort(),
    );
  if (earlier.length === 0) return null;
  const gathering = join(dir, EARLIER_DIR);
  mkdirSync(gathering);
  for (const name of earlier) renameSync(join(dir, name), join(gathering, name));
  const movedTo = freshLatestDir(dir, gathering);
  // freshLatestDir leaves an empty folder where the one it moved was; the campaign needs none.
  rmdirSync(gathering);
  return movedTo;
}
