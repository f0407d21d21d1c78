/** The signed-in person: profile, password, sessions, and deleting the account. */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  EmailChangeBody,
  ERROR_RESPONSES,
  SecurityLogQuery,
  SecurityLogResponse,
  IdParams,
  NoContent,
  MeResponse,
  PasswordChangeBody,
  ReauthBody,
  SessionsResponse,
} from '@sundial/contracts';
import {
  clearSessionCookie,
  clientInfo,
  principalOf,
  setSessionCookie,
  type CookieSettings,
} from '../auth/authenticate.js';
import type { AuditLog } from '../audit/index.js';
import type { Accounts } from '../services/accounts.js';
import { formatIsoTimestamp } from '@sundial/core';
import { meView, sessionView } from './views.js';

export function meRoutes(deps: { accounts: Accounts; audit: AuditLog; cookies: CookieSettings }): FastifyPluginAsync {
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    const errors = ERROR_RESPONSES;

    app.get(
      '/api/v1/me',
      {
        config: { access: 'token:read' },
        schema: { tags: ['me'], summary: 'Who I am', response: { 200: MeResponse, ...errors } },
      },
      async (request) => meView(await deps.accounts.me(principalOf(request).userId)),
    );

    app.post(
      '/api/v1/me/password',
      {
        config: { access: 'session' },
        schema: {
          tags: ['me'],
          summary: 'Change my password (ends every other session)',
          body: PasswordChangeBody,
          response: { 204: NoContent, ...errors },
        },
      },
      async (request, reply) => {
        const session = await deps.accounts.changePassword(
          principalOf(request),
          request.body.currentPassword,
          request.body.newPassword,
          clientInfo(request),
        );
        setSessionCookie(reply, deps.cookies, session.token, session.maxAgeSeconds);
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/v1/me/email',
      {
        config: { access: 'session' },
        schema: {
          tags: ['me'],
          summary: 'Change my email (password, and code when two-factor sign-in is on)',
          body: EmailChangeBody,
          response: { 204: NoContent, ...errors },
        },
      },
      async (request, reply) => {
        await deps.accounts.changeEmail(principalOf(request), request.body, clientInfo(request));
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/v1/me/sessions',
      {
        config: { access: 'session' },
        schema: { tags: ['me'], summary: 'My active sessions', response: { 200: SessionsResponse, ...errors } },
      },
      async (request) => ({ sessions: (await deps.accounts.listSessions(principalOf(request))).map(sessionView) }),
    );

    app.delete(
      '/api/v1/me/sessions/:id',
      {
        config: { access: 'session' },
        schema: {
          tags: ['me'],
          summary: 'End one of my sessions',
          params: IdParams,
          response: { 204: NoContent, ...errors },
        },
      },
      async (request, reply) => {
        await deps.accounts.revokeSession(principalOf(request), request.params.id, clientInfo(request));
        return reply.status(204).send(null);
      },
    );

    app.get(
      '/api/v1/me/security-log',
      {
        config: { access: 'session' },
        schema: {
          tags: ['me'],
          summary: 'My security log: log-ins, sessions, tokens, password and 2FA changes',
          querystring: SecurityLogQuery,
          response: { 200: SecurityLogResponse, ...errors },
        },
      },
      async (request) => {
        const entries = await deps.audit.securityLog(principalOf(request).userId, {
          limit: request.query.limit,
          beforeSeq: request.query.before,
        });
        return {
          entries: entries.map((e) => {
            const ip = e.private?.['ip'];
            const agent = e.private?.['userAgent'];
            return {
              seq: e.seq,
              at: formatIsoTimestamp(e.at),
              action: e.action,
              ip: typeof ip === 'string' ? ip : e.ip,
              userAgent: typeof agent === 'string' ? agent : null,
              details: e.details,
            };
          }),
        };
      },
    );

    app.delete(
      '/api/v1/me',
      {
        config: { access: 'session' },
        schema: {
          tags: ['me'],
          summary: 'Delete my account and all my data, for good',
          body: ReauthBody,
          response: { 204: NoContent, ...errors },
        },
      },
      async (request, reply) => {
        await deps.accounts.deleteAccount(
          principalOf(request),
          request.body.password,
          request.body.code,
          clientInfo(request),
        );
        clearSessionCookie(reply, deps.cookies);
        return reply.status(204).send(null);
      },
    );
  };
}
