/**
 * Runs once per test run: decides whether the PostgreSQL suites run. Without
 * a reachable server they are skipped with a loud notice — except under
 * CI=true, where PostgreSQL is required and its absence fails the run.
 * At the end, drops every database this run created.
 */
import type { TestProject } from 'vitest/node';
import { adminQuery, adminUrl } from './postgres-admin.js';

declare module 'vitest' {
  export interface ProvidedContext {
    postgresUrl: string | null;
    testRunId: string;
  }
}

export default async function setup(project: TestProject): Promise<() => Promise<void>> {
  const runId = `${Date.now().toString(36)}${Math.floor(Math.random() * 1e6).toString(36)}`;
  project.provide('testRunId', runId);
  let reachable = false;
  try {
    await adminQuery('select 1');
    reachable = true;
  } catch (error) {
    const reason = error instanceof Error ? error.message : String(error);
    if (process.env['CI'] === 'true') {
      throw new Error(`PostgreSQL is required under CI=true but ${adminUrl()} is unreachable: ${reason}`);
    }
    const bar = '!'.repeat(78);
    process.stderr.write(
      `\n${bar}\n!! PostgreSQL at ${adminUrl()} is unreachable (${reason}).\n` +
        `!! Every PostgreSQL suite is SKIPPED. Start PostgreSQL or set SUNDIAL_TEST_DATABASE_URL.\n${bar}\n\n`,
    );
  }
  project.provide('postgresUrl', reachable ? adminUrl() : null);
  return async () => {
    if (!reachable) return;
    const { rows } = await adminQuery(
      "select datname from pg_database where datname like 'sundial_test_' || $1 || '_%'",
      [runId],
    );
    for (const row of rows as { datname: string }[]) {
      await adminQuery(`drop database if exists "${row.datname}" with (force)`);
    }
  };
}
