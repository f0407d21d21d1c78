/**
 * The real `sundial` command as a child process, talking to it over a
 * socket: start-up, the files it creates, a graceful stop, and one clear line
 * for each way start-up can fail.
 */
import { existsSync, statSync, writeFileSync } from 'node:fs';
import { createServer, type Server } from 'node:net';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, inject, it } from 'vitest';
import { VERSION } from '@sundial/server';
import { createTestDatabase } from '../../../test/support/databases.js';
import { cleanUp, MAIN, onCleanUp, run, serve, tempDir } from './cli-support.js';

afterEach(cleanUp);

function expectOneCleanLine(stderr: string, pattern: RegExp): void {
  const lines = stderr.trim().split('\n');
  expect(
    lines.some((line) => pattern.test(line)),
    stderr,
  ).toBe(true);
  expect(stderr).not.toMatch(/\n\s+at /); // no stack trace
}

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first (npm test does)`);
});

describe('sundial serve', () => {
  it('serves /healthz over a socket, creates its database privately, and stops cleanly on SIGTERM', async () => {
    const data = join(tempDir(), 'fresh', 'data');
    const server = await serve({ SUNDIAL_DATA_DIR: data });
    expect(server.url).toMatch(/^http:\/\/127\.0\.0\.1:\d+$/);

    const health = await fetch(`${server.url}/healthz`);
    expect(health.status).toBe(200);
    expect(await health.json()).toEqual({ status: 'ok', version: VERSION });
    const ready = await fetch(`${server.url}/readyz`);
    expect(((await ready.json()) as { database: string }).database).toBe('sqlite');

    expect(statSync(data).mode & 0o777).toBe(0o700);
    expect(statSync(join(data, 'sundial.db')).mode & 0o777).toBe(0o600);
    expect(existsSync(join(data, 'sundial.db-wal'))).toBe(true);

    server.child.kill('SIGTERM');
    const finished = await server.exited;
    expect(finished.code).toBe(0);
    expect(finished.stdout).toContain('Sundial stopped.');
    // The database was closed properly: SQLite checkpointed and removed its WAL.
    expect(existsSync(join(data, 'sundial.db-wal'))).toBe(false);
    await expect(fetch(`${server.url}/healthz`)).rejects.toThrow();
  });

  it('`up` runs with the embedded default in the data folder', async () => {
    const data = tempDir();
    const server = await serve({ SUNDIAL_DATA_DIR: data }, ['up', '--port', '0']);
    expect((await fetch(`${server.url}/healthz`)).status).toBe(200);
    expect(existsSync(join(data, 'sundial.db'))).toBe(true);
    server.child.kill('SIGINT');
    expect((await server.exited).code).toBe(0);
  });

  it('runs its migrations on PostgreSQL and answers /readyz', async (context) => {
    if (inject('postgresUrl') === null) context.skip();
    const database = await createTestDatabase('postgres');
    onCleanUp(() => database.drop());
    if (database.target.kind !== 'postgres') throw new Error('expected PostgreSQL');
    const server = await serve({
      SUNDIAL_DATA_DIR: tempDir(),
      SUNDIAL_DATABASE_URL: database.target.url,
    });
    const ready = await fetch(`${server.url}/readyz`);
    expect(ready.status).toBe(200);
    expect(await ready.json()).toMatchObject({ status: 'ready', database: 'postgres' });
    server.child.kill('SIGTERM');
    expect((await server.exited).code).toBe(0);
  });
});

describe('start-up failures: one clear line and a non-zero exit', () => {
  it('refuses plain HTTP on 0.0.0.0 (exit 2)', async () => {
    const result = await run(['serve'], { SUNDIAL_DATA_DIR: tempDir(), SUNDIAL_HOST: '0.0.0.0' });
    expect(result.code).toBe(2);
    expectOneCleanLine(result.stderr, /SUNDIAL_HOST=0\.0\.0\.0 is not a loopback address.*SUNDIAL_TLS_CERT/);
  });

  it('reports every configuration problem at once (exit 2)', async () => {
    const result = await run(['serve'], { SUNDIAL_PORT: 'x', SUNDIAL_DATABASE_URL: 'mysql://a/b', SUNDIAL_WHAT: '1' });
    expect(result.code).toBe(2);
    expect(result.stderr.trim().split('\n')).toHaveLength(3);
    expectOneCleanLine(result.stderr, /SUNDIAL_WHAT is not a Sundial setting/);
  });

  it('says the port is in use (exit 1)', async () => {
    const blocker: Server = createServer();
    await new Promise<void>((resolve) => blocker.listen(0, '127.0.0.1', resolve));
    onCleanUp(() => new Promise<void>((resolve) => blocker.close(() => resolve())));
    const address = blocker.address();
    const port = typeof address === 'object' && address ? address.port : 0;
    const result = await run(['serve', '--port', String(port)], { SUNDIAL_DATA_DIR: tempDir() });
    expect(result.code).toBe(1);
    expectOneCleanLine(result.stderr, new RegExp(`port ${port} on 127\\.0\\.0\\.1 is already in use`));
  });

  it('says PostgreSQL is unreachable without showing its password (exit 1)', async () => {
    const result = await run(['serve'], {
      SUNDIAL_DATA_DIR: tempDir(),
      SUNDIAL_DATABASE_URL: 'postgres://sundial:topsecret@127.0.0.1:1/sundial',
    });
    expect(result.code).toBe(1);
    expectOneCleanLine(
      result.stderr,
      /cannot reach PostgreSQL at postgres:\/\/sundial:\*\*\*@127\.0\.0\.1:1\/sundial: connection refused/,
    );
    expect(result.stderr + result.stdout).not.toContain('topsecret');
  });

  it('says the data folder cannot be written (exit 1)', async () => {
    const file = join(tempDir(), 'a-file');
    writeFileSync(file, 'not a folder');
    const result = await run(['serve'], { SUNDIAL_DATA_DIR: join(file, 'data') });
    expect(result.code).toBe(1);
    expectOneCleanLine(result.stderr, /the data folder .*a-file\/data cannot be created or written/);
  });

  it('refuses an unknown flag (exit 2)', async () => {
    const result = await run(['serve', '--colour', 'blue']);
    expect(result.code).toBe(2);
    expectOneCleanLine(result.stderr, /--colour/);
  });

  it('refuses an unknown command (exit 2)', async () => {
    const result = await run(['launch']);
    expect(result.code).toBe(2);
    expectOneCleanLine(result.stderr, /unknown command 'launch'/);
  });
});

describe('help and version', () => {
  it('prints the version', async () => {
    const result = await run(['--version']);
    expect(result).toMatchObject({ code: 0, stdout: `${VERSION}\n` });
  });

  it('lists the commands', async () => {
    const result = await run(['--help']);
    expect(result.code).toBe(0);
    expect(result.stdout).toMatch(/^\s+up\s/m);
    expect(result.stdout).toMatch(/^\s+serve\s/m);
  });

  it.each(['serve', 'up'])('`%s --help` documents every setting with its variable', async (command) => {
    const result = await run([command, '--help']);
    expect(result.code).toBe(0);
    for (const name of [
      'SUNDIAL_DATA_DIR',
      'SUNDIAL_DATABASE_URL',
      'SUNDIAL_HOST',
      'SUNDIAL_PORT',
      'SUNDIAL_TLS_CERT',
      'SUNDIAL_TLS_KEY',
      'SUNDIAL_TRUST_PROXY',
      'SUNDIAL_LOG_LEVEL',
    ]) {
      expect(result.stdout).toContain(name);
    }
  });
});
