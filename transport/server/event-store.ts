/**
 * Durable session events, session lifecycle and idempotent send commands in one SQLite file.
 * Every event gets a seq from one global sequence and points at the previous event of its
 * session, so readers can detect holes; timestamps come from the injected clock so a simulated
 * run stores the same bytes every time.
 */
import Database from 'better-sqlite3';
import type { Env } from '../env.ts';
import { SESSION_STATES, type SendReceipt, type SessionState } from '../protocol.ts';
import { STALE_ON_RESTART, isAllowedTransition, legacyIsActive } from './session-transitions.ts';
import { StoreReadCache } from './store-read-cache.ts';

export interface StoredEvent {
  seq: number;
  sessionId: string;
  type: string;
  payload: unknown;
  prevSessionSeq: number;
  createdAt: number;
}

export interface SessionRow {
  sessionId: string;
  state: SessionState;
  isActive: boolean;
  mode: string;
  lastStateChange: number;
  createdAt: number;
  updatedAt: number;
}

export type RecordSendResult =
  | { kind: 'new'; receipt: SendReceipt }
  | { kind: 'duplicate'; receipt: SendReceipt }
  | { kind: 'conflict'; clientMsgId: string };

export const DEFAULT_SESSION_MODE = 'default';

export class InvalidTransitionError extends Error {
  readonly code = 'invalid_transition';
  constructor(
    readonly sessionId: string,
    readonly from: SessionState | null,
    readonly to: SessionState,
  ) {
    super(`invalid session transition for ${sessionId}: ${from ?? 'unknown session'} -> ${to}`);
    this.name = 'InvalidTransitionError';
  }
}

const SCHEMA = `
CREATE TABLE IF NOT EXISTS events (
  seq INTEGER PRIMARY KEY AUTOINCREMENT,
  session_id TEXT NOT NULL,
  type TEXT NOT NULL,
  payload TEXT NOT NULL,
  prev_session_seq INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
CREATE INDEX IF NOT EXISTS events_session_seq ON events (session_id, seq);
CREATE TABLE IF NOT EXISTS sessions (
  session_id TEXT PRIMARY KEY,
  state TEXT NOT NULL,
  is_active INTEGER NOT NULL,
  mode TEXT NOT NULL,
  last_state_change INTEGER NOT NULL,
  created_at INTEGER NOT NULL,
  updated_at INTEGER NOT NULL
);
CREATE TABLE IF NOT EXISTS send_commands (
  client_msg_id TEXT PRIMARY KEY,
  session_id TEXT NOT NULL,
  payload TEXT NOT NULL,
  seq INTEGER NOT NULL,
  created_at INTEGER NOT NULL
);
`;

/** SQLite's name for a database that lives in memory only, as simulated runs use. */
const IN_MEMORY = ':memory:';

let emptyImage: Buffer | null = null;

/**
 * The bytes of a database holding the schema and nothing else, made once per process: an
 * in-memory store opens a copy of it (better-sqlite3 deserialises a Buffer into a private,
 * writable database), where running the schema cost a simulated run about half a millisecond.
 */
function emptyDatabaseImage(): Buffer {
  if (emptyImage === null) {
    const db = new Database(IN_MEMORY);
    db.exec(SCHEMA);
    emptyImage = db.serialize();
    db.close();
  }
  return emptyImage;
}

interface EventRecord {
  seq: number;
  session_id: string;
  type: string;
  payload: string;
  prev_session_seq: number;
  created_at: number;
}

interface SessionRecord {
  session_id: string;
  state: string;
  is_active: number;
  mode: string;
  last_state_change: number;
  created_at: number;
  updated_at: number;
}

interface SendCommandRecord {
  client_msg_id: string;
  session_id: string;
  payload: string;
  seq: number;
}

function toStoredEvent(record: EventRecord): StoredEvent {
  return {
    seq: record.seq,
    sessionId: record.session_id,
    type: record.type,
    payload: JSON.parse(record.payload) as unknown,
    prevSessionSeq: record.prev_session_seq,
    createdAt: record.created_at,
  };
}

function toSessionRow(record: SessionRecord): SessionRow {
  // A state written by a newer build than this one is not ours to interpret; fail loudly.
  if (!(SESSION_STATES as readonly string[]).includes(record.state)) {
    throw new Error(`session ${record.session_id} has unknown state ${record.state}`);
  }
  return {
    sessionId: record.session_id,
    state: record.state as SessionState,
    isActive: record.is_active === 1,
    mode: record.mode,
    lastStateChange: record.last_state_change,
    createdAt: record.created_at,
    updatedAt: record.updated_at,
  };
}

/** Key order is fixed so the same prompt always serialises to the same text. */
function sendPayloadText(payload: { prompt: string }): string {
  return JSON.stringify({ prompt: payload.prompt });
}

export class EventStore {
  private readonly env: Env;
  private readonly db: Database.Database;
  private readonly statements;
  /** Compiled once: building a transaction wrapper per call showed in profiles. */
  private readonly inTransaction: <T>(fn: () => T) => T;
  private readonly cache = new StoreReadCache();
  private readonly readHeadSeq = (sessionId: string): number => this.statements.headSeq.get(sessionId)?.head ?? 0;
  private readonly readSession = (sessionId: string): SessionRow | null => {
    const record = this.statements.selectSession.get(sessionId);
    return record ? toSessionRow(record) : null;
  };

  constructor(options: { env: Env; path: string }) {
    this.env = options.env;
    if (options.path === IN_MEMORY) {
      // Nothing to make durable; a copy of an empty database skips compiling the schema per store.
      this.db = new Database(emptyDatabaseImage());
    } else {
      this.db = new Database(options.path);
      this.db.pragma('journal_mode = WAL');
      // In WAL mode NORMAL still keeps every commit across a process crash; only power loss can
      // drop the last ones, and it spares an fsync per event.
      this.db.pragma('synchronous = NORMAL');
      this.db.exec(SCHEMA);
    }
    this.statements = this.prepareStatements();
    const transaction = this.db.transaction((fn: () => unknown) => fn());
    this.inTransaction = <T>(fn: () => T): T => transaction(fn) as T;
  }

  private prepareStatements() {
    const db = this.db;
    return {
      insertEvent: db.prepare(
        'INSERT INTO events (session_id, type, payload, prev_session_seq, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
      eventBySeq: db.prepare<[number], EventRecord>('SELECT * FROM events WHERE seq = ?'),
      countAfter: db.prepare<[string, number], { count: number }>(
        'SELECT COUNT(*) AS count FROM events WHERE session_id = ? AND seq > ?',
      ),
      eventsAfter: db.prepare<[string, number, number], EventRecord>(
        'SELECT * FROM events WHERE session_id = ? AND seq > ? ORDER BY seq ASC LIMIT ?',
      ),
      headSeq: db.prepare<[string], { head: number | null }>(
        'SELECT MAX(seq) AS head FROM events WHERE session_id = ?',
      ),
      globalHeadSeq: db.prepare<[], { head: number | null }>('SELECT MAX(seq) AS head FROM events'),
      selectSession: db.prepare<[string], SessionRecord>('SELECT * FROM sessions WHERE session_id = ?'),
      listSessions: db.prepare<[], SessionRecord>('SELECT * FROM sessions ORDER BY created_at ASC, session_id ASC'),
      insertSession: db.prepare(
        'INSERT INTO sessions (session_id, state, is_active, mode, last_state_change, created_at, updated_at) ' +
          'VALUES (?, ?, ?, ?, ?, ?, ?)',
      ),
      updateMode: db.prepare('UPDATE sessions SET mode = ?, updated_at = ? WHERE session_id = ?'),
      updateState: db.prepare(
        'UPDATE sessions SET state = ?, is_active = ?, last_state_change = ?, updated_at = ? WHERE session_id = ?',
      ),
      selectSend: db.prepare<[string], SendCommandRecord>('SELECT * FROM send_commands WHERE client_msg_id = ?'),
      insertSend: db.prepare(
        'INSERT INTO send_commands (client_msg_id, session_id, payload, seq, created_at) VALUES (?, ?, ?, ?, ?)',
      ),
    };
  }

  append(sessionId: string, type: string, payload: unknown): number {
    return this.transact(() => this.insertEvent(sessionId, type, payload));
  }

  /**
   * One stored event by its seq. The event appended last is answered from memory: every append
   * is followed by a broadcast of that very event, and a read back would only repeat the write.
   */
  getEvent(seq: number): StoredEvent | null {
    const appended = this.cache.appendedEvent(seq);
    if (appended) return appended;
    const record = this.statements.eventBySeq.get(seq);
    return record ? toStoredEvent(record) : null;
  }

  /** Runs `fn` in one transaction; a rollback also forgets what was read or appended inside it. */
  private transact<T>(fn: () => T): T {
    try {
      return this.inTransaction(fn);
    } catch (error) {
      this.cache.clear();
      throw error;
    }
  }

  private insertEvent(sessionId: string, type: string, payload: unknown): number {
    const prevSessionSeq = this.getHeadSeq(sessionId);
    const payloadText = JSON.stringify(payload ?? null);
    const createdAt = this.env.clock.now();
    const result = this.statements.insertEvent.run(sessionId, type, payloadText, prevSessionSeq, createdAt);
    const seq = Number(result.lastInsertRowid);
    // Kept as the stored text reads back, so callers never share the caller's payload object.
    this.cache.appended({ seq, sessionId, type, payload: JSON.parse(payloadText), prevSessionSeq, createdAt });
    return seq;
  }

  getEventsAfter(sessionId: string, afterSeq: number, limit?: number): StoredEvent[] {
    // SQLite reads a negative LIMIT as "no limit".
    const rowLimit = limit === undefined ? -1 : Math.max(0, Math.floor(limit));
    return this.statements.eventsAfter.all(sessionId, afterSeq, rowLimit).map(toStoredEvent);
  }

  /** How many events of the session come after `afterSeq`. */
  countEventsAfter(sessionId: string, afterSeq: number): number {
    return this.statements.countAfter.get(sessionId, afterSeq)?.count ?? 0;
  }

  getSessionEvents(sessionId: string): StoredEvent[] {
    return this.getEventsAfter(sessionId, 0);
  }

  getHeadSeq(sessionId: string): number {
    return this.cache.headSeq(sessionId, this.readHeadSeq);
  }

  getGlobalHeadSeq(): number {
    return this.statements.globalHeadSeq.get()?.head ?? 0;
  }

  upsertSession(sessionId: string, fields: { mode?: string } = {}): SessionRow {
    return this.transact(() => {
      const nowMs = this.env.clock.now();
      const existing = this.getSession(sessionId);
      if (!existing) {
        const mode = fields.mode ?? DEFAULT_SESSION_MODE;
        this.statements.insertSession.run(sessionId, 'CREATED', 1, mode, nowMs, nowMs, nowMs);
        this.cache.sessionWritten(sessionId);
      } else if (fields.mode !== undefined && fields.mode !== existing.mode) {
        this.statements.updateMode.run(fields.mode, nowMs, sessionId);
        this.cache.sessionWritten(sessionId);
      }
      return this.requireSession(sessionId);
    });
  }

  /** The session's row, frozen: it is shared with every other caller until the row changes. */
  getSession(sessionId: string): Readonly<SessionRow> | null {
    return this.cache.session(sessionId, this.readSession);
  }

  getSessionState(sessionId: string): SessionState | null {
    return this.getSession(sessionId)?.state ?? null;
  }

  listSessions(): SessionRow[] {
    return this.statements.listSessions.all().map(toSessionRow);
  }

  /**
   * Moves a session to `state` and appends the `session_state_changed` event in one transaction.
   * `force` skips the transition check and creates an unknown session directly in `state`.
   */
  setSessionState(sessionId: string, state: SessionState, options: { force?: boolean; reason?: string } = {}): number {
    return this.transact(() => {
      const from = this.getSessionState(sessionId);
      const allowed = from !== null && isAllowedTransition(from, state);
      if (!allowed && !options.force) throw new InvalidTransitionError(sessionId, from, state);
      const nowMs = this.env.clock.now();
      const isActive = legacyIsActive(state) ? 1 : 0;
      if (from === null) {
        this.statements.insertSession.run(sessionId, state, isActive, DEFAULT_SESSION_MODE, nowMs, nowMs, nowMs);
      } else {
        this.statements.updateState.run(state, isActive, nowMs, nowMs, sessionId);
      }
      this.cache.sessionWritten(sessionId);
      const payload = options.reason === undefined ? { from, to: state } : { from, to: state, reason: options.reason };
      return this.append(sessionId, 'session_state_changed', payload);
    });
  }

  recoverStaleSessions(): number {
    const recovered = this.transact(() => {
      const stale = this.listSessions().filter((session) => STALE_ON_RESTART.includes(session.state));
      for (const session of stale) {
        this.setSessionState(session.sessionId, 'ENDED', { reason: 'server_restart' });
      }
      return stale.map((session) => session.sessionId);
    });
    this.env.logger.log('info', 'store.sessions.recovered', { count: recovered.length, sessionIds: recovered });
    return recovered.length;
  }

  /** Whether a prompt command with this id was recorded (with any payload, for any session). */
  hasSend(clientMsgId: string): boolean {
    return this.statements.selectSend.get(clientMsgId) !== undefined;
  }

  /**
   * Records a prompt command and its `user_message` event together, so a retried POST can never
   * run a prompt twice nor leave a command without its event.
   */
  recordSend(clientMsgId: string, sessionId: string, payload: { prompt: string }): RecordSendResult {
    return this.transact((): RecordSendResult => {
      const payloadText = sendPayloadText(payload);
      const existing = this.statements.selectSend.get(clientMsgId);
      if (existing) {
        if (existing.session_id !== sessionId || existing.payload !== payloadText) {
          return { kind: 'conflict', clientMsgId };
        }
        return { kind: 'duplicate', receipt: receiptOf(existing) };
      }
      const seq = this.append(sessionId, 'user_message', { clientMsgId, prompt: payload.prompt });
      this.statements.insertSend.run(clientMsgId, sessionId, payloadText, seq, this.env.clock.now());
      return { kind: 'new', receipt: { accepted: true, clientMsgId, sessionId, seq } };
    });
  }

  close(): void {
    if (this.db.open) this.db.close();
  }

  private requireSession(sessionId: string): SessionRow {
    const session = this.getSession(sessionId);
    if (!session) throw new Error(`session ${sessionId} vanished inside its own transaction`);
    return session;
  }
}

function receiptOf(record: SendCommandRecord): SendReceipt {
  return { accepted: true, clientMsgId: record.client_msg_id, sessionId: record.session_id, seq: record.seq };
}
