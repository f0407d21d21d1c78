/**
 * Opens the queue file: WAL with synchronous FULL, so a committed event
 * survives kill -9 and power loss. A file SQLite cannot read (or whose
 * integrity check fails) is moved aside under a dated name, with a clear
 * message, and a new empty queue is started: the agent keeps recording.
 */
import { existsSync, mkdirSync, renameSync } from 'node:fs';
import { dirname } from 'node:path';
import Database from 'better-sqlite3';
import type { AgentLog } from '../log.js';
import { migrate } from './schema.js';

export type QueueDb = Database.Database;

export function openQueueDb(file: string, log: AgentLog, now: () => number = Date.now): QueueDb {
  mkdirSync(dirname(file), { recursive: true, mode: 0o700 });
  try {
    return tryOpen(file);
  } catch (error) {
    if (!isCorruption(error)) throw error;
    const aside = `${file}.corrupt-${new Date(now()).toISOString().replace(/[:.]/g, '-')}`;
    for (const suffix of ['', '-wal', '-shm']) {
      if (existsSync(file + suffix)) renameSync(file + suffix, aside + suffix);
    }
    log.error('queue file was corrupt: moved aside and a new queue started; events in it were not sent', {
      movedTo: aside,
    });
    return tryOpen(file);
  }
}

function tryOpen(file: string): QueueDb {
  const db = new Database(file);
  try {
    db.pragma('journal_mode = WAL');
    db.pragma('synchronous = FULL');
    db.pragma('busy_timeout = 5000');
    const check = db.pragma('quick_check', { simple: true });
    if (check !== 'ok') throw new CorruptQueueError(String(check));
    migrate(db);
    return db;
  } catch (error) {
    db.close();
    throw error;
  }
}

class CorruptQueueError extends Error {}

function isCorruption(error: unknown): boolean {
  if (error instanceof CorruptQueueError) return true;
  const code = (error as { code?: unknown } | null)?.code;
  return code === 'SQLITE_CORRUPT' || code === 'SQLITE_NOTADB';
}
