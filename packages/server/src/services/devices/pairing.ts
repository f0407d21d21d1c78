/**
 * Pairing an agent with a person's account, without typing a token:
 *
 * 1. The agent starts a pairing (public, throttled per address) and shows
 *    the person a short code; it keeps a 256-bit poll secret to itself.
 * 2. The person, signed in, approves the code. That creates the device and
 *    its token (scope `ingest` only) and seals the token under the person's
 *    key until the agent collects it.
 * 3. The agent claims with the pairing id and the poll secret and receives
 *    the token once; the sealed copy is erased.
 *
 * Codes live 10 minutes and are single-use. Wrong codes count against the
 * person and the address, and are never forgiven by a right one (else a
 * guesser could start pairings of their own to reset the count).
 * docs/security.md, "Device pairing", has the threat model and the odds.
 */
import { randomBytes, timingSafeEqual } from 'node:crypto';
import { uuidv7 } from '@sundial/core';
import { blindIndex, decryptField, encryptField } from '@sundial/crypto';
import type { Store } from '@sundial/store';
import type { AuditLog } from '../../audit/index.js';
import { newPairingCode, normalisePairingCode } from '../../auth/pairing-code.js';
import type { ClientInfo, Principal } from '../../auth/principal.js';
import { newApiToken, secretHash } from '../../auth/secrets.js';
import type { Limiter, ThrottleRule } from '../../auth/throttle.js';
import { AppError, invalidInput, notFound } from '../../errors.js';
import type { Keyring } from '../../keys/keyring.js';
import { DEVICE_NAME_FIELD } from '../activity/sources.js';
import { TOKEN_NAME_FIELD } from '../accounts.js';

export const PAIRING_TTL_MS = 10 * 60_000;
/** An approval late in a pairing's life still leaves the agent this long to collect its token. */
export const CLAIM_WINDOW_MS = 60_000;
/** Expired pairings are kept this long (claims then answer "expired", not "unknown"), then deleted. */
export const KEEP_EXPIRED_MS = 60 * 60_000;
export const POLL_INTERVAL_SECONDS = 2;

/** Starting pairings: every request counts, 10 a minute per address. */
export const START_RULE: ThrottleRule = { free: 10, baseDelayMs: 60_000, maxDelayMs: 60_000, windowMs: 60_000 };
/** Claims: every request counts, generously (several agents behind one address poll every 2 s). */
export const CLAIM_RULE: ThrottleRule = { free: 120, baseDelayMs: 60_000, maxDelayMs: 60_000, windowMs: 60_000 };
/** Claims with an unknown id or a wrong secret, per address. */
export const CLAIM_FAILURE_RULE: ThrottleRule = {
  free: 10,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  windowMs: 24 * 3_600_000,
};
/** Approvals of an unknown code, per person: 5 free, then 1 s doubling up to 15 min. */
export const APPROVE_ACCOUNT_RULE: ThrottleRule = {
  free: 5,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  windowMs: 24 * 3_600_000,
};
/** Approvals of an unknown code, per address. */
export const APPROVE_ADDRESS_RULE: ThrottleRule = {
  free: 20,
  baseDelayMs: 1_000,
  maxDelayMs: 15 * 60_000,
  windowMs: 24 * 3_600_000,
};

const PENDING_NAME_FIELD = { table: 'device_pairings', column: 'name' } as const;
const SEALED_TOKEN_FIELD = { table: 'device_pairings', column: 'token' } as const;
const CODE_INDEX_KIND = 'pairing-code';
const CODE_ATTEMPTS = 5;
/** Compared against when the pairing id is unknown, so both failures cost the same. */
const DUMMY_HASH = secretHash('no such pairing');

export interface PairingDeps {
  readonly store: Store;
  readonly keyring: Keyring;
  readonly limiter: Limiter;
  readonly audit: AuditLog;
  readonly publicUrl: string;
  readonly now: () => number;
}

export interface StartedPairing {
  readonly pairingId: string;
  readonly code: string;
  readonly pollSecret: string;
  readonly approveUrl: string;
  readonly expiresAt: number;
  readonly pollInterval: number;
}

export type ClaimResult =
  { readonly status: 'pending' } | { readonly status: 'approved'; readonly token: string; readonly deviceId: string };

export interface PairedDevice {
  readonly id: string;
  readonly name: string;
  readonly platform: string;
}

export interface Pairing {
  start(input: { name: string; platform: string }, client: ClientInfo): Promise<StartedPairing>;
  claim(input: { pairingId: string; pollSecret: string }, client: ClientInfo): Promise<ClaimResult>;
  approve(principal: Principal, code: string, client: ClientInfo): Promise<PairedDevice>;
}

export function pairingService(deps: PairingDeps): Pairing {
  const { store, keyring, limiter, now } = deps;
  const instanceKey = keyring.instanceDataKey;
  const codeIndex = (normalised: string) => blindIndex(instanceKey, CODE_INDEX_KIND, normalised);

  const throttled = (ms: number) =>
    new AppError('rate_limited', 'Too many requests; try again later', {
      'retry-after': String(Math.max(1, Math.ceil(ms / 1000))),
    });

  /** Refuses while any subject is blocked. */
  async function guard(subjects: readonly string[]): Promise<void> {
    const wait = Math.max(0, ...(await Promise.all(subjects.map((s) => limiter.retryAfter(s)))));
    if (wait > 0) throw throttled(wait);
  }

  /** Counts a request against a rate (every request counts): refused beyond `rule.free` in its window. */
  async function spend(subject: string, rule: ThrottleRule): Promise<void> {
    await guard([subject]);
    const count = await limiter.fail(subject, rule);
    if (count > rule.free) throw throttled(rule.baseDelayMs);
  }

  return {
    async start(input, client) {
      await spend(`pair-start-ip:${client.ip}`, START_RULE);
      const at = now();
      await store.pairings.deleteExpired(at - KEEP_EXPIRED_MS);
      const pollSecret = randomBytes(32).toString('base64url');
      const id = uuidv7(at, randomBytes(10));
      const expiresAt = at + PAIRING_TTL_MS;
      const nameCiphertext = encryptField(instanceKey, PENDING_NAME_FIELD, input.name);
      for (let attempt = 0; attempt < CODE_ATTEMPTS; attempt++) {
        const code = newPairingCode();
        const inserted = await store.pairings.insert({
          id,
          codeIndex: codeIndex(code.replace('-', '')),
          secretHash: secretHash(pollSecret),
          nameCiphertext,
          platform: input.platform,
          createdAt: at,
          expiresAt,
        });
        // Not inserted: the code is held by another pairing of the last hour (2^-40 per pairing).
        if (inserted) {
          return {
            pairingId: id,
            code,
            pollSecret,
            approveUrl: `${deps.publicUrl}/devices/pair?code=${code}`,
            expiresAt,
            pollInterval: POLL_INTERVAL_SECONDS,
          };
        }
      }
      throw new Error('no free pairing code after several draws');
    },

    async claim(input, client) {
      const failures = `pair-claim-ip:${client.ip}`;
      await guard([failures]);
      await spend(`pair-poll-ip:${client.ip}`, CLAIM_RULE);
      const row = await store.pairings.byId(input.pairingId);
      const given = secretHash(input.pollSecret);
      // Constant-time, and run for an unknown id too: the answer and its time say nothing about which it was.
      const matches = timingSafeEqual(row?.secretHash ?? DUMMY_HASH, given) && row !== null;
      if (!row || !matches) {
        await limiter.fail(failures, CLAIM_FAILURE_RULE);
        throw notFound('No such pairing (or not your secret)');
      }
      const at = now();
      if (row.claimedAt !== null) throw claimedError();
      if (row.expiresAt <= at) throw expiredError();
      if (row.tokenCiphertext === null || row.userId === null || row.deviceId === null) return { status: 'pending' };
      const sealed = await store.pairings.claim(row.id, at);
      if (sealed === null) throw claimedError();
      const key = await keyring.existingDataKey(row.userId);
      if (!key) throw expiredError();
      return { status: 'approved', token: decryptField(key, SEALED_TOKEN_FIELD, sealed), deviceId: row.deviceId };
    },

    async approve(principal, input, client) {
      const code = normalisePairingCode(input);
      if (code === null) {
        throw invalidInput('code: a pairing code is 8 letters and digits (2–9, A–Z without I and O), e.g. ABCD-2345');
      }
      const subjects = [`pair-approve-account:${principal.userId}`, `pair-approve-ip:${client.ip}`] as const;
      await guard(subjects);
      const at = now();
      const row = await store.pairings.pendingByCode(codeIndex(code), at);
      const unknown = () => notFound('No device is waiting with this code (codes work once, for 10 minutes)');
      if (!row || row.nameCiphertext === null) {
        await limiter.fail(subjects[0], APPROVE_ACCOUNT_RULE);
        await limiter.fail(subjects[1], APPROVE_ADDRESS_RULE);
        throw unknown();
      }
      const name = decryptField(instanceKey, PENDING_NAME_FIELD, row.nameCiphertext);
      const key = await keyring.dataKey(principal.userId);
      const token = newApiToken();
      // Each token is a device: the device id is the token id.
      const deviceId = uuidv7(at, randomBytes(10));
      const approved = await store.pairings.approve({
        pairingId: row.id,
        now: at,
        claimUntil: at + CLAIM_WINDOW_MS,
        tokenCiphertext: encryptField(key, SEALED_TOKEN_FIELD, token),
        token: {
          userId: principal.userId,
          id: deviceId,
          nameCiphertext: encryptField(key, TOKEN_NAME_FIELD, name),
          tokenHash: secretHash(token),
          scopes: ['ingest'],
          createdAt: at,
          lastUsedAt: null,
          expiresAt: null,
          revokedAt: null,
        },
        device: {
          id: deviceId,
          nameCiphertext: encryptField(key, DEVICE_NAME_FIELD, name),
          platform: row.platform,
          createdAt: at,
          lastSeenAt: null,
        },
      });
      // Approved by someone else a moment ago, or expired in between: the same answer as an unknown code.
      if (!approved) throw unknown();
      await deps.audit.record({
        action: 'device.pair',
        actorId: principal.userId,
        subjectId: principal.userId,
        ip: client.ip,
        details: { deviceId, platform: row.platform, scopes: ['ingest'] },
      });
      return { id: deviceId, name, platform: row.platform };
    },
  };
}

function expiredError(): AppError {
  return new AppError('pairing.expired', 'This pairing has expired: start a new one on the device');
}

function claimedError(): AppError {
  return new AppError('pairing.claimed', 'The token of this pairing was collected already');
}
