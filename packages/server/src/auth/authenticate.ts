/**
 * Authentication and access enforcement for every route: resolves the
 * caller (bearer token, else session cookie), then applies the route's
 * declared access rule. Also refuses a state-changing request whose Origin
 * is not this server's (cross-site request forgery; the SameSite=Strict
 * cookie is the first line, this the second).
 */
import type { FastifyInstance, FastifyReply, FastifyRequest } from 'fastify';
import type { AccessRule } from '../access.js';
import { AppError } from '../errors.js';
import type { Accounts } from '../services/accounts.js';
import type { ClientInfo, Principal } from './principal.js';

const SAFE_METHODS = new Set(['GET', 'HEAD', 'OPTIONS']);
const USER_AGENT_MAX = 256;

export interface CookieSettings {
  /** Served over TLS (directly or behind the trusted proxy): `Secure` and the `__Host-` prefix. */
  readonly secure: boolean;
}

export function sessionCookieName(settings: CookieSettings): string {
  return settings.secure ? '__Host-sundial_session' : 'sundial_session';
}

export function setSessionCookie(
  reply: FastifyReply,
  settings: CookieSettings,
  token: string,
  maxAgeSeconds: number,
): void {
  const parts = [
    `${sessionCookieName(settings)}=${token}`,
    'Path=/',
    'HttpOnly',
    'SameSite=Strict',
    `Max-Age=${maxAgeSeconds}`,
  ];
  if (settings.secure) parts.push('Secure');
  void reply.header('set-cookie', parts.join('; '));
}

export function clearSessionCookie(reply: FastifyReply, settings: CookieSettings): void {
  const parts = [`${sessionCookieName(settings)}=`, 'Path=/', 'HttpOnly', 'SameSite=Strict', 'Max-Age=0'];
  if (settings.secure) parts.push('Secure');
  void reply.header('set-cookie', parts.join('; '));
  void reply.header('clear-site-data', '"cookies", "storage"');
}

export function clientInfo(request: FastifyRequest): ClientInfo {
  const agent = request.headers['user-agent'];
  return { ip: request.ip, userAgent: typeof agent === 'string' ? agent.slice(0, USER_AGENT_MAX) : null };
}

/** The principal, which the route's access rule guarantees is there. */
export function principalOf(request: FastifyRequest): Principal {
  if (!request.principal) throw new AppError('auth.required', 'Sign in first');
  return request.principal;
}

function readCookie(header: string | undefined, name: string): string | null {
  if (!header) return null;
  for (const part of header.split(';')) {
    const [key, ...rest] = part.trim().split('=');
    if (key === name) return rest.join('=');
  }
  return null;
}

export function allows(rule: AccessRule, principal: Principal): boolean {
  switch (rule) {
    case 'public':
      return true;
    case 'session':
      return principal.via === 'session';
    case 'admin':
      return principal.role === 'admin' && (principal.via === 'session' || principal.scopes.includes('admin'));
    default: {
      const scope = rule.slice('token:'.length);
      return principal.via === 'session' || principal.scopes.some((s) => s === scope);
    }
  }
}

export function installAuthentication(
  app: FastifyInstance,
  deps: { accounts: Accounts; cookies: CookieSettings },
): void {
  app.decorateRequest('principal', null);
  app.addHook('onRequest', async (request) => {
    if (!SAFE_METHODS.has(request.method)) {
      const origin = request.headers.origin;
      if (origin !== undefined && origin !== `${request.protocol}://${request.host}`) {
        throw new AppError('auth.forbidden', 'Cross-site requests are not accepted');
      }
    }
    const rule = request.routeOptions.config?.access;
    if (rule === undefined || rule === 'public') return;

    const authorization = request.headers.authorization;
    let principal: Principal | null = null;
    if (authorization !== undefined) {
      const match = /^Bearer (\S+)$/i.exec(authorization);
      principal = match?.[1] ? await deps.accounts.tokenPrincipal(match[1]) : null;
      if (!principal)
        throw new AppError('auth.required', 'The bearer token is not valid (unknown, revoked or expired)');
    } else {
      const token = readCookie(request.headers.cookie, sessionCookieName(deps.cookies));
      principal = token ? await deps.accounts.sessionPrincipal(token) : null;
      if (!principal) throw new AppError('auth.required', 'Sign in first (no valid session)');
    }
    if (!allows(rule, principal)) throw new AppError('auth.forbidden', 'This credential may not do that');
    request.principal = principal;
  });
}
