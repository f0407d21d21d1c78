/**
 * `buildApp(config, deps)`: the Fastify application with every route,
 * hook and handler, ready to `listen` or to `inject` in tests. No I/O
 * happens here beyond reading TLS files; the store is opened by the caller.
 */
import { randomUUID } from 'node:crypto';
import Fastify, { type FastifyInstance } from 'fastify';
import type { Logger } from 'pino';
import type { Store } from '@sundial/store';
import { installAccessRules, type RouteRecord } from './access.js';
import type { ServerConfig } from './config.js';
import { installErrorHandlers } from './error-handler.js';
import { createLogger } from './logger.js';
import { installAuthentication } from './auth/authenticate.js';
import { activityRoutes } from './routes/activity.js';
import { activityWatchRoutes, AW_PREFIX } from './routes/aw/index.js';
import { authRoutes } from './routes/auth.js';
import { alertRoutes } from './routes/alerts.js';
import { categoryRoutes } from './routes/categories.js';
import { deviceRoutes } from './routes/devices.js';
import { reportRoutes } from './routes/reports.js';
import { exportRoutes } from './routes/export.js';
import { healthRoutes } from './routes/health.js';
import { meRoutes } from './routes/me.js';
import { tokenRoutes } from './routes/tokens.js';
import { passkeyRoutes } from './routes/passkeys.js';
import { securityTxtRoutes } from './routes/security-txt.js';
import { totpRoutes } from './routes/totp.js';
import { DEFAULT_WEB_ROOT, webServing } from './routes/web.js';
import type { Services } from './services/services.js';
import { DOCS_PREFIX, openApiRoutes, registerOpenApi } from './routes/openapi.js';
import { CONTENT_SECURITY_POLICY, installSecurityHeaders } from './security-headers.js';
import { tlsServerOptions } from './transport.js';
import { installValidators } from './validation.js';

/** Default body limit; routes that take more (ingest batches) raise their own. */
export const BODY_LIMIT_BYTES = 1024 * 1024;

export interface AppDependencies {
  readonly store: Store;
  readonly services: Services;
  readonly logger?: Logger;
  /** The dashboard's build directory (default: packages/web/dist beside this package). */
  readonly webRoot?: string;
}

export interface SundialApp {
  readonly app: FastifyInstance;
  /** Every registered route with its access rule (filled as routes register). */
  readonly routes: readonly RouteRecord[];
}

const DOCS_CSP = CONTENT_SECURITY_POLICY.replace("style-src 'self'", "style-src 'self' 'unsafe-inline'");

export async function buildApp(config: ServerConfig, deps: AppDependencies): Promise<SundialApp> {
  const https = config.tls ? tlsServerOptions(config.tls) : null;
  const app = Fastify({
    loggerInstance: deps.logger ?? createLogger(config.logLevel),
    https,
    // Request ids are ours alone: a client-supplied id could forge log lines.
    genReqId: () => randomUUID(),
    requestIdHeader: false,
    bodyLimit: BODY_LIMIT_BYTES,
    trustProxy: config.trustProxy.length > 0 ? [...config.trustProxy] : false,
    // Bounds on slow clients (slowloris) and on headers.
    requestTimeout: 30_000,
    connectionTimeout: 60_000,
    return503OnClosing: true,
    forceCloseConnections: 'idle',
    // ActivityWatch bucket ids (up to 128 characters, URL-encoded) travel as path parameters.
    routerOptions: { maxParamLength: 2048 },
  }) as unknown as FastifyInstance;

  const secure = https !== null || config.trustProxy.length > 0;
  const cookies = { secure };
  const routes = installAccessRules(app, { publicPrefixes: [DOCS_PREFIX] });
  installValidators(app);
  const web = webServing({ root: deps.webRoot ?? DEFAULT_WEB_ROOT });
  installErrorHandlers(app, { fallback: web.fallback });
  installSecurityHeaders(app, {
    https: secure,
    cspOverrides: [{ prefix: DOCS_PREFIX, policy: DOCS_CSP }],
  });
  installAuthentication(app, { accounts: deps.services.accounts, cookies });
  app.addHook('onRequest', async (request, reply) => {
    reply.header('x-request-id', request.id);
  });
  app.addHook('onClose', async () => {
    await deps.store.close();
  });

  await registerOpenApi(app);
  await app.register(healthRoutes({ store: deps.store }));
  await app.register(openApiRoutes);
  await app.register(securityTxtRoutes({ contact: config.securityContact, publicUrl: config.publicUrl }));
  await app.register(authRoutes({ accounts: deps.services.accounts, cookies }));
  await app.register(meRoutes({ accounts: deps.services.accounts, audit: deps.services.audit, cookies }));
  await app.register(tokenRoutes({ accounts: deps.services.accounts, sources: deps.services.activity.sources }));
  await app.register(totpRoutes({ accounts: deps.services.accounts }));
  await app.register(activityRoutes({ activity: deps.services.activity, audit: deps.services.audit }));
  await app.register(deviceRoutes({ devices: deps.services.devices, pairing: deps.services.pairing }));
  await app.register(
    categoryRoutes({
      categories: deps.services.categories,
      recategoriser: deps.services.activity.recategoriser,
      audit: deps.services.audit,
    }),
  );
  await app.register(reportRoutes({ reports: deps.services.reports }));
  await app.register(exportRoutes({ store: deps.store, services: deps.services }));
  await app.register(alertRoutes({ alerts: deps.services.alerts, audit: deps.services.audit }));
  await app.register(activityWatchRoutes({ activity: deps.services.activity, store: deps.store }), {
    prefix: AW_PREFIX,
  });
  await app.register(passkeyRoutes({ accounts: deps.services.accounts, passkeys: deps.services.passkeys, cookies }));
  await app.register(web.routes);
  return { app, routes };
}
