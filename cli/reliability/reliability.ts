/**
 * The reliability suite (`npm run reliability`): hundreds of generated bad inputs (scenario, repro
 * and result files broken field by field or as files, bad flags and output paths), each of which
 * must end as exit 2 with one line on stderr, no stack trace and nothing written; inputs that once
 * hung; campaigns interrupted by signals; a scenario that once ran away; the bundled server killed
 * with SIGKILL mid-write and loaded by paused readers. Most cases call `main` in this process,
 * which is fast; those that need a real process run two at a time. It prints its figures and ends
 * with `N passed, N failed`, exiting 1 when any case failed.
 */
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import * as timers from 'node:timers';
import { wallClockMs } from '../../sim/core/clock.ts';
import { runMain } from '../testing/run-main.ts';
import { brokenFileCases, fieldCases, type ArgvCase, type CaseDirs } from './file-cases.ts';
import { flagCases } from './flag-cases.ts';
import { added, judgeUsage, treeOf, type Judgement, type Outcome } from './outcome.ts';
import { ensureDirs, hangCases, runawayCase, signalCases, spawnedUsageCase } from './process-cases.ts';
import { killNineCase, pausedReaderCases } from './server-cases.ts';
import { inPool, POOL_SIZE } from './spawn-cli.ts';

/** An in-process bad input answers in milliseconds; one still pending after this is a hang. */
const IN_PROCESS_TIMEOUT_MS = 20_000;
/** Every so many in-process cases, one is run again as a process, to show the two agree. */
const PROCESS_SAMPLE_EVERY = 100;

async function inProcess(root: string, { name, argv }: ArgvCase): Promise<Judgement> {
  const before = treeOf(root);
  const startMs = wallClockMs();
  let timer: NodeJS.Timeout | undefined;
  const hang = new Promise<Outcome>((resolve) => {
    timer = timers.setTimeout(
      () => resolve({ code: null, stdout: '', stderr: '', timedOut: true, wallMs: 0 }),
      IN_PROCESS_TIMEOUT_MS,
    );
  });
  const outcome = await Promise.race([
    runMain(argv).then((exit) => ({ ...exit, timedOut: false, wallMs: Math.round(wallClockMs() - startMs) })),
    hang,
  ]);
  timers.clearTimeout(timer);
  return judgeUsage(name, outcome, added(before, treeOf(root)), argv.includes('--json'));
}

async function runInProcess(root: string, dirs: CaseDirs, cases: readonly ArgvCase[]): Promise<Judgement[]> {
  const home = process.cwd();
  process.chdir(dirs.work);
  try {
    const judgements: Judgement[] = [];
    for (const one of cases) judgements.push(await inProcess(root, one));
    return judgements;
  } finally {
    process.chdir(home);
  }
}

interface Counts {
  inProcess: number;
  processes: number;
  inProcessMs: number;
}

const seconds = (ms: number) => `${(ms / 1000).toFixed(1)} s`;

function report(judgements: readonly Judgement[], counts: Counts, wallMs: number): void {
  const failed = judgements.filter((j) => !j.passed);
  console.log(`reliability: ${judgements.length} cases in ${seconds(wallMs)}`);
  console.log(`  in process    ${counts.inProcess} (${seconds(counts.inProcessMs)})`);
  console.log(`  as processes  ${counts.processes} (${seconds(wallMs - counts.inProcessMs)}, ${POOL_SIZE} at a time)`);
  console.log(`  clean exits   ${judgements.length - failed.length}`);
  console.log(`  stack traces  ${judgements.filter((j) => j.stackTrace).length}`);
  console.log(`  hangs         ${judgements.filter((j) => j.hang).length}`);
  for (const j of failed.slice(0, 50)) console.log(`FAILED ${j.name}\n    ${j.why.join('\n    ')}`);
  if (failed.length > 50) console.log(`... and ${failed.length - 50} more failures`);
  console.log(`${judgements.length - failed.length} passed, ${failed.length} failed`);
}

async function main(): Promise<number> {
  const startMs = wallClockMs();
  const root = mkdtempSync(join(tmpdir(), 'ssesim-reliability-'));
  const dirs: CaseDirs = { inputs: join(root, 'inputs'), work: join(root, 'work') };
  ensureDirs(dirs);
  const argvCases = [...(await fieldCases(dirs)), ...brokenFileCases(dirs), ...flagCases(dirs)];
  const judgements = await runInProcess(root, dirs, argvCases);
  const inProcessMs = wallClockMs() - startMs;
  // Campaigns and the runaway write files by design, so they work apart from `root`, where a
  // bad input running alongside them must write nothing.
  const apart: CaseDirs = { inputs: dirs.inputs, work: mkdtempSync(join(tmpdir(), 'ssesim-reliability-runs-')) };
  const sample = argvCases.filter((_, i) => i % PROCESS_SAMPLE_EVERY === 0);
  const processCases = [
    runawayCase(apart),
    ...signalCases(apart),
    ...hangCases(root, dirs),
    ...sample.map((one) => spawnedUsageCase(root, dirs, one)),
  ];
  judgements.push(...(await inPool(processCases.map((one) => one.run))));
  // The server cases measure memory and kill processes: they run alone, after the pool.
  const killed = await killNineCase();
  const paused = await pausedReaderCases();
  judgements.push(killed.judgement, ...paused.judgements);
  const counts = { inProcess: argvCases.length, processes: processCases.length, inProcessMs };
  for (const line of [killed.figures, ...paused.figures]) console.log(line);
  report(judgements, counts, wallClockMs() - startMs);
  const failures = judgements.filter((j) => !j.passed).length;
  if (failures === 0) for (const dir of [root, apart.work]) rmSync(dir, { recursive: true, force: true });
  else console.log(`inputs and outputs kept in ${root} and ${apart.work}`);
  return failures === 0 ? 0 : 1;
}

process.exitCode = await main();
