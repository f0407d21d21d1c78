/**
 * `sundial audit verify` as a child process: an intact log (written by the
 * services in-process against the same data folder and key file) passes
 * with exit 0; one raw edit of one entry fails with exit 1 and one line
 * naming that entry; a setup that never ran is checked without creating a
 * key file.
 */
import { existsSync } from 'node:fs';
import { join } from 'node:path';
import BetterSqlite3 from 'better-sqlite3';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { auditLog, loadConfig, startServer } from '@sundial/server';
import { cleanUp, expectOneLine, freshSetup, MAIN, run, type Setup } from './cli-support.js';

afterEach(cleanUp);

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first (npm test does)`);
});

/** Starts the server in-process, records a few events through the services, stops; answers the entry count. */
async function seed(setup: Setup): Promise<number> {
  const config = loadConfig({ env: { ...setup.env, SUNDIAL_PORT: '0', SUNDIAL_LOG_LEVEL: 'silent' } });
  const server = await startServer(config);
  try {
    const created = await server.services.people.create({ email: 'audit-cli@example.org' });
    if (created === 'email_taken') throw new Error('email taken in a fresh setup');
    const audit = auditLog({ repo: server.store.audit, keyring: server.services.keyring });
    await audit.record({ action: 'auth.signup', actorId: created.id, subjectId: created.id, ip: '192.0.2.5' });
    for (let i = 0; i < 4; i++) {
      await audit.record({
        action: 'auth.login.success',
        actorId: created.id,
        subjectId: created.id,
        ip: '192.0.2.5',
        details: { method: 'password', i },
        private: { ip: '192.0.2.5', userAgent: 'test-agent' },
      });
    }
    return (await server.store.audit.head()).lastSeq;
  } finally {
    await server.close();
  }
}

describe('sundial audit verify', () => {
  it('exits 0 on an intact log, then 1 with one line naming the entry after a raw edit', async () => {
    const setup = freshSetup();
    const entries = await seed(setup);
    expect(entries).toBeGreaterThanOrEqual(5);

    const intact = await run(['audit', 'verify'], setup.env);
    expect(intact.code, intact.stderr).toBe(0);
    expect(intact.stdout.trim()).toBe(`audit log: ${entries} entries, chain intact`);
    expect(intact.stderr).toBe('');

    const target = entries - 2;
    const db = new BetterSqlite3(join(setup.dataDir, 'sundial.db'));
    try {
      expect(db.prepare('update audit_log set details = ? where seq = ?').run('{"i":99}', target).changes).toBe(1);
    } finally {
      db.close();
    }
    const broken = await run(['audit', 'verify'], setup.env);
    expect(broken.code).toBe(1);
    expectOneLine(broken.stderr, new RegExp(`^audit log broken at entry ${target}: \\S`));
    expect(broken.stdout).toBe('');
  });

  it('on a setup that never ran reports an empty log and creates no key file', async () => {
    const setup = freshSetup();
    const result = await run(['audit', 'verify'], setup.env);
    expect(result.code, result.stderr).toBe(0);
    expect(result.stdout.trim()).toBe('audit log: 0 entries, chain intact');
    expect(existsSync(setup.keyFile)).toBe(false);
  });

  it('answers an unknown sub-command with a usage error', async () => {
    const result = await run(['audit', 'rewrite'], {});
    expect(result.code).toBe(2);
    expectOneLine(result.stderr, /unknown sub-command 'rewrite' \(verify\)/);
  });
});
