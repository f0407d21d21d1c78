/**
 * Shared by the encryption-at-rest tests: a real server (startServer) on a
 * fresh test database with its master key file outside the data folder,
 * unique markers to plant in personal fields, a byte scanner that looks for
 * them in several encodings, and raw reads of the stored ciphertexts that go
 * around the store's repositories.
 */
import { execFileSync } from 'node:child_process';
import { randomBytes } from 'node:crypto';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import pg from 'pg';
import type { DatabaseKind, DatabaseTarget } from '@sundial/store';
import { loadConfig, startServer, type RunningServer, type ServerConfig } from '../../src/index.js';
import { createTestDatabase, type TestDatabase } from '../../../../test/support/databases.js';

export interface AtRestServer {
  readonly server: RunningServer;
  readonly config: ServerConfig;
  readonly database: TestDatabase;
  /** The data folder (for SQLite: where sundial.db lives). */
  readonly dataDir: string;
  /** A scratch folder outside the data folder (key file, dumps, backups). */
  readonly scratch: string;
  /** Closes the server (if still open), drops the database, removes the folders. */
  dispose(): Promise<void>;
}

export async function startAtRestServer(kind: DatabaseKind): Promise<AtRestServer> {
  const database = await createTestDatabase(kind);
  const scratch = mkdtempSync(join(tmpdir(), 'sundial-at-rest-'));
  const dataDir = database.dir ?? join(scratch, 'data');
  const config = loadConfig({
    env: {
      SUNDIAL_DATA_DIR: dataDir,
      SUNDIAL_DATABASE_URL: database.target.kind === 'sqlite' ? `sqlite:${database.target.file}` : database.target.url,
      SUNDIAL_MASTER_KEY_FILE: join(scratch, 'keys', 'master.key'),
      SUNDIAL_PORT: '0',
      SUNDIAL_LOG_LEVEL: 'silent',
    },
  });
  const server = await startServer(config);
  let closed = false;
  const close = server.close;
  return {
    server: {
      ...server,
      close: async () => {
        closed = true;
        await close();
      },
    },
    config,
    database,
    dataDir,
    scratch,
    async dispose() {
      if (!closed) await close();
      await database.drop();
      rmSync(scratch, { recursive: true, force: true });
    },
  };
}

/** A unique token: nothing else in a database could contain it by chance. */
export function marker(prefix = 'mk'): string {
  return `${prefix}-${randomBytes(8).toString('hex')}`;
}

export type Encoding = 'utf8' | 'utf16le' | 'utf16be' | 'hex-utf8';

export interface Finding {
  readonly marker: string;
  readonly form: string;
  readonly encoding: Encoding;
  readonly file: string;
}

/** The byte patterns under which `text` could sit in a file. */
function needles(text: string, encodings: readonly Encoding[]): Array<{ encoding: Encoding; bytes: Buffer }> {
  return encodings.map((encoding) => {
    if (encoding === 'utf16be') return { encoding, bytes: Buffer.from(text, 'utf16le').swap16() };
    if (encoding === 'hex-utf8')
      return { encoding, bytes: Buffer.from(Buffer.from(text, 'utf8').toString('hex'), 'latin1') };
    return { encoding, bytes: Buffer.from(text, encoding) };
  });
}

/** Every place where a marker (as given, lower- or upper-cased) appears in one of the buffers. */
export function scanBuffers(
  buffers: ReadonlyMap<string, Buffer>,
  markers: readonly string[],
  encodings: readonly Encoding[] = ['utf8', 'utf16le', 'utf16be'],
): Finding[] {
  const findings: Finding[] = [];
  for (const m of markers) {
    for (const form of new Set([m, m.toLowerCase(), m.toUpperCase()])) {
      for (const { encoding, bytes } of needles(form, encodings)) {
        for (const [file, content] of buffers) {
          if (content.includes(bytes)) findings.push({ marker: m, form, encoding, file });
        }
      }
    }
  }
  return findings;
}

export function readFiles(files: readonly string[]): Map<string, Buffer> {
  return new Map(files.map((file) => [file, readFileSync(file)]));
}

/** A plain-format dump of the whole PostgreSQL database, every schema (the keyring's too). */
export function fullPgDump(url: string, file: string): Buffer {
  execFileSync('pg_dump', ['--format=plain', '--no-owner', `--file=${file}`, url], {
    stdio: ['ignore', 'ignore', 'pipe'],
  });
  return readFileSync(file);
}

/** A person's stored ciphertexts, as read with the plain driver. */
export interface StoredCiphertexts {
  readonly users: Array<{ id: string; email_ct: Buffer; display_name_ct: Buffer | null }>;
  readonly names: Array<{ id: number; kind: string; value_ct: Buffer }>;
}

/** Where a raw read goes: a SQLite file, or a PostgreSQL database (`schema` for the keyring). */
export type RawLocation = { kind: 'sqlite'; file: string } | { kind: 'postgres'; url: string };

export function rawLocation(target: DatabaseTarget): RawLocation {
  return target.kind === 'sqlite' ? { kind: 'sqlite', file: target.file } : { kind: 'postgres', url: target.url };
}

/** Runs one query with the plain driver (SQLite read-only; `?` placeholders are turned into `$n` for pg). */
export async function rawQuery<T>(where: RawLocation, query: string, params: readonly unknown[] = []): Promise<T[]> {
  if (where.kind === 'sqlite') {
    const db = new BetterSqlite3(where.file, { readonly: true, fileMustExist: true });
    try {
      return db.prepare(query).all(...params) as T[];
    } finally {
      db.close();
    }
  }
  const client = new pg.Client({ connectionString: where.url });
  await client.connect();
  try {
    let n = 0;
    const result = await client.query(
      query.replace(/\?/g, () => `$${++n}`),
      [...params],
    );
    return result.rows as T[];
  } finally {
    await client.end();
  }
}

export async function readCiphertexts(where: RawLocation, ownerId: string): Promise<StoredCiphertexts> {
  const users = await rawQuery<StoredCiphertexts['users'][number]>(
    where,
    'select id, email_ct, display_name_ct from users where id = ?',
    [ownerId],
  );
  const names = await rawQuery<{ id: number | string; kind: string; value_ct: Buffer }>(
    where,
    'select id, kind, value_ct from names where user_id = ? order by id',
    [ownerId],
  );
  return {
    users: users.map((u) => ({
      ...u,
      email_ct: Buffer.from(u.email_ct),
      display_name_ct: u.display_name_ct && Buffer.from(u.display_name_ct),
    })),
    names: names.map((r) => ({ id: Number(r.id), kind: r.kind, value_ct: Buffer.from(r.value_ct) })),
  };
}
