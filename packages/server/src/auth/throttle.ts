/**
 * Throttling of failed log-ins and code checks, per account and per client
 * address, with a growing delay (429 with Retry-After); with a rule that
 * counts in fixed windows, also plain request rates (device pairing, where
 * every request counts). The counters live in
 * the database, so every server process sees the same ones; a Redis-backed
 * `Limiter` can replace it behind the same interface.
 *
 * Keys are HMACs under the instance key: the table never holds an email or
 * an address.
 */
import { createHmac } from 'node:crypto';
import type { ThrottleRepository } from '@sundial/store';
import type { Keyring } from '../keys/keyring.js';

export interface ThrottleRule {
  /** Failures allowed before any delay. */
  readonly free: number;
  /** First delay, doubled with each further failure, up to `maxDelayMs`. */
  readonly baseDelayMs: number;
  readonly maxDelayMs: number;
  /**
   * Count in fixed windows of this length, each starting at its first
   * failure and from zero (absent: the count only grows, until a success).
   */
  readonly windowMs?: number;
}

export const ACCOUNT_RULE: ThrottleRule = { free: 5, baseDelayMs: 1_000, maxDelayMs: 15 * 60_000 };
export const ADDRESS_RULE: ThrottleRule = { free: 20, baseDelayMs: 1_000, maxDelayMs: 15 * 60_000 };
/** Consecutive failures after which an account needs a password reset. */
export const LOCKOUT_FAILURES = 100;

export interface Limiter {
  /** Milliseconds until the subject may try again (0: now). */
  retryAfter(subject: string): Promise<number>;
  /** Records a failure; answers the consecutive failure count. */
  fail(subject: string, rule: ThrottleRule): Promise<number>;
  succeed(subject: string): Promise<void>;
}

export function delayFor(rule: ThrottleRule, failures: number): number {
  if (failures <= rule.free) return 0;
  return Math.min(rule.maxDelayMs, rule.baseDelayMs * 2 ** Math.min(30, failures - rule.free - 1));
}

export function databaseLimiter(
  repo: ThrottleRepository,
  keyring: Pick<Keyring, 'throttleKey'>,
  now: () => number = Date.now,
): Limiter {
  const key = (subject: string) =>
    createHmac('sha256', keyring.throttleKey).update(`throttle\u0000${subject}`).digest('base64url');
  return {
    async retryAfter(subject) {
      const state = await repo.get(key(subject));
      return state ? Math.max(0, state.blockedUntil - now()) : 0;
    },
    async fail(subject, rule) {
      const at = now();
      const windowStart = rule.windowMs === undefined ? undefined : at - rule.windowMs;
      const state = await repo.fail(key(subject), at, (failures) => delayFor(rule, failures), windowStart);
      return state.failures;
    },
    succeed: (subject) => repo.clear(key(subject)),
  };
}
