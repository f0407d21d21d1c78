/**
 * The front door for vulnerability reports: `/.well-known/security.txt`
 * (RFC 9116) with `Expires` computed at each request (180 days ahead, within
 * the RFC's "less than a year"), and the disclosure policy it points to.
 */
import type { FastifyPluginAsync } from 'fastify';

const EXPIRES_AFTER_MS = 180 * 86_400_000;

export const DISCLOSURE_POLICY = `Sundial vulnerability disclosure policy

Report privately to the contact in /.well-known/security.txt. Do not open a
public issue for a vulnerability.

- We acknowledge a report within 24 hours.
- We give a first assessment within 5 working days, and an update at least
  every 5 working days until it is fixed.
- We coordinate the release of the fix and the advisory with you (by default
  within 90 days, sooner for severe issues) and credit you unless you ask not.
- Good-faith research that respects this policy (no access to other people's
  data beyond what shows the problem, no degradation of service, private
  disclosure until the fix is out) is welcome and will not be pursued.
`;

export function securityTxt(input: { contact: string; publicUrl: string; now: number }): string {
  return [
    `Contact: ${input.contact}`,
    `Expires: ${new Date(input.now + EXPIRES_AFTER_MS).toISOString().replace(/\.\d{3}Z$/, 'Z')}`,
    `Policy: ${input.publicUrl}/.well-known/security-policy.txt`,
    'Preferred-Languages: en',
    `Canonical: ${input.publicUrl}/.well-known/security.txt`,
    '',
  ].join('\n');
}

export function securityTxtRoutes(deps: {
  contact: string;
  publicUrl: string;
  now?: () => number;
}): FastifyPluginAsync {
  const now = deps.now ?? Date.now;
  return async (app) => {
    app.get(
      '/.well-known/security.txt',
      {
        config: { access: 'public' },
        schema: { tags: ['meta'], summary: 'Where to report a vulnerability (RFC 9116)' },
      },
      async (_request, reply) =>
        reply
          .type('text/plain; charset=utf-8')
          .send(securityTxt({ contact: deps.contact, publicUrl: deps.publicUrl, now: now() })),
    );
    app.get(
      '/.well-known/security-policy.txt',
      { config: { access: 'public' }, schema: { tags: ['meta'], summary: 'The vulnerability disclosure policy' } },
      async (_request, reply) => reply.type('text/plain; charset=utf-8').send(DISCLOSURE_POLICY),
    );
  };
}
