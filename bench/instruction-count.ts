/**
 * ssesim, its peer and its floor in instructions instead of CPU time: each counted by callgrind
 * (valgrind) in a process of its own under `node --predictable`, which makes V8 compile and
 * collect on the main thread at moments the program decides, so the count of the same work is
 * the same within about a percent however busy the machine is. CPU time on a shared machine
 * moves by a fifth from one pass to the next; a count does not, so a change's effect shows in
 * one run. Instructions are not time (a cache miss costs more than an add), so the CPU ratios
 * stay the headline; a count says where the CPU ratios would be without the noise.
 *
 * Each contender's count is that of a process that ran it for some passes less that of a process
 * that ran it for none (instruction-count-child.ts: the same start and warm-up in both), over
 * cases this process prepared once and wrote to a file for all of them.
 */
import { spawn, spawnSync } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { availableParallelism, tmpdir } from 'node:os';
import { join } from 'node:path';
import { serialize } from 'node:v8';
import { fileURLToPath } from 'node:url';
import { wallClockMs } from '../sim/core/index.ts';
import type { Contender, SeedCase } from './peer-comparison.ts';

/** The contenders counted: the floor with the harness's calls adds nothing a count would show. */
export const COUNTED = ['ssesim', 'calm', 'peer', 'floor'] as const satisfies readonly Contender[];
export type Counted = (typeof COUNTED)[number];

export type InstructionCount =
  | { seeds: number; passes: number; perRun: Record<Counted, number>; wallMs: number }
  | { skipped: string };

const CHILD = fileURLToPath(new URL('./instruction-count-child.ts', import.meta.url));
const ROOT = fileURLToPath(new URL('..', import.meta.url));
const COLLECTED = /Collected : (\d+)/;

/** Counts every contender's instructions per run over `seeds` seeds, `passes` passes each. */
export async function countInstructions(cases: readonly SeedCase[], passes: number): Promise<InstructionCount> {
  const probe = spawnSync('valgrind', ['--version'], { encoding: 'utf8' });
  if (probe.error || probe.status !== 0) return { skipped: 'valgrind not found (Debian: apt-get install valgrind)' };
  const startMs = wallClockMs();
  const dir = mkdtempSync(join(tmpdir(), 'ssesim-instructions-'));
  try {
    const casesPath = join(dir, 'cases.v8');
    // v8's serialisation, not JSON: a case holds Buffers (a database image) and undefined members.
    writeFileSync(casesPath, serialize(cases));
    const jobs = COUNTED.flatMap((contender) => [0, passes].map((n) => () => countProcess(contender, n, casesPath)));
    const counts = await inParallel(jobs);
    const perRun = Object.fromEntries(
      COUNTED.map((contender, i) => [contender, (counts[2 * i + 1]! - counts[2 * i]!) / (passes * cases.length)]),
    ) as Record<Counted, number>;
    return { seeds: cases.length, passes, perRun, wallMs: wallClockMs() - startMs };
  } finally {
    rmSync(dir, { recursive: true, force: true });
  }
}

async function inParallel<T>(tasks: (() => Promise<T>)[]): Promise<T[]> {
  const results: T[] = new Array<T>(tasks.length);
  let next = 0;
  const lane = async () => {
    while (next < tasks.length) {
      const index = next++;
      results[index] = await tasks[index]!();
    }
  };
  await Promise.all(Array.from({ length: Math.max(1, availableParallelism()) }, lane));
  return results;
}

function countProcess(contender: Counted, passes: number, casesPath: string): Promise<number> {
  const args = [
    ...['--tool=callgrind', '--callgrind-out-file=/dev/null', '--smc-check=all-non-file'],
    ...[process.execPath, '--predictable', '--import', 'tsx', CHILD, contender, String(passes), casesPath],
  ];
  return new Promise((resolve, reject) => {
    const child = spawn('valgrind', args, { cwd: ROOT, stdio: ['ignore', 'ignore', 'pipe'] });
    let stderr = '';
    child.stderr.setEncoding('utf8').on('data', (text: string) => (stderr += text));
    child.on('error', reject);
    child.on('close', (code) => {
      const collected = COLLECTED.exec(stderr)?.[1];
      if (code === 0 && collected !== undefined) resolve(Number(collected));
      else reject(new Error(`callgrind of ${contender} (${passes} passes) exited ${code}: ${stderr.slice(-400)}`));
    });
  });
}
