/**
 * The audit log service: record an event, verify the whole chain, and read a
 * person's own security log.
 *
 * An entry's public part holds no personal data: ids, the action, a
 * truncated IP address and non-personal details. What the person may want to
 * see in their own security log (the full address, the user agent) is
 * encrypted with their data key, so shredding that key leaves the entry —
 * and the chain — intact but that part unreadable.
 */
import { decryptField, encryptField, isCryptoError, type DataKey, type FieldContext } from '@sundial/crypto';
import { truncateIp } from '@sundial/core';
import type { AuditRepository } from '@sundial/store';
import type { Keyring } from '../keys/keyring.js';
import { decodeDetails, encodeDetails, isAuditAction, type AuditAction, type AuditDetails } from './actions.js';
import { entryHash, entryHmac, verifyChain, type VerifyResult } from './chain.js';

/** Personal facts of an event, readable only by its subject (e.g. `{ ip, userAgent }`). */
export type PrivateDetails = Readonly<Record<string, string | number | boolean | null>>;

export interface AuditEvent {
  readonly action: AuditAction;
  readonly actorId?: string | null;
  readonly subjectId?: string | null;
  /** The client's address as seen; only its truncated form is stored in the clear. */
  readonly ip?: string | null;
  readonly details?: AuditDetails;
  /** Encrypted for the subject; needs `subjectId`. Dropped when the subject has no data key (shredded). */
  readonly private?: PrivateDetails;
}

export interface SecurityLogEntry {
  readonly seq: number;
  readonly at: number;
  readonly action: string;
  readonly actorId: string | null;
  readonly ip: string | null;
  readonly details: Record<string, unknown>;
  /** Null when there was none, or the person's key is gone. */
  readonly private: Record<string, unknown> | null;
}

export interface AuditLog {
  record(event: AuditEvent): Promise<{ readonly seq: number; readonly at: number }>;
  /** Walks the whole chain; reports the first broken link. */
  verify(): Promise<VerifyResult>;
  /** The entries about a person, newest first, their private part decrypted. */
  securityLog(
    personId: string,
    options?: { readonly limit?: number; readonly beforeSeq?: number },
  ): Promise<SecurityLogEntry[]>;
}

export interface AuditLogDeps {
  readonly repo: AuditRepository;
  readonly keyring: Pick<Keyring, 'auditHmacKey' | 'existingDataKey'>;
  readonly now?: () => number;
}

export const PRIVATE_CONTEXT: FieldContext = { table: 'audit_log', column: 'private' };
const DEFAULT_LIMIT = 50;
const MAX_LIMIT = 500;

export function auditLog(deps: AuditLogDeps): AuditLog {
  const { repo, keyring } = deps;
  const now = deps.now ?? Date.now;

  async function sealPrivate(event: AuditEvent): Promise<Buffer | null> {
    if (event.private === undefined) return null;
    if (!event.subjectId) throw new TypeError('audit: private details need a subject to encrypt them for');
    // Never create a key here: a person without one was deleted, and their details must not come back.
    const key = await keyring.existingDataKey(event.subjectId);
    return key ? encryptField(key, PRIVATE_CONTEXT, JSON.stringify(event.private)) : null;
  }

  function openPrivate(key: DataKey | null, ct: Buffer | null): Record<string, unknown> | null {
    if (!key || !ct) return null;
    try {
      return decodeDetails(decryptField(key, PRIVATE_CONTEXT, ct));
    } catch (error) {
      // A damaged ciphertext shows as unreadable here; `verify` is what reports tampering.
      if (isCryptoError(error)) return null;
      throw error;
    }
  }

  return {
    async record(event) {
      if (!isAuditAction(event.action)) throw new TypeError(`audit: unknown action ${JSON.stringify(event.action)}`);
      const details = encodeDetails(event.details ?? {});
      const privateCiphertext = await sealPrivate(event);
      const row = await repo.append((seq, prevHash) => {
        const content = {
          seq,
          // Taken inside the append, so times follow seq order.
          at: now(),
          action: event.action,
          actorId: event.actorId ?? null,
          subjectId: event.subjectId ?? null,
          ip: event.ip ? truncateIp(event.ip) : null,
          details,
          privateCiphertext,
        };
        const hash = entryHash(prevHash, content);
        return { ...content, hash, hmac: entryHmac(keyring.auditHmacKey, hash) };
      });
      return { seq: row.seq, at: row.at };
    },
    verify: () => verifyChain(repo, keyring.auditHmacKey),
    async securityLog(personId, options = {}) {
      const limit = Math.min(Math.max(Math.trunc(options.limit ?? DEFAULT_LIMIT), 1), MAX_LIMIT);
      const rows = await repo.bySubject(personId, { limit, beforeSeq: options.beforeSeq });
      const key = rows.some((r) => r.privateCiphertext) ? await keyring.existingDataKey(personId) : null;
      return rows.map((r) => ({
        seq: r.seq,
        at: r.at,
        action: r.action,
        actorId: r.actorId,
        ip: r.ip,
        details: decodeDetails(r.details),
        private: openPrivate(key, r.privateCiphertext),
      }));
    },
  };
}
