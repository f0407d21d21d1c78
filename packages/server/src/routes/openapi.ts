/**
 * The OpenAPI document, generated from the route schemas, and its browsable
 * UI. The UI page needs inline styles, so it gets its own, slightly looser
 * CSP (see app.ts); the API itself keeps the strict one.
 */
import type { FastifyInstance, FastifyPluginAsync } from 'fastify';
import swagger from '@fastify/swagger';
import swaggerUi from '@fastify/swagger-ui';
import { VERSION } from '../version.js';

export const DOCS_PREFIX = '/api/docs';

export async function registerOpenApi(app: FastifyInstance): Promise<void> {
  await app.register(swagger, {
    openapi: {
      openapi: '3.1.0',
      info: {
        title: 'Sundial API',
        version: VERSION,
        description: 'Self-hostable, privacy-first automatic time tracking.',
        license: { name: 'AGPL-3.0-only', identifier: 'AGPL-3.0-only' },
      },
    },
  });
  await app.register(swaggerUi, { routePrefix: DOCS_PREFIX, staticCSP: false });
}

export const openApiRoutes: FastifyPluginAsync = async (app) => {
  app.get(
    '/api/openapi.json',
    { config: { access: 'public' }, schema: { tags: ['meta'], summary: 'This OpenAPI document' } },
    async () => app.swagger(),
  );
};
