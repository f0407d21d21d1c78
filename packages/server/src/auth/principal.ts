/** Who is calling: a person through a session cookie or through an API token with scopes. */
import type { Role } from '@sundial/store';
import type { TokenScope } from '../access.js';

export interface Principal {
  readonly userId: string;
  readonly role: Role;
  readonly via: 'session' | 'token';
  readonly sessionId: string | null;
  readonly tokenId: string | null;
  /** A session may do everything its person may; a token only its scopes. */
  readonly scopes: readonly TokenScope[];
}

/** Where a request came from, for the person's own security log (encrypted) and throttling. */
export interface ClientInfo {
  readonly ip: string;
  readonly userAgent: string | null;
}

declare module 'fastify' {
  interface FastifyRequest {
    principal: Principal | null;
  }
}
