/** Builds a real app on a temporary SQLite (or PostgreSQL) database for HTTP tests through `inject`. */
import { Writable } from 'node:stream';
import { createLogger, loadConfig, buildApp, type ServerConfig, type SundialApp } from '../src/index.js';
import { openStore, type DatabaseKind, type Store } from '@sundial/store';
import { createTestDatabase, type TestDatabase } from '../../../test/support/databases.js';

export interface TestApp extends SundialApp {
  readonly store: Store;
  readonly config: ServerConfig;
  /** Every log line the app wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  /** Raw log text, for scanning. */
  logText(): string;
  close(): Promise<void>;
}

export interface TestAppOptions {
  readonly kind?: DatabaseKind;
  readonly env?: Record<string, string>;
  /** Routes to add before the app is ready (e.g. to exercise the error handler). */
  readonly extend?: (app: SundialApp['app']) => void | Promise<void>;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database: TestDatabase = await createTestDatabase(options.kind ?? 'sqlite');
  const config = loadConfig({
    env: {
      SUNDIAL_DATA_DIR: database.dir ?? '/nonexistent-data-dir',
      SUNDIAL_DATABASE_URL: database.target.kind === 'sqlite' ? `sqlite:${database.target.file}` : database.target.url,
      SUNDIAL_LOG_LEVEL: 'info',
      ...options.env,
    },
  });
  const lines: string[] = [];
  const sink = new Writable({
    write(chunk: Buffer, _encoding, done) {
      lines.push(...chunk.toString('utf8').split('\n').filter(Boolean));
      done();
    },
  });
  const store = await openStore(config.database);
  let built: SundialApp;
  try {
    built = await buildApp(config, { store, logger: createLogger('info', sink) });
    await options.extend?.(built.app);
    await built.app.ready();
  } catch (error) {
    await store.close();
    await database.drop();
    throw error;
  }
  return {
    ...built,
    store,
    config,
    get logs() {
      return lines.map((line) => JSON.parse(line) as Record<string, unknown>);
    },
    logText: () => lines.join('\n'),
    async close() {
      await built.app.close();
      await database.drop();
    },
  };
}
