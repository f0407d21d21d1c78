/**
 * The queue file's tables: events waiting to be sent (keyed by their UUIDv7,
 * with a version so an event that grew while being sent is sent again), the
 * last event of each heartbeat stream (so merging continues after a restart),
 * ActivityWatch buckets created through the local API, and small settings
 * (privacy cache, pause, last sync).
 */
import type Database from 'better-sqlite3';

const VERSION = 1;

export function migrate(db: Database.Database): void {
  const current = db.pragma('user_version', { simple: true });
  if (current === VERSION) return;
  if (typeof current === 'number' && current > VERSION) {
    throw new Error(`the queue file was written by a newer agent (schema ${current}); upgrade the agent`);
  }
  db.exec(`
    CREATE TABLE IF NOT EXISTS events (
      seq INTEGER PRIMARY KEY AUTOINCREMENT,
      id TEXT NOT NULL UNIQUE,
      kind TEXT NOT NULL,
      bucket TEXT,
      start INTEGER NOT NULL,
      duration INTEGER NOT NULL,
      data TEXT NOT NULL,
      version INTEGER NOT NULL,
      bytes INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS streams (
      name TEXT PRIMARY KEY,
      id TEXT NOT NULL,
      start INTEGER NOT NULL,
      duration INTEGER NOT NULL,
      data TEXT NOT NULL
    );
    CREATE TABLE IF NOT EXISTS buckets (
      key TEXT PRIMARY KEY,
      type TEXT NOT NULL,
      client TEXT NOT NULL,
      hostname TEXT NOT NULL,
      data TEXT NOT NULL,
      created INTEGER NOT NULL
    );
    CREATE TABLE IF NOT EXISTS meta (key TEXT PRIMARY KEY, value TEXT NOT NULL);
  `);
  db.pragma(`user_version = ${VERSION}`);
}
