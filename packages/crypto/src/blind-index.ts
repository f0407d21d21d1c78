/**
 * Blind indexes: deterministic keyed fingerprints of personal strings.
 *
 * Ciphertexts use random nonces, so equal values never look equal in the
 * database. The names dictionary stores a blind index beside each ciphertext
 * so that SQL can deduplicate, group and filter without any plaintext. The
 * index is an HMAC under a per-person key: without the key it cannot be
 * recomputed from a guessed value, and the same title for two people gives
 * two unrelated indexes, so nothing links people across the database.
 *
 * Login needs to find a person by email before any personal key is known, so
 * emails get an instance-level index instead, over a normalised form.
 */
import type { Buffer } from 'node:buffer';
import { createHmac } from 'node:crypto';
import { assertWellFormed, canonicalEncode } from './canonical.js';
import type { DataKey, InstanceIndexKey } from './data-key.js';

/**
 * HMAC-SHA256 (all 32 bytes) of (kind, value) under the person's blind-index
 * key. `kind` separates dictionaries (app names, titles, domains…) so that one
 * value yields a different index in each. Strings with lone surrogates are
 * refused (TypeError) so distinct values cannot share an index.
 */
export function blindIndex(key: DataKey, kind: string, value: string): Buffer {
  return createHmac('sha256', key.blindIndexKey)
    .update(canonicalEncode([kind, value]))
    .digest();
}

/**
 * The form of an email address that login compares: surrounding whitespace
 * removed, Unicode NFKC (so full-width and compatibility characters match
 * their plain forms), and the whole address lowercased. Lowercasing the local
 * part goes beyond RFC 5321, but no mail provider people use is
 * case-sensitive, and two accounts differing only by case would be a trap.
 */
export function normaliseEmail(email: string): string {
  return email.normalize('NFKC').toLowerCase().normalize('NFKC').trim();
}

/** HMAC-SHA256 (32 bytes) of the normalised email under the instance index key. */
export function emailBlindIndex(key: InstanceIndexKey, email: string): Buffer {
  const normalised = normaliseEmail(email);
  assertWellFormed(normalised, 'email');
  return createHmac('sha256', key.emailIndexKey).update(normalised, 'utf8').digest();
}
