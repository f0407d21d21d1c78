/** API and device tokens: create (shown once), list, revoke. */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  ERROR_RESPONSES,
  IdParams,
  NoContent,
  TokenCreateBody,
  TokenCreatedResponse,
  TokensResponse,
} from '@sundial/contracts';
import { clientInfo, principalOf } from '../auth/authenticate.js';
import type { Accounts } from '../services/accounts.js';
import type { Sources } from '../services/activity/sources.js';
import { tokenView } from './views.js';

export function tokenRoutes(deps: { accounts: Accounts; sources: Sources }): FastifyPluginAsync {
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    const errors = ERROR_RESPONSES;

    app.post(
      '/api/v1/tokens',
      {
        config: { access: 'session' },
        schema: {
          tags: ['tokens'],
          summary: 'Create a token (its value is shown once)',
          body: TokenCreateBody,
          response: { 201: TokenCreatedResponse, ...errors },
        },
      },
      async (request, reply) => {
        const principal = principalOf(request);
        const created = await deps.accounts.createToken(principal, request.body, clientInfo(request));
        // Each token is a device: activity sent with it is recorded under the token's name.
        await deps.sources.ensureDevice(principal.userId, created.id, request.body.name, 'unknown');
        return reply.status(201).send({ ...tokenView(created), token: created.token });
      },
    );

    app.get(
      '/api/v1/tokens',
      {
        config: { access: 'session' },
        schema: {
          tags: ['tokens'],
          summary: 'My tokens (never their values)',
          response: { 200: TokensResponse, ...errors },
        },
      },
      async (request) => ({ tokens: (await deps.accounts.listTokens(principalOf(request))).map(tokenView) }),
    );

    app.delete(
      '/api/v1/tokens/:id',
      {
        config: { access: 'session' },
        schema: {
          tags: ['tokens'],
          summary: 'Revoke a token',
          params: IdParams,
          response: { 204: NoContent, ...errors },
        },
      },
      async (request, reply) => {
        await deps.accounts.revokeToken(principalOf(request), request.params.id, clientInfo(request));
        return reply.status(204).send(null);
      },
    );
  };
}
