/**
 * The web dashboard, served from its build (packages/web/dist) on the same
 * origin as the API, so the session cookie and the `'self'` CSP just work.
 * Hashed assets are cached for a year; index.html is revalidated so a new
 * build is picked up at once. Any other GET that is not an API path is a
 * client-side route and gets index.html (from the not-found handler). Without a build, `/` says how to
 * make one instead of failing obscurely.
 */
import { readFile, stat } from 'node:fs/promises';
import { extname, resolve, sep } from 'node:path';
import { fileURLToPath } from 'node:url';
import type { FastifyPluginAsync, FastifyReply, FastifyRequest } from 'fastify';

/** Where `npm run build` puts the dashboard, relative to this module in src/ or dist/. */
export const DEFAULT_WEB_ROOT = fileURLToPath(new URL('../../../web/dist/', import.meta.url));

const TYPES: Record<string, string> = {
  '.html': 'text/html; charset=utf-8',
  '.js': 'text/javascript; charset=utf-8',
  '.css': 'text/css; charset=utf-8',
  '.svg': 'image/svg+xml',
  '.png': 'image/png',
  '.ico': 'image/x-icon',
  '.json': 'application/json; charset=utf-8',
  '.woff2': 'font/woff2',
  '.txt': 'text/plain; charset=utf-8',
};

/** Content-hashed by the build: safe to keep forever. */
const IMMUTABLE = 'public, max-age=31536000, immutable';
/** Unhashed files (favicon): a day. */
const SHORT = 'public, max-age=86400';

/** Paths the dashboard never claims: they belong to the API (and answer JSON 404s). */
const NOT_WEB = [/^\/api(\/|$)/, /^\/healthz$/, /^\/readyz$/, /^\/\.well-known\//];

/** The dashboard's route: public (it is a page; its data needs a session), and not in the API description. */
export const WEB_ROUTE_URLS = ['/'] as const;

export const MISSING_BUILD_PAGE = `<!doctype html>
<html lang="en"><head><meta charset="utf-8"><title>Sundial: the dashboard is not built</title></head>
<body><h1>The Sundial dashboard is not built yet</h1>
<p>The server is running and its API answers at <code>/api/v1</code>, but the web dashboard has not been built.</p>
<p>From the Sundial folder, run <code>npm run build</code> (or <code>npm ci &amp;&amp; npm start</code>), then reload this page.</p>
</body></html>
`;

async function fileIn(root: string, urlPath: string): Promise<string | null> {
  let decoded: string;
  try {
    decoded = decodeURIComponent(urlPath);
  } catch {
    return null;
  }
  if (decoded.includes('\0')) return null;
  const file = resolve(root, `.${decoded}`);
  // Nothing outside the build directory, whatever the path says (../, encoded or not).
  if (file !== root && !file.startsWith(root.endsWith(sep) ? root : root + sep)) return null;
  try {
    return (await stat(file)).isFile() ? file : null;
  } catch {
    return null;
  }
}

// These helpers answer whether they replied, never the reply itself: a reply is thenable, so an
// async function returning it resolves to what sending resolves to, not to the reply.
async function send(reply: FastifyReply, file: string, cacheControl: string): Promise<true> {
  const body = await readFile(file);
  reply
    .header('content-type', TYPES[extname(file)] ?? 'application/octet-stream')
    .header('cache-control', cacheControl)
    .send(body);
  return true;
}

export interface WebServing {
  /** Serves `/` (the route). */
  readonly routes: FastifyPluginAsync;
  /**
   * For the not-found handler: answers a GET for a file of the build or a client-side route and
   * says true, or says false when the path is not the dashboard's (an API path, a missing asset),
   * which stays a 404.
   */
  readonly fallback: (request: FastifyRequest, reply: FastifyReply) => Promise<boolean>;
}

export function webServing(deps: { root: string }): WebServing {
  const root = resolve(deps.root);
  const serve = async (path: string, reply: FastifyReply): Promise<boolean> => {
    const index = await fileIn(root, '/index.html');
    if (!index) {
      reply
        .status(503)
        .header('content-type', 'text/html; charset=utf-8')
        .header('cache-control', 'no-store')
        .send(MISSING_BUILD_PAGE);
      return true;
    }
    if (path !== '/' && path !== '/index.html') {
      const file = await fileIn(root, path);
      if (file) return send(reply, file, path.startsWith('/assets/') ? IMMUTABLE : SHORT);
      // A missing asset is a 404, not the app: a stale page asking for an old chunk must see it fail.
      if (path.startsWith('/assets/') || extname(path) !== '') return false;
    }
    return send(reply, index, 'no-cache');
  };
  return {
    routes: async (app) => {
      const options = { config: { access: 'public' as const }, schema: { hide: true } };
      app.get('/', options, async (_request, reply) => {
        if (!(await serve('/', reply))) reply.callNotFound();
        return reply;
      });
    },
    // Not a `/*` route: a wildcard would shadow the not-found handlers that API prefixes
    // (the ActivityWatch API) set for themselves.
    fallback: async (request, reply) => {
      if (request.method !== 'GET') return false;
      const path = request.url.split('?')[0] ?? '/';
      if (NOT_WEB.some((pattern) => pattern.test(path))) return false;
      return serve(path, reply);
    },
  };
}
