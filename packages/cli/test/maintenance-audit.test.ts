/**
 * Starting a server, backing up and rotating keys are security-relevant
 * operations: each lands in the audit log, whose chain still verifies.
 */
import { join } from 'node:path';
import { afterEach, expect, it } from 'vitest';
import { openStore } from '@sundial/store';
import { cleanUp, freshSetup, run, startOnce } from './cli-support.js';

afterEach(cleanUp);

it('records the server start, backups and a key rotation in the audit log', async () => {
  const setup = freshSetup();
  await startOnce(setup.env);
  expect((await run(['backup', join(setup.root, 'data.bak')], setup.env)).code).toBe(0);
  expect((await run(['backup-keys', join(setup.root, 'keys.bak')], setup.env)).code).toBe(0);
  expect((await run(['keys', 'rotate-master'], setup.env)).code).toBe(0);

  const store = await openStore({ kind: 'sqlite', file: join(setup.dataDir, 'sundial.db') });
  try {
    const entries = await store.audit.page(0, 100);
    expect(entries.map((e) => e.action)).toEqual(['config.start', 'backup.create', 'backup.create', 'keys.rotate']);
    const details = entries.map((e) => JSON.parse(e.details) as Record<string, unknown>);
    expect(details[0]).toMatchObject({ database: 'sqlite', tls: false, loopbackOnly: true });
    expect(details[1]).toMatchObject({ kind: 'data', via: 'cli' });
    expect(details[2]).toMatchObject({ kind: 'keys', via: 'cli' });
    expect(details[3]).toMatchObject({ via: 'cli' });
  } finally {
    await store.close();
  }
  const verified = await run(['audit', 'verify'], setup.env);
  expect(verified.code, verified.stderr).toBe(0);
  expect(verified.stdout).toMatch(/4 entries, chain intact/);
});
