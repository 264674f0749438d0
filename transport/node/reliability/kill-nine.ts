/**
 * Durability under `kill -9`, on real sockets and a real SQLite file. Not part of `npm test`:
 *   tsx transport/node/reliability/kill-nine.ts [--cycles N] [--prompts N]
 * Each cycle starts the server on the same database file, opens a stream, watches a session and
 * posts prompts, some of them again with a clientMsgId acknowledged in an earlier cycle (a client
 * retrying after an ambiguous outcome), then kills the server with SIGKILL at a moment drawn from
 * a seeded stream while POSTs are in flight. At the end the file is read directly and checked:
 * every acknowledged prompt is stored exactly once, no clientMsgId is stored twice, and every
 * session's chain of prevSessionSeq links is intact.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import fs from 'node:fs';
import net from 'node:net';
import os from 'node:os';
import path from 'node:path';
import { fileURLToPath } from 'node:url';
import { parseArgs } from 'node:util';
import Database from 'better-sqlite3';
import { openStream, post } from './loopback-client.ts';

const here = path.dirname(fileURLToPath(import.meta.url));
const MAIN = path.join(here, '..', 'main.ts');
const SESSIONS = ['s1', 's2', 's3'];
/** How long a server gets to print that it listens before the cycle counts as a failure. */
const START_TIMEOUT_MS = 20_000;
/** The kill lands this long after the first POST of a cycle, drawn per cycle. */
const KILL_AFTER_MS = { min: 5, max: 250 } as const;

export interface KillNineFigures {
  cycles: number;
  posted: number;
  acknowledged: number;
  lost: number;
  duplicated: number;
  brokenLinks: number;
  problems: string[];
}

/** A small seeded generator (mulberry32): the test's choices repeat from run to run. */
function seeded(seed: number): (min: number, max: number) => number {
  let state = seed >>> 0;
  return (min, max) => {
    state = (state + 0x6d2b79f5) >>> 0;
    let t = state;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    const unit = ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
    return min + Math.floor(unit * (max - min + 1));
  };
}

async function freePort(): Promise<number> {
  return new Promise((resolve, reject) => {
    const server = net.createServer();
    server.once('error', reject);
    server.listen(0, '127.0.0.1', () => {
      const { port } = server.address() as net.AddressInfo;
      server.close(() => resolve(port));
    });
  });
}

async function startServer(db: string): Promise<{ child: ChildProcess; url: string }> {
  const port = await freePort();
  const child = spawn(process.execPath, ['--import', 'tsx', MAIN, '--db', db, '--port', String(port)], {
    stdio: ['ignore', 'pipe', 'pipe'],
  });
  const url = await new Promise<string>((resolve, reject) => {
    const timer = setTimeout(() => reject(new Error('the server did not start in time')), START_TIMEOUT_MS);
    child.stdout!.on('data', (chunk: Buffer) => {
      const match = /on (http:\/\/\S+),/.exec(chunk.toString('utf8'));
      if (match) {
        clearTimeout(timer);
        resolve(match[1]!);
      }
    });
    child.once('exit', (code) => reject(new Error(`the server exited with ${code} before listening`)));
  });
  return { child, url };
}

interface CycleState {
  acknowledged: Map<string, string>;
  posted: number;
}

async function runCycle(
  db: string,
  cycle: number,
  prompts: number,
  draw: ReturnType<typeof seeded>,
  state: CycleState,
) {
  const { child, url } = await startServer(db);
  let stream: Awaited<ReturnType<typeof openStream>> | undefined;
  const exited = new Promise((resolve) => child.once('exit', resolve));
  try {
    stream = await openStream(url, true);
    const { connectionId } = stream;
    for (const sessionId of SESSIONS) await post(url, connectionId, 'watch', { type: 'watch', sessionId });
    const earlier = [...state.acknowledged.entries()];
    const sends = Array.from({ length: prompts }, (_, i) => {
      // Every fourth prompt repeats an acknowledged id: the store must answer it without a second copy.
      const repeat = i % 4 === 3 && earlier.length > 0 ? earlier[draw(0, earlier.length - 1)]! : undefined;
      const clientMsgId = repeat?.[0] ?? `k${cycle}-${i}`;
      const sessionId = repeat?.[1] ?? SESSIONS[draw(0, SESSIONS.length - 1)]!;
      return { clientMsgId, sessionId };
    });
    const killAt = setTimeout(() => child.kill('SIGKILL'), draw(KILL_AFTER_MS.min, KILL_AFTER_MS.max));
    await Promise.all(
      sends.map(async ({ clientMsgId, sessionId }, i) => {
        await new Promise((resolve) => setTimeout(resolve, i));
        state.posted += 1;
        const body = { type: 'send', sessionId, clientMsgId, prompt: `prompt ${clientMsgId}` };
        const status = await post(url, connectionId, 'send', body);
        if (status >= 200 && status < 300) state.acknowledged.set(clientMsgId, sessionId);
      }),
    );
    clearTimeout(killAt);
  } finally {
    stream?.request.destroy();
    child.kill('SIGKILL');
    await exited;
  }
}

/** What the file holds, checked against what the server acknowledged. */
export function checkStore(
  db: string,
  acknowledged: ReadonlyMap<string, string>,
): Omit<KillNineFigures, 'cycles' | 'posted'> {
  const store = new Database(db, { readonly: true });
  try {
    const rows = store
      .prepare('SELECT seq, session_id, type, payload, prev_session_seq FROM events ORDER BY seq')
      .all() as {
      seq: number;
      session_id: string;
      type: string;
      payload: string;
      prev_session_seq: number;
    }[];
    const stored = new Map<string, number>();
    const lastSeqOf = new Map<string, number>();
    const problems: string[] = [];
    let brokenLinks = 0;
    for (const row of rows) {
      const expectedPrev = lastSeqOf.get(row.session_id) ?? 0;
      if (row.prev_session_seq !== expectedPrev) {
        brokenLinks += 1;
        problems.push(`seq ${row.seq} of ${row.session_id} links to ${row.prev_session_seq}, expected ${expectedPrev}`);
      }
      lastSeqOf.set(row.session_id, row.seq);
      if (row.type !== 'user_message') continue;
      const id = String((JSON.parse(row.payload) as { clientMsgId?: unknown }).clientMsgId);
      stored.set(id, (stored.get(id) ?? 0) + 1);
    }
    const lost = [...acknowledged.keys()].filter((id) => !stored.has(id));
    const duplicated = [...stored.entries()].filter(([, count]) => count > 1).map(([id]) => id);
    for (const id of lost.slice(0, 5)) problems.push(`acknowledged prompt ${id} is not stored`);
    for (const id of duplicated.slice(0, 5)) problems.push(`prompt ${id} is stored ${stored.get(id)} times`);
    return { acknowledged: acknowledged.size, lost: lost.length, duplicated: duplicated.length, brokenLinks, problems };
  } finally {
    store.close();
  }
}

export async function killNine(options: { cycles: number; prompts: number; seed?: number }): Promise<KillNineFigures> {
  const dir = fs.mkdtempSync(path.join(os.tmpdir(), 'ssesim-kill-nine-'));
  const db = path.join(dir, 'chat.db');
  const draw = seeded(options.seed ?? 1);
  const state: CycleState = { acknowledged: new Map(), posted: 0 };
  try {
    for (let cycle = 0; cycle < options.cycles; cycle++) await runCycle(db, cycle, options.prompts, draw, state);
    return { cycles: options.cycles, posted: state.posted, ...checkStore(db, state.acknowledged) };
  } finally {
    fs.rmSync(dir, { recursive: true, force: true });
  }
}

if (process.argv[1] === fileURLToPath(import.meta.url)) {
  const { values } = parseArgs({
    options: { cycles: { type: 'string', default: '20' }, prompts: { type: 'string', default: '60' } },
  });
  const figures = await killNine({ cycles: Number(values.cycles), prompts: Number(values.prompts) });
  console.log(JSON.stringify(figures, null, 2));
  process.exitCode = figures.lost + figures.duplicated + figures.brokenLinks === 0 ? 0 : 1;
}
