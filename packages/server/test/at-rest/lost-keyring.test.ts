/**
 * A keyring lost while the data survives (a data folder copied without
 * `sundial.keyring.db`, a data backup restored without its keyring backup)
 * must stop the start: a new, empty keyring would make every person
 * unreadable and let their emails register again.
 */
import { rmSync } from 'node:fs';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { keyringFileFor } from '@sundial/store';
import pg from 'pg';
import { startServer, StartupError } from '../../src/index.js';
import { eachDatabase } from '../../../../test/support/databases.js';
import { startAtRestServer, type AtRestServer } from './support.js';

eachDatabase('a lost keyring', (kind) => {
  let setup: AtRestServer;
  beforeEach(async () => {
    setup = await startAtRestServer(kind);
  });
  afterEach(async () => setup.dispose());

  it('stops the next start with one line saying to restore it', async () => {
    const created = await setup.server.services.people.create({ email: 'ada@example.org' });
    expect(created).not.toBe('email_taken');
    await setup.server.close();

    const target = setup.config.database;
    if (target.kind === 'sqlite') {
      for (const suffix of ['', '-wal', '-shm']) rmSync(`${keyringFileFor(target.file)}${suffix}`, { force: true });
    } else {
      const client = new pg.Client({ connectionString: target.url });
      await client.connect();
      await client.query('drop schema sundial_keyring cascade');
      await client.end();
    }

    const error = await startServer(setup.config).then(
      async (server) => {
        await server.close();
        return null;
      },
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(StartupError);
    expect(String((error as Error).message)).toMatch(
      /keyring is empty but the database holds people.*sundial restore --keys/,
    );
  });
});
