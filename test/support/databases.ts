/**
 * A fresh database of each kind for a test: a SQLite file in a temporary
 * folder, and a new PostgreSQL database. `eachDatabase` runs a suite on both.
 */
import { randomBytes } from 'node:crypto';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { describe, inject } from 'vitest';
import type { DatabaseKind, DatabaseTarget } from '@sundial/store';
import { adminQuery, withDatabase } from './postgres-admin.js';

export interface TestDatabase {
  readonly target: DatabaseTarget;
  /** For SQLite, the folder holding the file. */
  readonly dir: string | null;
  drop(): Promise<void>;
}

export const DATABASE_KINDS: readonly DatabaseKind[] = ['sqlite', 'postgres'];

export async function createTestDatabase(kind: DatabaseKind): Promise<TestDatabase> {
  if (kind === 'sqlite') {
    const dir = mkdtempSync(join(tmpdir(), 'sundial-test-'));
    return {
      target: { kind: 'sqlite', file: join(dir, 'sundial.db') },
      dir,
      async drop() {
        rmSync(dir, { recursive: true, force: true });
      },
    };
  }
  const base = inject('postgresUrl');
  if (!base) throw new Error('PostgreSQL is not available for this run');
  const name = `sundial_test_${inject('testRunId')}_${randomBytes(6).toString('hex')}`;
  await adminQuery(`create database "${name}"`);
  return {
    target: { kind: 'postgres', url: withDatabase(base, name) },
    dir: null,
    async drop() {
      await adminQuery(`drop database if exists "${name}" with (force)`);
    },
  };
}

/** Declares the suite once per database kind; PostgreSQL suites skip (loudly, in global setup) when it is absent. */
export function eachDatabase(title: string, suite: (kind: DatabaseKind) => void): void {
  for (const kind of DATABASE_KINDS) {
    const available = kind === 'sqlite' || inject('postgresUrl') !== null;
    (available ? describe : describe.skip)(`${title} [${kind}]`, () => suite(kind));
  }
}
