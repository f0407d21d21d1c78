/**
 * The audit log's chain: each entry's hash covers the previous entry's hash
 * and its own content, and its HMAC — under a key that lives wrapped in the
 * keyring, never in the database — covers the hash. Someone who can write to
 * the database can rewrite content and recompute the plain hashes, but not
 * the HMACs; deleting or reordering entries breaks the links or the seq run.
 *
 * Verification walks the chain in pages and stops at the first broken link.
 */
import { createHash, createHmac, timingSafeEqual, type KeyObject } from 'node:crypto';
import { canonicalEncode, type CanonicalField } from '@sundial/crypto';
import type { AuditRepository, AuditRow } from '@sundial/store';

/** The `prev_hash` of entry 1 (and `audit_head.last_hash` of an empty log). */
export const GENESIS_HASH: Buffer = Buffer.alloc(32);
const LABEL = 'sundial:audit:v1';
const PAGE_SIZE = 500;

export type HashedContent = Pick<
  AuditRow,
  'seq' | 'at' | 'action' | 'actorId' | 'subjectId' | 'ip' | 'details' | 'privateCiphertext'
>;

export type VerifyResult =
  | { readonly ok: true; readonly entries: number }
  | { readonly ok: false; readonly entries: number; readonly brokenAt: number; readonly reason: string };

/** A nullable field as two canonical fields (presence, value): null and '' encode differently. */
function optional(value: string | null): CanonicalField[] {
  return value === null ? [0, ''] : [1, value];
}

/** SHA-256(prev_hash ‖ canonical encoding of the content). Numbers go as decimal text (they exceed uint32). */
export function entryHash(prevHash: Buffer, content: HashedContent): Buffer {
  const encoded = canonicalEncode([
    LABEL,
    String(content.seq),
    String(content.at),
    content.action,
    ...optional(content.actorId),
    ...optional(content.subjectId),
    ...optional(content.ip),
    content.details,
    ...optional(content.privateCiphertext?.toString('base64') ?? null),
  ]);
  return createHash('sha256').update(prevHash).update(encoded).digest();
}

export function entryHmac(key: KeyObject, hash: Buffer): Buffer {
  return createHmac('sha256', key).update(hash).digest();
}

function sameBytes(a: Buffer, b: Buffer): boolean {
  return a.length === b.length && timingSafeEqual(a, b);
}

/** Why `row` does not continue the chain at `seq` after `prevHash`, or null when it does. */
function brokenLink(row: AuditRow, seq: number, prevHash: Buffer, key: KeyObject): string | null {
  if (row.seq !== seq) return `the entry is missing (the next one is ${row.seq})`;
  if (!sameBytes(row.prevHash, prevHash)) {
    return seq === 1
      ? 'its previous hash is not the start of the chain'
      : `its previous hash is not entry ${seq - 1}'s hash`;
  }
  if (!sameBytes(entryHash(row.prevHash, row), row.hash)) return 'its content does not match its hash';
  if (!sameBytes(entryHmac(key, row.hash), row.hmac)) return 'its HMAC does not match (not written with the audit key)';
  return null;
}

/**
 * Walks the chain up to the head read at the start; entries appended while
 * the walk runs are left for the next one. Then checks that the head names
 * the last entry's hash and that no entry lies beyond the head.
 */
export async function verifyChain(repo: AuditRepository, key: KeyObject, pageSize = PAGE_SIZE): Promise<VerifyResult> {
  const head = await repo.head();
  let entries = 0;
  const broken = (brokenAt: number, reason: string): VerifyResult => ({ ok: false, entries, brokenAt, reason });
  let prevHash = GENESIS_HASH;
  let seq = 1;
  while (seq <= head.lastSeq) {
    const rows = await repo.page(seq - 1, Math.min(pageSize, head.lastSeq - seq + 1));
    if (rows.length === 0) {
      return broken(seq, `the log ends at entry ${seq - 1} but its head records entry ${head.lastSeq}`);
    }
    for (const row of rows) {
      const problem = brokenLink(row, seq, prevHash, key);
      if (problem !== null) return broken(seq, problem);
      prevHash = row.hash;
      seq += 1;
      entries += 1;
    }
  }
  if (!sameBytes(prevHash, head.lastHash)) {
    return broken(head.lastSeq, `the head's hash is not entry ${head.lastSeq}'s hash`);
  }
  const [beyond] = await repo.page(head.lastSeq, 1);
  // An entry past the head is fine only if a concurrent append moved the head meanwhile.
  if (beyond && (await repo.head()).lastSeq < beyond.seq) {
    return broken(beyond.seq, `the entry lies beyond the log's head (entry ${head.lastSeq})`);
  }
  return { ok: true, entries };
}
