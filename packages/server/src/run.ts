/**
 * Starting and stopping a server process: prepare the data folder, open and
 * migrate the store, build the app, listen. Every expected failure becomes a
 * `StartupError` whose message is one line an operator can act on.
 */
import { randomBytes } from 'node:crypto';
import { mkdirSync, rmSync, writeFileSync } from 'node:fs';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import type { Logger } from 'pino';
import { uuidv7 } from '@sundial/core';
import { startRetentionJob } from './jobs/retention.js';
import { openStore, StoreError, type Store } from '@sundial/store';
import { buildApp, type SundialApp } from './app.js';
import { describeConfig, isLoopbackHost, type ServerConfig } from './config.js';
import { VERSION } from './version.js';
import { createLogger } from './logger.js';
import { openKeyring } from './keys/keyring.js';
import { KeySetupError } from './keys/master-key.js';
import { createServices, type Services } from './services/services.js';
import { TlsFileError } from './transport.js';

export class StartupError extends Error {
  constructor(message: string, options?: { cause?: unknown }) {
    super(message, options);
    this.name = 'StartupError';
  }
}

export interface RunningServer extends SundialApp {
  /** Where the server answers, e.g. http://127.0.0.1:8600. */
  readonly url: string;
  readonly store: Store;
  readonly services: Services;
  /** Stops accepting, finishes requests in flight, closes the database. */
  close(): Promise<void>;
}

export interface StartOptions {
  readonly logger?: Logger;
}

export async function startServer(config: ServerConfig, options: StartOptions = {}): Promise<RunningServer> {
  const logger = options.logger ?? createLogger(config.logLevel);
  prepareDataDir(config.dataDir);
  let store: Store;
  try {
    store = await openStore(config.database);
  } catch (error) {
    if (error instanceof StoreError) throw new StartupError(error.message, { cause: error });
    throw error;
  }
  let built: SundialApp;
  let services: Services;
  try {
    await store.instanceMeta.setIfAbsent('instance.id', uuidv7(Date.now(), randomBytes(10)), Date.now());
    const keyring = await openKeyring({
      repo: store.keyring,
      source: config.masterKey,
      dataHoldsPeople: async () => (await store.users.count()) > 0,
    });
    services = createServices(store, keyring, config, {
      warn: (message, error) => logger.warn({ err: error }, message),
    });
    const resumed = await services.people.resumeDeletions();
    if (resumed > 0) logger.info({ resumed }, 'finished account deletions interrupted by a crash');
    built = await buildApp(config, { store, services, logger });
  } catch (error) {
    await store.close();
    if (error instanceof TlsFileError || error instanceof KeySetupError)
      throw new StartupError(error.message, { cause: error });
    throw error;
  }
  const { app } = built;
  try {
    await app.listen({ host: config.host, port: config.port });
  } catch (error) {
    await app.close();
    throw new StartupError(describeListenError(error, config), { cause: error });
  }
  const address = app.server.address() as AddressInfo;
  const host = address.family === 'IPv6' ? `[${address.address}]` : address.address;
  const url = `${config.tls ? 'https' : 'http'}://${host}:${address.port}`;
  // The configuration a process starts with is part of the audit trail (no secrets, no paths).
  await services.audit.record({
    action: 'config.start',
    details: {
      version: VERSION,
      database: store.kind,
      schema: store.migration.latest,
      tls: config.tls !== null,
      trustedProxies: config.trustProxy.length,
      loopbackOnly: isLoopbackHost(config.host),
      signup: config.signup,
      mail: config.smtp !== null,
      masterKeyId: services.keyring.masterKeyId,
    },
  });
  const retention = startRetentionJob(services.activity.eraser, logger);
  // Histories left behind their rules (a stop mid-run, or data from before categories existed).
  const behind = await services.activity.recategoriser.resume();
  if (behind > 0) logger.info({ people: behind }, 're-categorising activity history');
  logger.info(
    { config: describeConfig(config), database: store.kind, schema: store.migration.latest },
    'Sundial is ready',
  );
  return {
    ...built,
    url,
    store,
    services,
    close: () => {
      retention.stop();
      return app.close();
    },
  };
}

/** Creates the data folder (owner-only) and proves it is writable before anything else starts. */
function prepareDataDir(dir: string): void {
  try {
    mkdirSync(dir, { recursive: true, mode: 0o700 });
    const probe = join(dir, `.write-check-${process.pid}`);
    writeFileSync(probe, '');
    rmSync(probe);
  } catch (error) {
    const reason = error instanceof Error && 'code' in error ? String(error.code) : String(error);
    throw new StartupError(
      `the data folder ${dir} cannot be created or written (${reason}); set SUNDIAL_DATA_DIR or --data-dir`,
      {
        cause: error,
      },
    );
  }
}

function describeListenError(error: unknown, config: ServerConfig): string {
  const code = error instanceof Error && 'code' in error ? String(error.code) : '';
  const where = `${config.host}:${config.port}`;
  switch (code) {
    case 'EADDRINUSE':
      return `port ${config.port} on ${config.host} is already in use; stop the other program or choose another port with SUNDIAL_PORT or --port`;
    case 'EADDRNOTAVAIL':
      return `${config.host} is not an address of this machine (SUNDIAL_HOST / --host)`;
    case 'EACCES':
      return `no permission to listen on ${where}; ports below 1024 need extra privileges`;
    case 'ENOTFOUND':
      return `the host name ${config.host} does not resolve (SUNDIAL_HOST / --host)`;
    default:
      return `cannot listen on ${where}: ${error instanceof Error ? error.message : String(error)}`;
  }
}
