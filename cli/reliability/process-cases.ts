/**
 * The reliability cases that need a real process: inputs that used to hang (a named pipe, an
 * endless device, a folder on /proc), a campaign interrupted by SIGINT or SIGTERM once or twice
 * with one worker and with two, a scenario within every named limit that used to run away, and a
 * sample of the in-process cases run again as processes to show the two agree.
 */
import { execFileSync } from 'node:child_process';
import { existsSync, mkdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import * as timers from 'node:timers';
import { resolveScenario } from '../../scenarios/load-scenario.ts';
import { validateScenario } from '../../scenarios/validate-scenario.ts';
import { TINY_FAULTY } from '../../sim/testing/tiny-scenarios.ts';
import { GOOD_REPRO_FILE, GOOD_RESULT_FILE, type ArgvCase, type CaseDirs } from './file-cases.ts';
import { added, hasStackTrace, judgeUsage, treeOf, type Judgement, type Outcome } from './outcome.ts';
import { spawnCli } from './spawn-cli.ts';

export type ProcessCase = { name: string; run: () => Promise<Judgement> };

/** A bad input answers within seconds; past this it is counted as a hang. */
const BAD_INPUT_TIMEOUT_MS = 30_000;
const CAMPAIGN_TIMEOUT_MS = 90_000;
const SECOND_SIGNAL_DELAY_MS = 200;
/** A run at the work budget takes about ten seconds alone; on a shared machine, a few times that. */
const RUNAWAY_WALL_MS_MAX = 60_000;
/** The run, then its repro: a trace sidecar of two million lines takes a while to write. */
const RUNAWAY_TIMEOUT_MS = 240_000;

/** A bad input run as a process, judged as in process: exit 2, one line, nothing written under `root`. */
export function spawnedUsageCase(root: string, dirs: CaseDirs, { name, argv }: ArgvCase): ProcessCase {
  return {
    name: `process: ${name}`,
    run: async () => {
      const before = treeOf(root);
      const outcome = await spawnCli(argv, { cwd: dirs.work, timeoutMs: BAD_INPUT_TIMEOUT_MS });
      return judgeUsage(`process: ${name}`, outcome, added(before, treeOf(root)), argv.includes('--json'));
    },
  };
}

/** Inputs that once blocked forever or never ended; each must now be refused at once. */
export function hangCases(root: string, dirs: CaseDirs): ProcessCase[] {
  const fifo = join(dirs.inputs, 'a-pipe.json');
  if (!existsSync(fifo)) execFileSync('mkfifo', [fifo]);
  const repro = join(dirs.inputs, GOOD_REPRO_FILE);
  const result = join(dirs.inputs, GOOD_RESULT_FILE);
  const argvs: string[][] = [
    ...[fifo, '/dev/zero', '/dev/urandom', dirs.inputs].flatMap((file) => [
      ['run', file],
      ['fuzz', '--scenario', file, '--runs', '1'],
      ['replay', file],
      ['shrink', file],
      ['report', file, '--out', join(dirs.work, 'never')],
    ]),
    ['run', 'calm', '--out', '/proc/ssesim-x'],
    ['fuzz', '--runs', '1', '--out', '/proc/ssesim-x'],
    ['report', result, '--out', '/proc/ssesim-x'],
    ['shrink', repro, '--out', '/proc/ssesim-x/shrunk.json'],
    ['run', 'calm', '--store', '/proc/ssesim-x/store.db'],
    ['run', 'calm', '--out', '/sys/ssesim-x'],
  ];
  return argvs.map((argv) => spawnedUsageCase(root, dirs, { name: `hang: ${argv.join(' ')}`, argv }));
}

function judge(name: string, outcome: Outcome, why: string[]): Judgement {
  const stackTrace = hasStackTrace(outcome.stderr);
  if (stackTrace) why.push('stack trace');
  if (outcome.timedOut) why.push(`no exit within the time limit (${outcome.wallMs} ms)`);
  return { name, passed: why.length === 0, stackTrace, hang: outcome.timedOut, why, wallMs: outcome.wallMs };
}

/** A campaign stopped by `signals` (one, or two as npx and a terminal both send one) once it has run. */
function signalCase(dirs: CaseDirs, signals: NodeJS.Signals[], workers: number): ProcessCase {
  const name = `signal: ${signals.join(' + ')} with ${workers} worker${workers === 1 ? '' : 's'}`;
  return {
    name,
    run: async () => {
      const out = join(dirs.work, `signal-${signals.join('-')}-${workers}`);
      const scenario = join(dirs.inputs, 'tiny-faulty.json');
      const argv = ['fuzz', '--time', '120', '--version', 'base', '--scenario', scenario, '--workers', String(workers)];
      const outcome = await spawnCli([...argv, '--force-workers', '--shrink-runs', '0', '--out', out], {
        cwd: dirs.work,
        timeoutMs: CAMPAIGN_TIMEOUT_MS,
        onStart: (child) => {
          let sent = false;
          child.stderr!.on('data', (chunk: Buffer) => {
            if (sent || !chunk.toString('utf8').includes('new failure')) return;
            sent = true;
            // The second a moment later: sent together, the kernel may merge two into one.
            signals.forEach((signal, i) => timers.setTimeout(() => child.kill(signal), i * SECOND_SIGNAL_DELAY_MS));
          });
        },
      });
      const why: string[] = [];
      // A second signal is allowed to end the process once the summary is out: it may land while the
      // process is already exiting with 130, when Node no longer runs handlers and the signal ends it.
      const quitAfterSummary = outcome.code === null && outcome.signal === signals.at(-1) && signals.length > 1;
      if (outcome.code !== 130 && !quitAfterSummary) why.push(`exit ${outcome.code}, expected 130`);
      if (!/campaign: \d+ runs on base/.test(outcome.stdout)) why.push('no summary on stdout');
      if (!outcome.stdout.includes('interrupted')) why.push('the summary does not say it was interrupted');
      for (const file of ['summary.txt', 'junit.xml'])
        if (!existsSync(join(out, file))) why.push(`no ${file} in the output folder`);
      return judge(name, outcome, why);
    },
  };
}

export function signalCases(dirs: CaseDirs): ProcessCase[] {
  writeFileSync(join(dirs.inputs, 'tiny-faulty.json'), JSON.stringify(TINY_FAULTY));
  const combos: NodeJS.Signals[][] = [['SIGINT'], ['SIGINT', 'SIGINT'], ['SIGTERM'], ['SIGTERM', 'SIGTERM']];
  return [1, 2].flatMap((workers) => combos.map((signals) => signalCase(dirs, signals, workers)));
}

/** Within every named limit, yet once past 120 s and 4 GB: now it ends at the work budget. */
export function runawayCase(dirs: CaseDirs): ProcessCase {
  const base = resolveScenario('default');
  const scenario = validateScenario({
    ...base,
    name: 'runaway',
    clients: 8,
    sessions: 6,
    workload: { ...base.workload, promptsPerClient: 1000, promptGapMsMin: 0, promptGapMsMax: 0 },
    agent: { ...base.agent, stepDelayMsMin: 0, stepDelayMsMax: 0, stepsMin: 100, stepsMax: 100 },
    phases: { chaosMs: 3_600_000, healMs: 3_600_000 },
    stepLimit: 10_000_000,
  });
  const file = join(dirs.inputs, 'runaway.json');
  writeFileSync(
    file,
    JSON.stringify({ ...scenario, workload: { ...scenario.workload, burstChance: [1, 1], burstPrompts: 300 } }),
  );
  const name = 'runaway: a scenario within every limit ends with verdict step-limit at the work budget';
  return {
    name,
    run: async () => {
      const outcome = await spawnCli(['run', file, '--json'], { cwd: dirs.work, timeoutMs: RUNAWAY_TIMEOUT_MS });
      const why: string[] = [];
      if (outcome.code !== 1) why.push(`exit ${outcome.code}, expected 1`);
      const run = /"wallMs": (\d+)/.exec(outcome.stdout);
      if (!/"verdict": "step-limit"/.test(outcome.stdout)) why.push('verdict is not step-limit');
      if (run && Number(run[1]) > RUNAWAY_WALL_MS_MAX)
        why.push(`the run took ${run[1]} ms, over ${RUNAWAY_WALL_MS_MAX}`);
      return judge(name, outcome, why);
    },
  };
}

export function ensureDirs(dirs: CaseDirs): void {
  mkdirSync(dirs.inputs, { recursive: true });
  mkdirSync(dirs.work, { recursive: true });
}
