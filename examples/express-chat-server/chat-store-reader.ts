/**
 * Reads the chat's `messages` table from outside the app, as ssesim's end-state check does: a
 * session's messages as `{seq, type, payload, createdAt}`, the shape of a stored session event
 * (a prompt is `type: 'user_message'` with `payload: {clientMsgId, prompt}`). The file is opened
 * read-only on the first read, since the app creates it on its first start; before that, and
 * before the app's migrations ran, a session simply has no messages.
 */
import { existsSync } from 'node:fs';
import Database from 'better-sqlite3';

export interface SessionEventRow {
  seq: number;
  type: string;
  payload: unknown;
  createdAt: number;
}

export interface ChatStoreReader {
  getSessionEvents(sessionId: string): SessionEventRow[];
  close(): void;
}

interface MessageRow {
  seq: number;
  kind: string;
  body_json: string;
  created_at: number;
}

const SESSION_MESSAGES = `SELECT seq, kind, body_json, created_at FROM messages
  WHERE session_id = ? ORDER BY seq, id`;

export function openChatStoreReader(dbPath: string): ChatStoreReader {
  let db: Database.Database | null = null;
  let query: Database.Statement<[string], MessageRow> | null = null;

  function statement(): Database.Statement<[string], MessageRow> | null {
    if (query) return query;
    if (!db) {
      if (!existsSync(dbPath)) return null;
      db = new Database(dbPath, { readonly: true, fileMustExist: true });
    }
    const table = db.prepare("SELECT 1 FROM sqlite_master WHERE type = 'table' AND name = 'messages'").get();
    if (table === undefined) return null;
    return (query = db.prepare<[string], MessageRow>(SESSION_MESSAGES));
  }

  return {
    getSessionEvents(sessionId) {
      const rows = statement()?.all(sessionId) ?? [];
      return rows.map((row) => ({
        seq: row.seq,
        type: row.kind,
        payload: JSON.parse(row.body_json) as unknown,
        createdAt: row.created_at,
      }));
    },
    close() {
      db?.close();
      db = null;
      query = null;
    },
  };
}
