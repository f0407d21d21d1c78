import { chmodSync, existsSync, mkdirSync, mkdtempSync, rmSync, statSync, writeFileSync } from 'node:fs';
import { createRequire } from 'node:module';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { Worker } from 'node:worker_threads';
import BetterSqlite3 from 'better-sqlite3';
import { sql } from 'kysely';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openSqlite } from '../src/dialects/sqlite.js';
import { migrations } from '../src/migrations/index.js';
import { openStore } from '../src/store.js';
import { expectStoreError, tableNames } from './helpers.js';

const modeOf = (path: string) => statSync(path).mode & 0o777;

describe('SQLite', () => {
  let dir: string;
  beforeEach(() => {
    dir = mkdtempSync(join(tmpdir(), 'sundial-sqlite-test-'));
  });
  afterEach(() => {
    rmSync(dir, { recursive: true, force: true });
  });

  it('turns on WAL, foreign keys, full fsync and a busy timeout on every connection', async () => {
    const conn = openSqlite(join(dir, 'sundial.db'));
    try {
      const pragma = async (name: string) => {
        const { rows } = await sql<Record<string, unknown>>`pragma ${sql.raw(name)}`.execute(conn.db);
        return rows[0]?.[name === 'busy_timeout' ? 'timeout' : name];
      };
      expect(await pragma('journal_mode')).toBe('wal');
      expect(await pragma('foreign_keys')).toBe(1);
      expect(await pragma('synchronous')).toBe(2);
      expect(await pragma('busy_timeout')).toBe(5000);
    } finally {
      await conn.close();
    }
  });

  it('leaves the database file in WAL mode for any other reader', async () => {
    const file = join(dir, 'sundial.db');
    const store = await openStore({ kind: 'sqlite', file });
    try {
      const other = new BetterSqlite3(file, { readonly: true });
      try {
        expect(other.pragma('journal_mode', { simple: true })).toBe('wal');
      } finally {
        other.close();
      }
    } finally {
      await store.close();
    }
  });

  it('enforces foreign keys', async () => {
    const conn = openSqlite(join(dir, 'sundial.db'));
    try {
      await sql`create table parent (id integer primary key)`.execute(conn.db);
      await sql`create table child (id integer primary key, parent_id integer not null references parent (id))`.execute(
        conn.db,
      );
      await expect(sql`insert into child (id, parent_id) values (1, 42)`.execute(conn.db)).rejects.toThrow(
        /FOREIGN KEY constraint failed/,
      );
    } finally {
      await conn.close();
    }
  });

  it('creates missing folders with mode 0700 and the file, with its WAL files, with mode 0600', async () => {
    const file = join(dir, 'new', 'deeper', 'sundial.db');
    const store = await openStore({ kind: 'sqlite', file });
    try {
      await store.instanceMeta.setIfAbsent('instance_id', 'x', 1);
      expect(modeOf(join(dir, 'new'))).toBe(0o700);
      expect(modeOf(join(dir, 'new', 'deeper'))).toBe(0o700);
      expect(modeOf(file)).toBe(0o600);
      for (const companion of [`${file}-wal`, `${file}-shm`]) {
        if (existsSync(companion)) expect(modeOf(companion)).toBe(0o600);
      }
    } finally {
      await store.close();
    }
  });

  it('narrows an existing database file to mode 0600 and leaves an existing folder alone', async () => {
    const file = join(dir, 'sundial.db');
    chmodSync(dir, 0o755);
    new BetterSqlite3(file).close();
    chmodSync(file, 0o644);
    const store = await openStore({ kind: 'sqlite', file });
    await store.close();
    expect(modeOf(file)).toBe(0o600);
    expect(modeOf(dir)).toBe(0o755);
  });

  it('refuses a path below a regular file, naming the path', async () => {
    writeFileSync(join(dir, 'afile'), 'not a folder');
    const file = join(dir, 'afile', 'sub', 'x.db');
    const error = await expectStoreError(openStore({ kind: 'sqlite', file }), 'store.open_failed');
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/ENOTDIR/);
    expect(() => openSqlite(file)).toThrow(expect.objectContaining({ code: 'store.open_failed' }));
  });

  it('refuses a path that is a folder, naming the path', async () => {
    const file = join(dir, 'a-folder.db');
    mkdirSync(file);
    const error = await expectStoreError(openStore({ kind: 'sqlite', file }), 'store.open_failed');
    expect(error.message).toContain(file);
  });

  it('refuses a file that is not a SQLite database', async () => {
    const file = join(dir, 'notes.db');
    writeFileSync(file, 'x'.repeat(4096));
    const error = await expectStoreError(openStore({ kind: 'sqlite', file }), 'store.open_failed');
    expect(error.message).toContain(file);
    expect(error.message).toMatch(/file is not a database \(SQLITE_NOTADB\)/);
  });

  it('waits for another writer to commit before migrating, instead of failing', async () => {
    const file = join(dir, 'sundial.db');
    await (await openStore({ kind: 'sqlite', file }, { migrations: [] })).close();
    const holdMs = 600;
    // A worker thread stands for another process: it holds the write lock for a while.
    const worker = new Worker(
      `const { workerData, parentPort } = require('node:worker_threads');
       const Database = require(workerData.driver);
       const db = new Database(workerData.file);
       db.exec('begin immediate');
       db.exec('create table written_by_the_other (id integer)');
       parentPort.postMessage('locked');
       Atomics.wait(new Int32Array(new SharedArrayBuffer(4)), 0, 0, workerData.holdMs);
       db.exec('commit');
       db.close();`,
      { eval: true, workerData: { file, holdMs, driver: createRequire(import.meta.url).resolve('better-sqlite3') } },
    );
    const exited = new Promise<number>((resolve, reject) => {
      worker.once('exit', resolve);
      worker.once('error', reject);
    });
    await new Promise<void>((resolve, reject) => {
      worker.once('message', () => resolve());
      worker.once('error', reject);
    });
    const started = performance.now();
    const store = await openStore({ kind: 'sqlite', file });
    const waited = performance.now() - started;
    await store.close();
    expect(await exited).toBe(0);
    expect(waited).toBeGreaterThan(holdMs / 2);
    expect(store.migration.applied).toEqual(migrations.map((m) => m.name));
    expect(await tableNames({ kind: 'sqlite', file })).toContain('written_by_the_other');
  });
});
