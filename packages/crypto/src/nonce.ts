/**
 * Random 96-bit nonces for AES-GCM, drawn from a pooled CSPRNG buffer.
 *
 * A fresh nonce is needed for every field encrypted, and one randomBytes(12)
 * call costs more than the AES itself on a short string (≈ 2.7 µs of ≈ 12 µs
 * measured here), so random bytes are fetched 4 KiB at a time, as Node does
 * for randomUUID. Nonces are not secret; what matters is that each byte of
 * the pool is handed out once, which `offset` guarantees.
 */
import { Buffer } from 'node:buffer';
import { randomFillSync } from 'node:crypto';

export const NONCE_BYTES = 12;

const POOL_NONCES = 341; // 4092 bytes
const pool = Buffer.alloc(POOL_NONCES * NONCE_BYTES);
let offset = pool.length;

/** Writes a fresh random nonce into `target` at `at`. */
export function writeNonce(target: Buffer, at: number): void {
  if (offset === pool.length) {
    randomFillSync(pool);
    offset = 0;
  }
  pool.copy(target, at, offset, offset + NONCE_BYTES);
  offset += NONCE_BYTES;
}

/** A fresh random nonce in its own buffer. */
export function freshNonce(): Buffer {
  const nonce = Buffer.alloc(NONCE_BYTES);
  writeNonce(nonce, 0);
  return nonce;
}
