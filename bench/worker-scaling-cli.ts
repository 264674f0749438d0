/**
 * `--workers 2` against `--workers 1` as a user meets them: each campaign a fresh process of the
 * compiled command line (`node dist/cli.js fuzz ...`, what an installed package runs), so both
 * worker counts start from cold, every thread compiling its code on the way, instead of a warm
 * main thread racing a cold worker as in the in-process comparison (worker-scaling.ts). The
 * process's CPU time, all its threads together, is reported by a module preloaded into it.
 *
 * Beside them, the same runs split in two by `--shard 1/2` and `--shard 2/2`, two `--workers 1`
 * processes at once that share nothing but the machine: whether a pool of processes would scale
 * better than the pool of threads.
 */
import { spawn } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { pathToFileURL } from 'node:url';
import { freshCompiledWorker, sourceRoot } from '../sim/campaign/index.ts';
import { wallClockMs } from '../sim/core/index.ts';
import type { Cost } from './measure.ts';
import { WORKER_COUNTS, type WorkerCount } from './worker-scaling.ts';

export interface CliWorkerScaling {
  runs: number;
  passes: number;
  /** Per pass, each worker count's campaign process. */
  campaigns: Record<WorkerCount, Cost[]>;
  /** Per pass, the two shard processes at once: wall time until both end, CPU time of both. */
  shards: Cost[];
  /** The campaigns' failure counts (the shards' summed): all zero on `fixed`, and all alike. */
  failures: number[];
}

/** The line the preloaded module writes to stderr as the process exits. */
const CPU_LINE = 'ssesim-bench-cpu-us ';
const CPU_AT_EXIT = `process.on('exit', () => {
  const { user, system } = process.cpuUsage();
  process.stderr.write('\\n${CPU_LINE}' + (user + system) + '\\n');
});
`;

interface Campaign {
  cost: Cost;
  failures: number;
}

/** The two halves of a campaign's runs, each for a process of its own. */
const SHARDS = ['1/2', '2/2'] as const;

function runCampaignProcess(
  cli: string,
  preload: string,
  runs: number,
  workers: WorkerCount,
  out: string,
  shard?: string,
) {
  const args = [
    ...['--import', pathToFileURL(preload).href, cli, 'fuzz', '--transport-version', 'fixed'],
    ...['--runs', String(runs), '--seed', '1', '--workers', String(workers)],
    ...['--shrink-runs', '0', '--culprit-runs', '0', '--json', '--out', out],
    ...(shard === undefined ? [] : ['--shard', shard]),
  ];
  return new Promise<Campaign>((resolve, reject) => {
    const startMs = wallClockMs();
    const child = spawn(process.execPath, args, { stdio: ['ignore', 'pipe', 'pipe'] });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => (stdout += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    child.on('error', reject);
    child.on('close', (code) => {
      const wallMs = wallClockMs() - startMs;
      const cpuLine = stderr.split('\n').find((line) => line.startsWith(CPU_LINE));
      if (code !== 0 || cpuLine === undefined) {
        reject(
          new Error(
            `fuzz --workers ${workers}${shard ? ` --shard ${shard}` : ''} exited ${code}: ${stderr.trim().slice(-500)}`,
          ),
        );
        return;
      }
      const summary = JSON.parse(stdout) as { failures: number };
      resolve({ cost: { cpuMs: Number(cpuLine.slice(CPU_LINE.length)) / 1000, wallMs }, failures: summary.failures });
    });
  });
}

/** Both shards of the campaign at once, one `--workers 1` process each. */
async function runShardProcesses(cli: string, preload: string, runs: number, out: string): Promise<Campaign> {
  const startMs = wallClockMs();
  const halves = await Promise.all(
    SHARDS.map((shard, i) => runCampaignProcess(cli, preload, runs, 1, `${out}-${i + 1}`, shard)),
  );
  const cpuMs = halves.reduce((total, half) => total + half.cost.cpuMs, 0);
  const failures = halves.reduce((total, half) => total + half.failures, 0);
  return { cost: { cpuMs, wallMs: wallClockMs() - startMs }, failures };
}

/** Null when `dist/` is missing or older than the sources: `npm run build` first. */
export async function measureCliWorkerScaling(runs: number, passes: number): Promise<CliWorkerScaling | null> {
  const root = sourceRoot();
  if (freshCompiledWorker(root) === null) return null;
  const cli = join(root, 'dist', 'cli.js');
  const dir = mkdtempSync(join(tmpdir(), 'ssesim-workers-cli-'));
  const preload = join(dir, 'cpu-at-exit.mjs');
  writeFileSync(preload, CPU_AT_EXIT);
  const scaling: CliWorkerScaling = { runs, passes, campaigns: { 1: [], 2: [] }, shards: [], failures: [] };
  const contenders = [...WORKER_COUNTS, 'shards'] as const;
  try {
    for (let pass = 0; pass < passes; pass++) {
      // Each pass starts with the next contender, so none always runs first or last.
      const order = contenders.map((_, i) => contenders[(i + pass) % contenders.length]!);
      for (const contender of order) {
        const out = join(dir, `${pass}-${contender}`);
        if (contender === 'shards') {
          const pair = await runShardProcesses(cli, preload, runs, out);
          scaling.shards.push(pair.cost);
          scaling.failures.push(pair.failures);
        } else {
          const campaign = await runCampaignProcess(cli, preload, runs, contender, out);
          scaling.campaigns[contender].push(campaign.cost);
          scaling.failures.push(campaign.failures);
        }
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return scaling;
}
