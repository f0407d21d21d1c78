/**
 * The ActivityWatch-compatible API, registered under /api/0: unchanged
 * ActivityWatch watchers and clients work against it with a bearer token.
 * Each bucket belongs to the caller's device; reads need `token:read`,
 * writes `token:ingest` (a session may do both).
 *
 * Errors keep the app's `{error: {code, message}, requestId}` and gain a
 * top-level `message`, which ActivityWatch clients read.
 */
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import { bucketRoutes } from './buckets.js';
import type { AwDeps } from './context.js';
import { eventRoutes } from './events.js';
import { exportRoutes } from './export.js';
import { heartbeatRoutes } from './heartbeat.js';
import { importRoutes } from './import.js';
import { infoRoutes } from './info.js';
import { queryRoutes } from './query.js';
import { settingsRoutes } from './settings.js';

export const AW_PREFIX = '/api/0';

function isErrorBody(body: unknown): body is { error: { message: string } } {
  if (body === null || typeof body !== 'object' || Array.isArray(body) || 'message' in body) return false;
  const error = (body as { error?: unknown }).error;
  return error !== null && typeof error === 'object' && typeof (error as { message?: unknown }).message === 'string';
}

/** Adds `message` to an error answer (the app's handler has already serialised it). */
async function withMessage(_request: FastifyRequest, reply: FastifyReply, payload: unknown): Promise<unknown> {
  if (reply.statusCode < 400 || typeof payload !== 'string') return payload;
  let body: unknown;
  try {
    body = JSON.parse(payload);
  } catch {
    return payload;
  }
  return isErrorBody(body) ? JSON.stringify({ message: body.error.message, ...body }) : payload;
}

/** Register with `{ prefix: AW_PREFIX }`. */
export function activityWatchRoutes(deps: AwDeps): FastifyPluginAsync {
  return async (instance) => {
    instance.addHook('onSend', withMessage);
    instance.setNotFoundHandler((request, reply) => {
      const message = `No route for ${request.method} ${request.url.split('?')[0] ?? ''}`;
      return reply
        .code(404)
        .type('application/json; charset=utf-8')
        .send({ message, error: { code: 'not_found', message }, requestId: request.id });
    });
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    infoRoutes(app, deps);
    bucketRoutes(app, deps);
    eventRoutes(app, deps);
    heartbeatRoutes(app, deps);
    exportRoutes(app, deps);
    await app.register(importRoutes(deps));
    queryRoutes(app, deps);
    settingsRoutes(app, deps);
  };
}
