/** Sign-up, log-in and log-out. */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AuthenticationResponseJSON } from '@simplewebauthn/server';
import {
  AcceptedResponse,
  InstanceStatusResponse,
  ERROR_RESPONSES,
  NoContent,
  ResetConfirmBody,
  ResetRequestBody,
  LoginBody,
  MeResponse,
  SignupBody,
} from '@sundial/contracts';
import {
  clearSessionCookie,
  clientInfo,
  principalOf,
  setSessionCookie,
  type CookieSettings,
} from '../auth/authenticate.js';
import type { Accounts } from '../services/accounts.js';
import { meView } from './views.js';

export function authRoutes(deps: { accounts: Accounts; cookies: CookieSettings }): FastifyPluginAsync {
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    const errors = ERROR_RESPONSES;

    app.get(
      '/api/v1/auth/instance',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Whether any account exists yet and whether sign-up is open (for the first screen)',
          response: { 200: InstanceStatusResponse, ...errors },
        },
      },
      async () => deps.accounts.instanceStatus(),
    );

    app.post(
      '/api/v1/auth/signup',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Create an account (the first becomes the administrator)',
          body: SignupBody,
          response: { 202: AcceptedResponse, ...errors },
        },
      },
      async (request, reply) => {
        await deps.accounts.signup(request.body, clientInfo(request));
        return reply.status(202).send({
          status: 'accepted' as const,
          message: 'If this email can be registered, the account exists now: log in to continue.',
        });
      },
    );

    app.post(
      '/api/v1/auth/login',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Log in; sets the session cookie',
          body: LoginBody,
          response: { 200: MeResponse, ...errors },
        },
      },
      async (request, reply) => {
        const { passkey, ...credentials } = request.body;
        const session = await deps.accounts.login(
          {
            ...credentials,
            // The WebAuthn library checks the credential's inner structure; the schema checked its shape.
            passkey: passkey && { ...passkey, response: passkey.response as unknown as AuthenticationResponseJSON },
          },
          clientInfo(request),
        );
        setSessionCookie(reply, deps.cookies, session.token, session.maxAgeSeconds);
        return meView(await deps.accounts.me(session.userId));
      },
    );

    app.post(
      '/api/v1/auth/password-reset',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Email a password reset link (same answer whether or not the email has an account)',
          body: ResetRequestBody,
          response: { 202: AcceptedResponse, ...errors },
        },
      },
      async (request, reply) => {
        await deps.accounts.requestPasswordReset(request.body.email, clientInfo(request));
        return reply.status(202).send({
          status: 'accepted' as const,
          message: 'If this email has an account, a reset link is on its way. It works once, for 30 minutes.',
        });
      },
    );

    app.post(
      '/api/v1/auth/password-reset/confirm',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Choose a new password with a reset link (ends every session)',
          body: ResetConfirmBody,
          response: { 204: NoContent, ...errors },
        },
      },
      async (request, reply) => {
        await deps.accounts.confirmPasswordReset(request.body.token, request.body.newPassword, clientInfo(request));
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/v1/auth/logout',
      {
        config: { access: 'session' },
        schema: { tags: ['auth'], summary: 'End this session', response: { 204: NoContent, ...errors } },
      },
      async (request, reply) => {
        await deps.accounts.logout(principalOf(request), clientInfo(request));
        clearSessionCookie(reply, deps.cookies);
        return reply.status(204).send(null);
      },
    );
  };
}
