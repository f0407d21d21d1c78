/** Two-factor sign-in with an authenticator app: enrol, confirm (recovery codes), turn off. */
import type { FastifyPluginAsync } from 'fastify';
import type { TypeBoxTypeProvider } from '@fastify/type-provider-typebox';
import {
  ERROR_RESPONSES,
  NoContent,
  ReauthBody,
  RecoveryCodesResponse,
  TotpConfirmBody,
  TotpEnrolResponse,
} from '@sundial/contracts';
import { clientInfo, principalOf } from '../auth/authenticate.js';
import type { Accounts } from '../services/accounts.js';

export function totpRoutes(deps: { accounts: Accounts }): FastifyPluginAsync {
  return async (instance) => {
    const app = instance.withTypeProvider<TypeBoxTypeProvider>();
    const errors = ERROR_RESPONSES;

    app.post(
      '/api/v1/me/totp',
      {
        config: { access: 'session' },
        schema: {
          tags: ['me'],
          summary: 'Start authenticator enrolment (secret, URI, QR code)',
          response: { 200: TotpEnrolResponse, ...errors },
        },
      },
      async (request) => deps.accounts.startTotp(principalOf(request)),
    );

    app.post(
      '/api/v1/me/totp/confirm',
      {
        config: { access: 'session' },
        schema: {
          tags: ['me'],
          summary: 'Turn two-factor sign-in on with a valid code; answers the recovery codes once',
          body: TotpConfirmBody,
          response: { 200: RecoveryCodesResponse, ...errors },
        },
      },
      async (request) => ({
        recoveryCodes: await deps.accounts.confirmTotp(principalOf(request), request.body.code, clientInfo(request)),
      }),
    );

    app.delete(
      '/api/v1/me/totp',
      {
        config: { access: 'session' },
        schema: {
          tags: ['me'],
          summary: 'Turn two-factor sign-in off (password and code)',
          body: ReauthBody,
          response: { 204: NoContent, ...errors },
        },
      },
      async (request, reply) => {
        await deps.accounts.disableTotp(
          principalOf(request),
          request.body.password,
          request.body.code,
          clientInfo(request),
        );
        return reply.status(204).send(null);
      },
    );
  };
}
