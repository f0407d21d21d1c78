/**
 * Bearer secrets: session cookies and API tokens. 256 random bits, shown
 * once, stored only as SHA-256 (a fast hash is right here: the input is
 * random, not a guessable password).
 */
import { createHash, randomBytes } from 'node:crypto';

export const API_TOKEN_PREFIX = 'sdl_';

export function newSessionToken(): string {
  return randomBytes(32).toString('base64url');
}

export function newApiToken(): string {
  return `${API_TOKEN_PREFIX}${randomBytes(32).toString('base64url')}`;
}

export function secretHash(secret: string): Buffer {
  return createHash('sha256').update(secret, 'utf8').digest();
}
