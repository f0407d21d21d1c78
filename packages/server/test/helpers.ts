/** Builds a real app on a temporary SQLite (or PostgreSQL) database for HTTP tests through `inject`. */
import { randomBytes } from 'node:crypto';
import { Writable } from 'node:stream';
import {
  buildApp,
  createLogger,
  createServices,
  loadConfig,
  openKeyring,
  type ServerConfig,
  type Services,
  type SundialApp,
} from '../src/index.js';
import { openStore, type DatabaseKind, type Store } from '@sundial/store';
import { createTestDatabase, type TestDatabase } from '../../../test/support/databases.js';

export interface TestApp extends SundialApp {
  readonly store: Store;
  readonly services: Services;
  readonly config: ServerConfig;
  /** Every log line the app wrote, parsed. */
  readonly logs: Record<string, unknown>[];
  /** Raw log text, for scanning. */
  logText(): string;
  close(): Promise<void>;
}

/** One throw-away master key for every test app of this run (each app has its own keyring). */
const KEY = randomBytes(32).toString('base64');

export interface TestAppOptions {
  /** The services' clock (default: the real one). */
  readonly now?: () => number;
  readonly kind?: DatabaseKind;
  readonly env?: Record<string, string>;
  /** Routes to add before the app is ready (e.g. to exercise the error handler). */
  readonly extend?: (app: SundialApp['app']) => void | Promise<void>;
  /** The dashboard build to serve (default: the repository's packages/web/dist, built or not). */
  readonly webRoot?: string;
}

export async function createTestApp(options: TestAppOptions = {}): Promise<TestApp> {
  const database: TestDatabase = await createTestDatabase(options.kind ?? 'sqlite');
  const config = loadConfig({
    env: {
      SUNDIAL_DATA_DIR: database.dir ?? '/nonexistent-data-dir',
      SUNDIAL_DATABASE_URL: database.target.kind === 'sqlite' ? `sqlite:${database.target.file}` : database.target.url,
      SUNDIAL_LOG_LEVEL: 'info',
      SUNDIAL_MASTER_KEY: KEY,
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
  let services: Services;
  try {
    const keyring = await openKeyring({ repo: store.keyring, source: config.masterKey });
    services = createServices(store, keyring, config, { now: options.now });
    built = await buildApp(config, { store, services, logger: createLogger('info', sink), webRoot: options.webRoot });
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
    services,
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
