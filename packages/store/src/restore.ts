/**
 * Restoring a data backup made by `Store.backup`. The server must be
 * stopped. SQLite: the backup file is checked to be a Sundial database and
 * then put in place atomically (stale WAL files removed first). PostgreSQL:
 * `pg_restore --clean` replaces the data schema; the keyring schema, which
 * data backups never contain, is left alone.
 */
import { copyFileSync, chmodSync, renameSync, rmSync } from 'node:fs';
import BetterSqlite3 from 'better-sqlite3';
import type { DatabaseTarget } from './database-url.js';
import { runTool } from './dialects/postgres.js';
import { StoreError } from './errors.js';

export async function restoreDataBackup(target: DatabaseTarget, backupFile: string): Promise<void> {
  if (target.kind === 'postgres') {
    await runTool('pg_restore', [
      '--clean',
      '--if-exists',
      '--no-owner',
      '--single-transaction',
      `--dbname=${target.url}`,
      backupFile,
    ]);
    return;
  }
  assertSundialSqlite(backupFile);
  const staging = `${target.file}.restoring`;
  copyFileSync(backupFile, staging);
  chmodSync(staging, 0o600);
  for (const stale of [`${target.file}-wal`, `${target.file}-shm`]) rmSync(stale, { force: true });
  renameSync(staging, target.file);
}

function assertSundialSqlite(file: string): void {
  let db: BetterSqlite3.Database | undefined;
  try {
    db = new BetterSqlite3(file, { readonly: true, fileMustExist: true });
    const row = db
      .prepare("select count(*) as n from sqlite_master where type = 'table' and name = 'sundial_migrations'")
      .get() as { n: number } | undefined;
    if (!row || row.n !== 1) throw new Error('it holds no Sundial data');
  } catch (cause) {
    throw new StoreError(
      'store.restore_failed',
      `${file} is not a Sundial SQLite backup: ${cause instanceof Error ? cause.message : String(cause)}`,
      {
        cause,
      },
    );
  } finally {
    db?.close();
  }
}
