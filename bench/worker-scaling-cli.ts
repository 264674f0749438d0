/**
 * `--workers 2` against `--workers 1` as a user meets them: each campaign a fresh process of the
 * compiled command line (`node dist/cli.js fuzz ...`, what an installed package runs), so both
 * worker counts start from cold, every thread compiling its code on the way, instead of a warm
 * main thread racing a cold worker as in the in-process comparison (worker-scaling.ts). The
 * process's CPU time, all its threads together, is reported by a module preloaded into it.
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
  /** The campaigns' failure counts: all zero on `fixed`, and the same for either worker count. */
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

function runCampaignProcess(cli: string, preload: string, runs: number, workers: WorkerCount, out: string) {
  const args = [
    ...['--import', pathToFileURL(preload).href, cli, 'fuzz', '--transport-version', 'fixed'],
    ...['--runs', String(runs), '--seed', '1', '--workers', String(workers)],
    ...['--shrink-runs', '0', '--culprit-runs', '0', '--json', '--out', out],
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
        reject(new Error(`fuzz --workers ${workers} exited ${code}: ${stderr.trim().slice(-500)}`));
        return;
      }
      const summary = JSON.parse(stdout) as { failures: number };
      resolve({ cost: { cpuMs: Number(cpuLine.slice(CPU_LINE.length)) / 1000, wallMs }, failures: summary.failures });
    });
  });
}

/** Null when `dist/` is missing or older than the sources: `npm run build` first. */
export async function measureCliWorkerScaling(runs: number, passes: number): Promise<CliWorkerScaling | null> {
  const root = sourceRoot();
  if (freshCompiledWorker(root) === null) return null;
  const cli = join(root, 'dist', 'cli.js');
  const dir = mkdtempSync(join(tmpdir(), 'ssesim-workers-cli-'));
  const preload = join(dir, 'cpu-at-exit.mjs');
  writeFileSync(preload, CPU_AT_EXIT);
  const scaling: CliWorkerScaling = { runs, passes, campaigns: { 1: [], 2: [] }, failures: [] };
  try {
    for (let pass = 0; pass < passes; pass++) {
      const order = pass % 2 === 0 ? WORKER_COUNTS : [...WORKER_COUNTS].reverse();
      for (const workers of order) {
        const campaign = await runCampaignProcess(cli, preload, runs, workers, join(dir, `${pass}-${workers}`));
        scaling.campaigns[workers].push(campaign.cost);
        scaling.failures.push(campaign.failures);
      }
    }
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
  return scaling;
}
