/**
 * Edges of the key and backup commands found while testing them: replacing
 * an earlier backup with --force, and stopping `sundial serve` the moment it
 * says it is running. The child-process helpers are in ./cli-support.ts.
 */
import { chmodSync, existsSync, readFileSync, statSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, beforeAll, describe, expect, it } from 'vitest';
import { cleanUp, freshSetup, MAIN, run, serve, startOnce } from './cli-support.js';

afterEach(cleanUp);

beforeAll(() => {
  if (!existsSync(MAIN)) throw new Error(`${MAIN} is missing: run npm run build first (npm test does)`);
});

const mode = (file: string): number => statSync(file).mode & 0o777;

describe('sundial backup and backup-keys --force', () => {
  it('`backup --force` over a world-readable earlier backup leaves it 0600', async () => {
    const setup = freshSetup();
    await startOnce(setup.env);
    const file = join(setup.root, 'data.bak');
    expect((await run(['backup', file], setup.env)).code).toBe(0);
    chmodSync(file, 0o644);
    const result = await run(['backup', file, '--force'], setup.env);
    expect(result.code, result.stderr).toBe(0);
    expect(mode(file)).toBe(0o600);
  });

  it('`backup-keys --force` over a world-readable earlier backup leaves it 0600', async () => {
    const setup = freshSetup();
    await startOnce(setup.env);
    const file = join(setup.root, 'keys.bak');
    expect((await run(['backup-keys', file], setup.env)).code).toBe(0);
    chmodSync(file, 0o644);
    const result = await run(['backup-keys', file, '--force'], setup.env);
    expect(result.code, result.stderr).toBe(0);
    expect(mode(file)).toBe(0o600);
  });

  it('`backup --force` replaces a file that is not a database', async () => {
    const setup = freshSetup();
    await startOnce(setup.env);
    const file = join(setup.root, 'data.bak');
    writeFileSync(file, 'an old, damaged backup', { mode: 0o600 });
    const result = await run(['backup', file, '--force'], setup.env);
    expect(result.code, result.stderr).toBe(0);
    expect(readFileSync(file).subarray(0, 15).toString('latin1')).toBe('SQLite format 3');
  });
});

describe('sundial serve and SIGTERM', () => {
  it('stops gracefully when SIGTERM comes right after the ready line', async () => {
    const setup = freshSetup();
    for (let attempt = 0; attempt < 10; attempt++) {
      const running = await serve({ ...setup.env, SUNDIAL_LOG_LEVEL: 'silent' });
      running.child.kill('SIGTERM');
      const finished = await running.exited;
      expect({ code: finished.code, signal: running.child.signalCode }).toEqual({ code: 0, signal: null });
      expect(finished.stdout).toContain('Sundial stopped.');
    }
    // Ten real starts: on a busy two-core machine each can take a few seconds.
  }, 180_000);
});
