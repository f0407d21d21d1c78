/** Liveness (`/healthz`: the process answers) and readiness (`/readyz`: so does the database). */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { ErrorResponse, HealthResponse, ReadyResponse } from '@sundial/contracts';
import type { Store } from '@sundial/store';
import { unavailable } from '../errors.js';
import { VERSION } from '../version.js';

export interface HealthRouteDeps {
  readonly store: Store;
}

export function healthRoutes(deps: HealthRouteDeps): FastifyPluginAsync {
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    app.get(
      '/healthz',
      {
        config: { access: 'public' },
        schema: {
          tags: ['health'],
          summary: 'The process is up',
          response: { 200: HealthResponse },
        },
      },
      async () => ({ status: 'ok' as const, version: VERSION }),
    );
    app.get(
      '/readyz',
      {
        config: { access: 'public' },
        schema: {
          tags: ['health'],
          summary: 'The process is up and its database answers',
          response: { 200: ReadyResponse, 503: ErrorResponse },
        },
      },
      async (request) => {
        try {
          await deps.store.ping();
        } catch (error) {
          request.log.warn({ err: error }, 'readiness check: database does not answer');
          throw unavailable('The database does not answer');
        }
        return { status: 'ready' as const, database: deps.store.kind, schemaVersion: deps.store.migration.latest };
      },
    );
  };
}
