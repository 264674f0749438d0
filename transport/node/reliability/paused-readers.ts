/**
 * Server memory under clients that misbehave, measured on real sockets. Not part of `npm test`:
 *   tsx transport/node/reliability/paused-readers.ts [--baseline REV] [--readers N] [--prompts N]
 * Two loads, each against this tree's server and, with --baseline, against the transport of git
 * revision REV (checked out into a temporary folder), each server in a process of its own:
 * - paused readers: N clients open a stream, watch every session and stop reading; one more
 *   client sends prompts of 100 KB, so every prompt is a 100 KB frame for each paused reader.
 * - queue flood: one client sends prompts of 250 KB to one session as fast as it can, behind a
 *   slow agent, so prompts wait in the session's queue.
 * It prints, per server and load, the peak RSS (VmHWM), the RSS when the load ended and a few
 * seconds after the clients left, and how the server answered.
 */
import { execFileSync, spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import { openStream, post } from './loopback-client.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const REPO = path.resolve(here, '..', '..', '..');
const SESSIONS = 20;
const READER_PROMPT_BYTES = 100 * 1024;
const FLOOD_PROMPT_BYTES = 250 * 1024;
/** How long the server gets to give memory back once its clients are gone. */
const SETTLE_MS = 3000;
const MB = 1024 * 1024;

interface ServerProcess {
  child: ChildProcess;
  url: string;
  warnings: () => string[];
}

export interface Figures {
  server: string;
  load: string;
  startMb: number;
  peakMb: number;
  endMb: number;
  afterMb: number;
  answers: string;
  overruns: number;
}

function memoryOf(pid: number): { rssMb: number; peakMb: number } {
  const status = fs.readFileSync(`/proc/${pid}/status`, 'utf8');
  const kb = (field: string) => Number(new RegExp(`^${field}:\\s+(\\d+) kB`, 'm').exec(status)?.[1] ?? NaN);
  return { rssMb: kb('VmRSS') / 1024, peakMb: kb('VmHWM') / 1024 };
}

function startServer(root: string, agent: 'none' | 'simulated', dir: string): Promise<ServerProcess> {
  const db = path.join(dir, `chat-${Date.now()}.db`);
  // Node itself with tsx's loader, not the tsx launcher: the measured pid must be the server's.
  const args = ['--import', 'tsx', path.join(here, 'measured-server.ts'), '--root', root, '--db', db, '--agent', agent];
  const child = spawn(process.execPath, args, { cwd: REPO, stdio: ['ignore', 'pipe', 'pipe'] });
  const lines: string[] = [];
  let stderr = '';
  child.stderr!.setEncoding('utf8').on('data', (chunk: string) => {
    stderr += chunk;
    const parts = stderr.split('\n');
    stderr = parts.pop()!;
    lines.push(...parts);
  });
  return new Promise((resolve, reject) => {
    let stdout = '';
    child.stdout!.setEncoding('utf8').on('data', (chunk: string) => {
      stdout += chunk;
      if (stdout.includes('\n')) resolve({ child, url: stdout.trim(), warnings: () => lines });
    });
    child.on('exit', (code) => reject(new Error(`server exited with ${code}: ${lines.join(' | ')}`)));
  });
}

function stopServer(server: ServerProcess): Promise<void> {
  return new Promise((resolve) => {
    server.child.removeAllListeners('exit');
    server.child.once('exit', () => resolve());
    server.child.kill('SIGTERM');
  });
}

function countStatuses(statuses: number[]): string {
  const counts = new Map<number, number>();
  for (const status of statuses) counts.set(status, (counts.get(status) ?? 0) + 1);
  return [...counts].map(([status, count]) => `${count}x ${status === 0 ? 'failed' : status}`).join(', ');
}

async function settle(): Promise<void> {
  await new Promise((resolve) => setTimeout(resolve, SETTLE_MS));
}

async function pausedReadersLoad(server: ServerProcess, readers: number, prompts: number) {
  const paused = await Promise.all(Array.from({ length: readers }, () => openStream(server.url, false)));
  for (const { connectionId } of paused) {
    for (let s = 1; s <= SESSIONS; s++)
      await post(server.url, connectionId, 'watch', { type: 'watch', sessionId: `s${s}` });
  }
  const sender = await openStream(server.url, true);
  const prompt = 'r'.repeat(READER_PROMPT_BYTES);
  const statuses: number[] = [];
  for (let i = 0; i < prompts; i++) {
    const body = { type: 'send', sessionId: `s${(i % SESSIONS) + 1}`, clientMsgId: `r${i}`, prompt };
    statuses.push(await post(server.url, sender.connectionId, 'send', body));
  }
  return { statuses, leave: () => [...paused, sender].forEach(({ request }) => request.destroy()) };
}

async function queueFloodLoad(server: ServerProcess, prompts: number) {
  const sender = await openStream(server.url, true);
  const prompt = 'f'.repeat(FLOOD_PROMPT_BYTES);
  const statuses: number[] = [];
  for (let i = 0; i < prompts; i++) {
    statuses.push(
      await post(server.url, sender.connectionId, 'send', {
        type: 'send',
        sessionId: 's1',
        clientMsgId: `f${i}`,
        prompt,
      }),
    );
  }
  return { statuses, leave: () => sender.request.destroy() };
}

export async function measure(
  label: string,
  root: string,
  dir: string,
  load: 'paused readers' | 'queue flood',
  options: { readers: number; prompts: number; floodPrompts: number },
): Promise<Figures> {
  const server = await startServer(root, load === 'queue flood' ? 'simulated' : 'none', dir);
  const pid = server.child.pid!;
  try {
    const startMb = memoryOf(pid).rssMb;
    const run =
      load === 'paused readers'
        ? await pausedReadersLoad(server, options.readers, options.prompts)
        : await queueFloodLoad(server, options.floodPrompts);
    const endMb = memoryOf(pid).rssMb;
    run.leave();
    await settle();
    const { rssMb: afterMb, peakMb } = memoryOf(pid);
    const overruns = server.warnings().filter((line) => line.includes('server.stream.overrun')).length;
    return { server: label, load, startMb, peakMb, endMb, afterMb, answers: countStatuses(run.statuses), overruns };
  } finally {
    await stopServer(server);
  }
}

/** The transport of `revision`, checked out next to a link to this repo's node_modules. */
function checkOutBaseline(revision: string, dir: string): string {
  const tree = path.join(dir, 'baseline');
  fs.mkdirSync(tree);
  const archive = execFileSync('git', ['-C', REPO, 'archive', revision, 'transport'], { maxBuffer: 256 * MB });
  execFileSync('tar', ['-x', '-C', tree], { input: archive });
  fs.symlinkSync(path.join(REPO, 'node_modules'), path.join(tree, 'node_modules'));
  return path.join(tree, 'transport');
}

function printFigures(rows: Figures[]): void {
  const mb = (value: number) => `${value.toFixed(0)} MB`.padStart(8);
  process.stdout.write('server      load            start     peak      end   after  overruns  answers\n');
  for (const row of rows) {
    const cells = [row.server.padEnd(11), row.load.padEnd(14), mb(row.startMb), mb(row.peakMb), mb(row.endMb)];
    process.stdout.write(`${cells.join(' ')} ${mb(row.afterMb)} ${String(row.overruns).padStart(9)}  ${row.answers}\n`);
  }
}

async function main(): Promise<void> {
  const { values } = parseArgs({
    options: {
      baseline: { type: 'string' },
      readers: { type: 'string', default: '20' },
      prompts: { type: 'string', default: '400' },
      'flood-prompts': { type: 'string', default: '1500' },
    },
  });
  const options = {
    readers: Number(values.readers),
    prompts: Number(values.prompts),
    floodPrompts: Number(values['flood-prompts']),
  };
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssesim-reliability-'));
  try {
    const servers: [string, string][] = [['this tree', path.join(REPO, 'transport')]];
    if (values.baseline) servers.unshift([values.baseline.slice(0, 10), checkOutBaseline(values.baseline, dir)]);
    const rows: Figures[] = [];
    for (const load of ['paused readers', 'queue flood'] as const) {
      for (const [label, root] of servers) rows.push(await measure(label, root, dir, load, options));
    }
    printFigures(rows);
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

/** The transport of this tree, for callers that measure it alone (the reliability suite). */
export const THIS_TREE = path.join(REPO, 'transport');

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  main().catch((error: unknown) => {
    process.stderr.write(`paused-readers: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exit(1);
  });
}
