/**
 * Passwords: argon2id with OWASP's baseline (m = 19 456 KiB, t = 2, p = 1),
 * the parameters kept in the PHC string so they can be raised later (a
 * log-in with older parameters re-hashes). Policy per NIST SP 800-63B rev 4:
 * 8–128 characters, no composition rules, and no password from a list of
 * common ones (offline, shipped with zxcvbn-ts; never an online lookup).
 */
import { hash, verify, type Algorithm } from '@node-rs/argon2';
import { dictionary } from '@zxcvbn-ts/language-common';

// `Algorithm` is an ambient const enum (not importable as a value here); Argon2id is 2.
const ARGON2ID = 2 as Algorithm;
export const ARGON2_PARAMS = { algorithm: ARGON2ID, memoryCost: 19_456, timeCost: 2, parallelism: 1 } as const;
export const PASSWORD_MIN = 8;
export const PASSWORD_MAX = 128;

const COMMON = new Set(
  ((dictionary as Record<string, readonly string[] | undefined>)['passwords-common'] ?? []).map((p) => p.toLowerCase()),
);

/** Why a new password is refused, or null when it is acceptable. */
export function passwordProblem(password: string, context: { email?: string } = {}): string | null {
  const length = [...password].length;
  if (length < PASSWORD_MIN) return `must be at least ${PASSWORD_MIN} characters`;
  if (length > PASSWORD_MAX) return `must be at most ${PASSWORD_MAX} characters`;
  if (COMMON.has(password.toLowerCase())) return 'is one of the most common passwords; choose another';
  const email = context.email?.trim().toLowerCase();
  if (email && (password.toLowerCase() === email || password.toLowerCase() === email.split('@')[0])) {
    return 'must not be your email address';
  }
  return null;
}

export function hashPassword(password: string): Promise<string> {
  return hash(password, ARGON2_PARAMS);
}

export async function verifyPassword(stored: string, password: string): Promise<boolean> {
  try {
    return await verify(stored, password);
  } catch {
    return false;
  }
}

/** True when the stored hash was made with weaker parameters than today's. */
export function needsRehash(stored: string): boolean {
  const match = /^\$argon2id\$v=19\$m=(\d+),t=(\d+),p=(\d+)\$/.exec(stored);
  if (!match) return true;
  return Number(match[1]) < ARGON2_PARAMS.memoryCost || Number(match[2]) < ARGON2_PARAMS.timeCost;
}

let dummy: Promise<string> | undefined;

/**
 * A hash to verify against when the account does not exist, so that "no such
 * user" costs the same argon2 work as "wrong password" and timing reveals
 * nothing.
 */
export function dummyHash(): Promise<string> {
  dummy ??= hashPassword('not a real password: timing equaliser');
  return dummy;
}
