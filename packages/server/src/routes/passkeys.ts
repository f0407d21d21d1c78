/** Passkeys: registration and removal for the signed-in person, and passwordless log-in. */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import type { AuthenticationResponseJSON, RegistrationResponseJSON } from '@simplewebauthn/server';
import {
  ERROR_RESPONSES,
  MeResponse,
  NoContent,
  PasskeyIdParams,
  PasskeyLoginBody,
  PasskeyOptionsResponse,
  PasskeyRegisterBody,
  PasskeysResponse,
  PasskeyView,
} from '@sundial/contracts';
import { formatIsoTimestamp } from '@sundial/core';
import { clientInfo, principalOf, setSessionCookie, type CookieSettings } from '../auth/authenticate.js';
import type { Accounts } from '../services/accounts.js';
import type { Passkeys, PasskeyView as PasskeyRecord } from '../services/passkeys.js';
import { meView } from './views.js';

/** The library's option types are interfaces; on the wire they are plain JSON objects. */
const asJson = (x: { challengeId: string; options: object }) => ({
  challengeId: x.challengeId,
  options: x.options as Record<string, unknown>,
});

const view = (p: PasskeyRecord) => ({
  id: p.id,
  name: p.name,
  createdAt: formatIsoTimestamp(p.createdAt),
  lastUsedAt: p.lastUsedAt === null ? null : formatIsoTimestamp(p.lastUsedAt),
});

export function passkeyRoutes(deps: {
  accounts: Accounts;
  passkeys: Passkeys;
  cookies: CookieSettings;
}): FastifyPluginAsync {
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    const errors = ERROR_RESPONSES;

    app.post(
      '/api/v1/me/passkeys/options',
      {
        config: { access: 'session' },
        schema: {
          tags: ['passkeys'],
          summary: 'Options to create a passkey',
          response: { 200: PasskeyOptionsResponse, ...errors },
        },
      },
      async (request) => asJson(await deps.passkeys.registrationOptions(principalOf(request))),
    );

    app.post(
      '/api/v1/me/passkeys',
      {
        config: { access: 'session' },
        schema: {
          tags: ['passkeys'],
          summary: 'Register the passkey the browser created',
          body: PasskeyRegisterBody,
          response: { 201: PasskeyView, ...errors },
        },
      },
      async (request, reply) => {
        const created = await deps.passkeys.register(
          principalOf(request),
          { ...request.body, response: request.body.response as unknown as RegistrationResponseJSON },
          clientInfo(request),
        );
        return reply.status(201).send(view(created));
      },
    );

    app.get(
      '/api/v1/me/passkeys',
      {
        config: { access: 'session' },
        schema: { tags: ['passkeys'], summary: 'My passkeys', response: { 200: PasskeysResponse, ...errors } },
      },
      async (request) => ({ passkeys: (await deps.passkeys.list(principalOf(request))).map(view) }),
    );

    app.delete(
      '/api/v1/me/passkeys/:id',
      {
        config: { access: 'session' },
        schema: {
          tags: ['passkeys'],
          summary: 'Remove a passkey',
          params: PasskeyIdParams,
          response: { 204: NoContent, ...errors },
        },
      },
      async (request, reply) => {
        await deps.passkeys.remove(principalOf(request), request.params.id, clientInfo(request));
        return reply.status(204).send(null);
      },
    );

    app.post(
      '/api/v1/auth/passkey/options',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Options to log in with a passkey',
          response: { 200: PasskeyOptionsResponse, ...errors },
        },
      },
      async () => asJson(await deps.passkeys.loginOptions()),
    );

    app.post(
      '/api/v1/auth/passkey',
      {
        config: { access: 'public' },
        schema: {
          tags: ['auth'],
          summary: 'Log in with a passkey (user verification required); sets the session cookie',
          body: PasskeyLoginBody,
          response: { 200: MeResponse, ...errors },
        },
      },
      async (request, reply) => {
        const userId = await deps.passkeys.verifyLogin({
          challengeId: request.body.challengeId,
          response: request.body.response as unknown as AuthenticationResponseJSON,
        });
        const session = await deps.accounts.passkeyLogin(userId, clientInfo(request));
        setSessionCookie(reply, deps.cookies, session.token, session.maxAgeSeconds);
        return meView(await deps.accounts.me(userId));
      },
    );
  };
}
