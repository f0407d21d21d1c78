/**
 * Headers on every answer (SECURITY.md, "Headers"). Written out rather than
 * taken from helmet because helmet's defaults are looser than our policy
 * (they allow inline styles and https: images) and we want every value
 * visible in one place.
 */
import type { FastifyInstance } from 'fastify';

export const CONTENT_SECURITY_POLICY = [
  "default-src 'self'",
  "script-src 'self'",
  "style-src 'self'",
  "img-src 'self' data:",
  "connect-src 'self'",
  "object-src 'none'",
  "base-uri 'none'",
  "form-action 'self'",
  "frame-ancestors 'none'",
].join('; ');

/** Two years, as SECURITY.md asks; only sent where the client reached us over TLS. */
export const STRICT_TRANSPORT_SECURITY = 'max-age=63072000; includeSubDomains';

export interface SecurityHeaderOptions {
  /** Served over TLS, directly or behind a trusted TLS proxy. */
  readonly https: boolean;
  /** Paths (prefixes) whose pages need a looser CSP, with the policy to use. */
  readonly cspOverrides?: ReadonlyArray<{ readonly prefix: string; readonly policy: string }>;
}

export function installSecurityHeaders(app: FastifyInstance, options: SecurityHeaderOptions): void {
  app.addHook('onRequest', async (request, reply) => {
    const path = request.url.split('?')[0] ?? '';
    const override = options.cspOverrides?.find((o) => path === o.prefix || path.startsWith(`${o.prefix}/`));
    reply.headers({
      'content-security-policy': override?.policy ?? CONTENT_SECURITY_POLICY,
      'x-content-type-options': 'nosniff',
      'referrer-policy': 'no-referrer',
      'x-frame-options': 'DENY',
      'cross-origin-opener-policy': 'same-origin',
      'cross-origin-resource-policy': 'same-origin',
      'permissions-policy': 'camera=(), microphone=(), geolocation=(), interest-cohort=()',
      'cache-control': 'no-store',
    });
    if (options.https) reply.header('strict-transport-security', STRICT_TRANSPORT_SECURITY);
  });
}
