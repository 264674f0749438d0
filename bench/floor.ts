/**
 * The floor under any drive of the transport: only the SQLite statements and JSON calls one run
 * made, replayed against a fresh database in a tight loop. Nothing can do the same run for less
 * without doing less SQLite or JSON work, so "ssesim / floor" says how much everything else costs.
 *
 * Recording wraps better-sqlite3's Database and Statement methods and the global JSON.stringify
 * and JSON.parse for the duration of one run, and keeps each call in order with its parameters
 * (the SQL text and bound values; the text JSON produced or parsed). Each call is charged to its
 * owner, from the stack: the transport when its nearest project frame lies under transport/, else
 * the harness (the trace, the simulated network, the checks, and the end-state reads the checks
 * make through the store), so the transport's own share can be replayed alone too.
 */
import Database from 'better-sqlite3';
import { fileURLToPath } from 'node:url';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

export type Owner = 'transport' | 'harness';
type StatementCall = 'run' | 'get' | 'all';

export type RecordedOp = { owner: Owner } &
  /** `image`: what an in-memory database already held when first used (it was opened from a copy). */
  (
    | { op: 'open'; db: number; memory: boolean; image?: Buffer }
    | { op: 'close'; db: number }
    | { op: 'exec'; db: number; sql: string }
    | { op: 'pragma'; db: number; source: string }
    | { op: 'prepare'; db: number; statement: number; sql: string }
    | { op: StatementCall; statement: number; params: unknown[] }
    | { op: 'stringify'; text: string }
    | { op: 'parse'; text: string }
  );

export interface FloorRecording {
  ops: RecordedOp[];
}

/** A recording made ready to replay: stringify's values are rebuilt from their text beforehand. */
export type FloorProgram = (
  Exclude<RecordedOp, { op: 'stringify' }> | { op: 'stringify'; owner: Owner; value: unknown }
)[];

export interface FloorCounts {
  sqlCalls: number;
  jsonCalls: number;
  jsonChars: number;
}

const PROJECT_DIR = fileURLToPath(new URL('..', import.meta.url));
/**
 * Frames that act for their caller: the recorder's own, libraries, and the simulated Response,
 * whose json() stands in for the browser's (the client's parse of an answer is the client's work).
 */
const TRANSPARENT = ['bench/', 'node_modules/', 'sim/net/sim-response.ts'];
/** Functions that read the end state for the checks: what they call is the harness's, not the run's. */
const INSPECTION = /\bendState\b/;

/** Enough frames to reach the run's code from any SQLite or JSON call it makes. */
const STACK_FRAMES = 64;

/** The call sites of the current stack, without formatting them (formatting dominated a recording). */
function callSites(): NodeJS.CallSite[] {
  const { prepareStackTrace, stackTraceLimit } = Error;
  Error.prepareStackTrace = (_error, sites) => sites;
  Error.stackTraceLimit = STACK_FRAMES;
  try {
    const holder: { stack?: NodeJS.CallSite[] } = {};
    Error.captureStackTrace(holder, callSites);
    return holder.stack ?? [];
  } finally {
    Error.prepareStackTrace = prepareStackTrace;
    Error.stackTraceLimit = stackTraceLimit;
  }
}

/** The owner of the call being made, from the first project frame on the stack below the recorder's own. */
function ownerOfCall(): Owner {
  const sites = callSites();
  if (sites.some((site) => INSPECTION.test(site.getFunctionName() ?? ''))) return 'harness';
  for (const site of sites) {
    const file = site.getFileName() ?? '';
    const at = file.indexOf(PROJECT_DIR);
    if (at < 0) continue;
    const path = file.slice(at + PROJECT_DIR.length);
    if (TRANSPARENT.some((prefix) => path.startsWith(prefix))) continue;
    return path.startsWith('transport/') ? 'transport' : 'harness';
  }
  return 'harness';
}

type Restore = () => void;

/** Replaces `target[name]` with a wrapper that reports each outermost call after it returns. */
function wrapMethod(
  target: object,
  name: string,
  nesting: { depth: number },
  onCall: (self: unknown, args: unknown[], result: unknown) => void,
): Restore {
  const holder = target as Record<string, (...args: unknown[]) => unknown>;
  const original = holder[name]!;
  holder[name] = function wrapped(this: unknown, ...args: unknown[]) {
    nesting.depth += 1;
    let result: unknown;
    try {
      result = original.apply(this, args);
    } finally {
      nesting.depth -= 1;
    }
    // A pragma runs a statement of its own: only the call the run made counts.
    if (nesting.depth === 0) onCall(this, args, result);
    return result;
  };
  return () => void (holder[name] = original);
}

/** Runs `work` with every SQLite and JSON call recorded; the wrappers are gone when it settles. */
export async function recordFloor<T>(work: () => Promise<T>): Promise<{ value: T; recording: FloorRecording }> {
  const ops: RecordedOp[] = [];
  const restores = installRecorders(ops);
  try {
    return { value: await work(), recording: { ops } };
  } finally {
    for (const restore of restores.reverse()) restore();
  }
}

function installRecorders(ops: RecordedOp[]): Restore[] {
  const nesting = { depth: 0 };
  const dbIds = new WeakMap<object, number>();
  const statementIds = new WeakMap<object, number>();
  let nextDb = 1;
  let nextStatement = 1;
  const dbOf = (db: Database.Database, owner: Owner): number => {
    let id = dbIds.get(db);
    if (id === undefined) {
      dbIds.set(db, (id = nextDb++));
      const image = db.memory ? db.serialize() : undefined;
      ops.push({ op: 'open', owner, db: id, memory: db.memory, ...(image?.length ? { image } : {}) });
    }
    return id;
  };
  // Statements prepared out of sight (a transaction's BEGIN and COMMIT) are prepared on first use.
  const statementOf = (statement: Database.Statement, owner: Owner): number => {
    let id = statementIds.get(statement);
    if (id === undefined) {
      const db = dbOf(statement.database, owner);
      statementIds.set(statement, (id = nextStatement++));
      ops.push({ op: 'prepare', owner, db, statement: id, sql: statement.source });
    }
    return id;
  };
  const probe = new Database(':memory:');
  const statementProto = Object.getPrototypeOf(probe.prepare('SELECT 1')) as object;
  probe.close();
  const dbProto = Database.prototype as object;
  const restores: Restore[] = [
    wrapMethod(dbProto, 'prepare', nesting, (_db, _args, statement) =>
      statementOf(statement as Database.Statement, ownerOfCall()),
    ),
    wrapMethod(dbProto, 'exec', nesting, (db, [sql]) => {
      const owner = ownerOfCall();
      ops.push({ op: 'exec', owner, db: dbOf(db as Database.Database, owner), sql: String(sql) });
    }),
    wrapMethod(dbProto, 'pragma', nesting, (db, [source]) => {
      const owner = ownerOfCall();
      ops.push({ op: 'pragma', owner, db: dbOf(db as Database.Database, owner), source: String(source) });
    }),
    wrapMethod(dbProto, 'close', nesting, (db) => {
      const owner = ownerOfCall();
      ops.push({ op: 'close', owner, db: dbOf(db as Database.Database, owner) });
    }),
  ];
  for (const op of ['run', 'get', 'all'] as const) {
    restores.push(
      wrapMethod(statementProto, op, nesting, (statement, params) => {
        const owner = ownerOfCall();
        ops.push({ op, owner, statement: statementOf(statement as Database.Statement, owner), params: [...params] });
      }),
    );
  }
  restores.push(
    wrapMethod(JSON, 'stringify', nesting, (_json, _args, text) => {
      if (typeof text === 'string') ops.push({ op: 'stringify', owner: ownerOfCall(), text });
    }),
    wrapMethod(JSON, 'parse', nesting, (_json, [text]) => {
      ops.push({ op: 'parse', owner: ownerOfCall(), text: String(text) });
    }),
  );
  return restores;
}

/**
 * The recording as a program to replay: every call, or only the transport's. Opening, preparing
 * and closing stay in either: the transport owns its database, whoever first touched it.
 */
export function floorProgram(recording: FloorRecording, only: 'all' | 'transport' = 'all'): FloorProgram {
  const structural = new Set(['open', 'close', 'prepare', 'exec', 'pragma']);
  return recording.ops
    .filter((op) => only === 'all' || op.owner === 'transport' || structural.has(op.op))
    .map((op) => (op.op === 'stringify' ? { op: 'stringify', owner: op.owner, value: JSON.parse(op.text) } : op));
}

export function countsOf(program: FloorProgram): FloorCounts {
  const counts: FloorCounts = { sqlCalls: 0, jsonCalls: 0, jsonChars: 0 };
  for (const op of program) {
    if (op.op === 'parse') counts.jsonChars += op.text.length;
    if (op.op === 'stringify') counts.jsonChars += JSON.stringify(op.value).length;
    if (op.op === 'parse' || op.op === 'stringify') counts.jsonCalls += 1;
    else counts.sqlCalls += 1;
  }
  return counts;
}

/** What a replay produced, returned so that none of its work is dead code to the JIT. */
export interface FloorOutput {
  rows: number;
  jsonChars: number;
}

/** Replays a program on fresh databases. */
export function replayFloor(program: FloorProgram): FloorOutput {
  const dbs = new Map<number, { db: Database.Database; dir?: string }>();
  const statements = new Map<number, Database.Statement>();
  let rows = 0;
  let jsonChars = 0;
  for (const op of program) {
    switch (op.op) {
      case 'stringify':
        jsonChars += JSON.stringify(op.value).length;
        break;
      case 'parse':
        jsonChars += JSON.parse(op.text) === undefined ? 0 : op.text.length;
        break;
      case 'run':
        statements.get(op.statement)!.run(...op.params);
        break;
      case 'get':
        rows += statements.get(op.statement)!.get(...op.params) === undefined ? 0 : 1;
        break;
      case 'all':
        rows += statements.get(op.statement)!.all(...op.params).length;
        break;
      case 'prepare':
        statements.set(op.statement, dbs.get(op.db)!.db.prepare(op.sql));
        break;
      case 'exec':
        dbs.get(op.db)!.db.exec(op.sql);
        break;
      case 'pragma':
        dbs.get(op.db)!.db.pragma(op.source);
        break;
      case 'open':
        dbs.set(op.db, openDatabase(op.memory, op.image));
        break;
      case 'close':
        closeDatabase(dbs.get(op.db)!);
        dbs.delete(op.db);
        break;
    }
  }
  for (const open of dbs.values()) closeDatabase(open);
  return { rows, jsonChars };
}

/** A database like the run's: in memory, or a file in a fresh directory when the run used a file. */
function openDatabase(memory: boolean, image?: Buffer): { db: Database.Database; dir?: string } {
  if (memory) return { db: new Database(image ?? ':memory:') };
  const dir = mkdtempSync(join(tmpdir(), 'ssesim-floor-'));
  return { db: new Database(join(dir, 'floor.db')), dir };
}

function closeDatabase(open: { db: Database.Database; dir?: string }): void {
  if (open.db.open) open.db.close();
  if (open.dir) rmSync(open.dir, { recursive: true, force: true });
}
