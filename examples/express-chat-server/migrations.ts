/**
 * Schema migrations, run in order on every start. `PRAGMA user_version` records how many have
 * been applied, so a restart on an existing file applies none and a new file gets them all.
 */
import type Database from 'better-sqlite3';

const MIGRATIONS: readonly string[] = [
  `CREATE TABLE messages (
     id INTEGER PRIMARY KEY AUTOINCREMENT,
     session_id TEXT NOT NULL,
     seq INTEGER NOT NULL,
     kind TEXT NOT NULL,
     body_json TEXT NOT NULL,
     created_at INTEGER NOT NULL
   )`,
  // Replays and history pages read one session's messages by seq.
  `CREATE INDEX messages_session_seq ON messages (session_id, seq)`,
];

export function migrate(db: Database.Database): void {
  db.pragma('journal_mode = WAL');
  const applied = db.pragma('user_version', { simple: true }) as number;
  if (applied >= MIGRATIONS.length) return;
  db.transaction(() => {
    for (const sql of MIGRATIONS.slice(applied)) db.exec(sql);
    db.pragma(`user_version = ${MIGRATIONS.length}`);
  })();
}
