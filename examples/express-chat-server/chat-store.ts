/**
 * The chat's messages in SQLite: every user prompt and every agent event of a session is one row
 * of `messages`, numbered by `seq` within its session (1, 2, 3, ...), so a client can ask for
 * "everything after 41" and notice a hole.
 *
 * Post-mortem, known bug #1: sequence numbers repeat after a restart.
 * To save a `SELECT MAX(seq)` on every insert, the next seq of each session is kept in a Map in
 * memory and starts at 1 the first time this process writes to a session. The author assumed a
 * session is always created by the process that writes to it. A restart (deploy, crash, OOM kill)
 * empties the Map, so the first message a session gets afterwards is stored as seq 1 again, next
 * to the seq 1 of before: the index on (session_id, seq) is not UNIQUE, so nothing complains. Tabs
 * that were open already hold cursor N and drop the new 1..N as "already seen", so the answer to
 * the first prompts after a restart never shows; a tab that loads the session afterwards gets both
 * copies interleaved (1, 1, 2, 2, ...) and shows old and new turns mixed. The happy path never
 * restarts, so every test passed, and a check that only compares which seqs exist misses it too,
 * since the seqs of the second copy are the same numbers. ssesim shows it with the `server-crash`
 * fault: once a replay after the restart covers the repeated range, a stream carries a seq that is
 * not above the one before it (session-order). The fix: seed the counter from the session's
 * `MAX(seq)`, and make the pair UNIQUE so that a repeat fails loudly instead of being stored.
 */
import type Database from 'better-sqlite3';

export interface StoredMessage {
  sessionId: string;
  seq: number;
  /** `user_message`, `assistant_delta`, `result`, ... */
  kind: string;
  body: unknown;
  createdAt: number;
}

interface MessageRow {
  session_id: string;
  seq: number;
  kind: string;
  body_json: string;
  created_at: number;
}

export interface ChatStore {
  append(sessionId: string, kind: string, body: unknown): StoredMessage;
  /** A session's messages with afterSeq < seq <= toSeq, oldest first, at most `limit`. */
  messagesAfter(sessionId: string, afterSeq: number, limit: number, toSeq?: number): StoredMessage[];
  /** The highest seq stored for the session, 0 when it has none. */
  headSeq(sessionId: string): number;
}

function fromRow(row: MessageRow): StoredMessage {
  return {
    sessionId: row.session_id,
    seq: row.seq,
    kind: row.kind,
    body: JSON.parse(row.body_json) as unknown,
    createdAt: row.created_at,
  };
}

export function createChatStore(db: Database.Database, now: () => number): ChatStore {
  const insert = db.prepare(
    'INSERT INTO messages (session_id, seq, kind, body_json, created_at) VALUES (?, ?, ?, ?, ?)',
  );
  const after = db.prepare<[string, number, number, number], MessageRow>(
    `SELECT session_id, seq, kind, body_json, created_at FROM messages
     WHERE session_id = ? AND seq > ? AND seq <= ? ORDER BY seq, id LIMIT ?`,
  );
  const head = db.prepare<[string], { head: number | null }>(
    'SELECT MAX(seq) AS head FROM messages WHERE session_id = ?',
  );
  const lastSeqBySession = new Map<string, number>();

  return {
    append(sessionId, kind, body) {
      const seq = (lastSeqBySession.get(sessionId) ?? 0) + 1;
      const createdAt = now();
      insert.run(sessionId, seq, kind, JSON.stringify(body), createdAt);
      lastSeqBySession.set(sessionId, seq);
      return { sessionId, seq, kind, body, createdAt };
    },
    messagesAfter(sessionId, afterSeq, limit, toSeq = Number.MAX_SAFE_INTEGER) {
      return after.all(sessionId, afterSeq, toSeq, limit).map(fromRow);
    },
    headSeq(sessionId) {
      return head.get(sessionId)?.head ?? 0;
    },
  };
}
