/**
 * Deny by default: every route declares who may call it in
 * `config.access`, and registering a route without one fails at start.
 * The route table is kept so tests can walk it.
 *
 * Rules: `public` (anyone), `session` (a signed-in person, by cookie),
 * `token:<scope>` (a bearer token with that scope, or a session), `admin`
 * (an instance administrator). Enforcement of the non-public rules arrives
 * with accounts; until then only public routes exist.
 */
import type { FastifyInstance } from 'fastify';

export const TOKEN_SCOPES = ['ingest', 'read', 'admin'] as const;
export type TokenScope = (typeof TOKEN_SCOPES)[number];
export type AccessRule = 'public' | 'session' | 'admin' | `token:${TokenScope}`;

declare module 'fastify' {
  interface FastifyContextConfig {
    access?: AccessRule;
  }
}

export interface RouteRecord {
  readonly method: string;
  readonly url: string;
  readonly access: AccessRule;
}

export interface AccessOptions {
  /** Routes registered by plugins (API docs) under this prefix are public. */
  readonly publicPrefixes: readonly string[];
}

export function installAccessRules(app: FastifyInstance, options: AccessOptions): RouteRecord[] {
  const table: RouteRecord[] = [];
  app.addHook('onRoute', (route) => {
    const methods = Array.isArray(route.method) ? route.method : [route.method];
    const inPublicPrefix = options.publicPrefixes.some((p) => route.url === p || route.url.startsWith(`${p}/`));
    if (route.config?.access === undefined && inPublicPrefix) {
      route.config = { ...route.config, access: 'public' };
    }
    const access = route.config?.access;
    if (access === undefined) {
      throw new Error(`route ${methods.join(',')} ${route.url} declares no access rule (config.access)`);
    }
    for (const method of methods) table.push({ method, url: route.url, access });
  });
  return table;
}
