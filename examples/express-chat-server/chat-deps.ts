/**
 * Everything the chat server takes from outside: its database handle, its clock, its timers and
 * its ids. Production passes `Date.now`, the global timers and `crypto.randomUUID`; a test or a
 * simulator passes its own, so the app itself never reaches for a global.
 */
import type Database from 'better-sqlite3';

/** Whatever the injected `setTimeout`/`setInterval` return; only the matching clear takes it back. */
export type TimerHandle = unknown;

export interface ChatDeps {
  /** An open better-sqlite3 database; the app migrates it on start and never closes it. */
  db: Database.Database;
  /** Milliseconds since the epoch. */
  now(): number;
  setTimeout(fn: () => void, ms: number): TimerHandle;
  clearTimeout(handle: TimerHandle): void;
  setInterval(fn: () => void, ms: number): TimerHandle;
  clearInterval(handle: TimerHandle): void;
  /** A fresh unguessable id starting with `prefix` (connection ids are capabilities). */
  newId(prefix: string): string;
  /** Structured log lines; README.md lists the events and their fields. */
  log?(event: string, data: Record<string, unknown>): void;
}
