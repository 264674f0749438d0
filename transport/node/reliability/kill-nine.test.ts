import fs from 'node:fs';
import os from 'node:os';
import path from 'node:path';
import Database from 'better-sqlite3';
import { describe, expect, it } from 'vitest';
import { checkStore } from './kill-nine.ts';

function storeWith(rows: [seq: number, session: string, prev: number, clientMsgId: string][]): string {
  const file = path.join(fs.mkdtempSync(path.join(os.tmpdir(), 'ssesim-kill-check-')), 'chat.db');
  const db = new Database(file);
  db.exec(
    'CREATE TABLE events (seq INTEGER PRIMARY KEY, session_id TEXT, type TEXT, payload TEXT, prev_session_seq INTEGER)',
  );
  const insert = db.prepare('INSERT INTO events VALUES (?, ?, ?, ?, ?)');
  for (const [seq, session, prev, id] of rows)
    insert.run(seq, session, 'user_message', JSON.stringify({ clientMsgId: id }), prev);
  db.close();
  return file;
}

describe('the kill -9 check of a store', () => {
  it('passes a store that kept every acknowledged prompt once, in intact chains', () => {
    const file = storeWith([
      [1, 's1', 0, 'a'],
      [2, 's2', 0, 'b'],
      [3, 's1', 1, 'c'],
    ]);
    const figures = checkStore(
      file,
      new Map([
        ['a', 's1'],
        ['c', 's1'],
      ]),
    );
    expect(figures).toEqual({ acknowledged: 2, lost: 0, duplicated: 0, brokenLinks: 0, problems: [] });
  });

  it('counts a lost acknowledged prompt, a duplicate and a broken link', () => {
    const file = storeWith([
      [1, 's1', 0, 'a'],
      [2, 's1', 1, 'a'],
      [3, 's1', 1, 'b'],
    ]);
    const figures = checkStore(
      file,
      new Map([
        ['a', 's1'],
        ['gone', 's1'],
      ]),
    );
    expect([figures.lost, figures.duplicated, figures.brokenLinks]).toEqual([1, 1, 1]);
    expect(figures.problems).toContain('acknowledged prompt gone is not stored');
  });
});
