/**
 * Time-ordered identifiers (UUID version 7, RFC 9562).
 *
 * Everything Sundial creates gets a v7 id: an index on time-ordered ids keeps
 * SQLite batch inserts several times faster than random v4 ids as a table
 * grows (see docs/ARCHITECTURE.md). The clock and the random bytes are passed
 * in so that this module stays pure and tests can be deterministic.
 */

const UUID_PATTERN = /^[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}$/;
const MAX_UNIX_MS = 2 ** 48 - 1;

/** Builds a UUIDv7 string from a Unix time in milliseconds and at least 10 random bytes. */
export function uuidv7(unixMs: number, random: Uint8Array): string {
  if (!Number.isSafeInteger(unixMs) || unixMs < 0 || unixMs > MAX_UNIX_MS) {
    throw new RangeError(`uuidv7: time must be an integer from 0 to 2^48-1, got ${unixMs}`);
  }
  if (random.length < 10) {
    throw new RangeError(`uuidv7: needs 10 random bytes, got ${random.length}`);
  }
  const bytes = new Uint8Array(16);
  // 48-bit big-endian timestamp; split because bit operators work on 32 bits.
  const high = Math.floor(unixMs / 2 ** 16);
  const low = unixMs % 2 ** 16;
  bytes[0] = (high >>> 24) & 0xff;
  bytes[1] = (high >>> 16) & 0xff;
  bytes[2] = (high >>> 8) & 0xff;
  bytes[3] = high & 0xff;
  bytes[4] = (low >>> 8) & 0xff;
  bytes[5] = low & 0xff;
  bytes.set(random.subarray(0, 10), 6);
  bytes[6] = 0x70 | ((bytes[6] ?? 0) & 0x0f); // version 7
  bytes[8] = 0x80 | ((bytes[8] ?? 0) & 0x3f); // variant 10xx
  return formatUuid(bytes);
}

/** True for any canonical lower- or upper-case UUID string. */
export function isUuid(value: string): boolean {
  return UUID_PATTERN.test(value.toLowerCase());
}

/** The Unix millisecond time stored in a UUIDv7, or null if the value is not one. */
export function uuidv7Time(value: string): number | null {
  const lower = value.toLowerCase();
  if (!UUID_PATTERN.test(lower) || lower[14] !== '7') return null;
  const hex = lower.slice(0, 8) + lower.slice(9, 13);
  return Number.parseInt(hex, 16);
}

function formatUuid(bytes: Uint8Array): string {
  let hex = '';
  for (const byte of bytes) hex += byte.toString(16).padStart(2, '0');
  return `${hex.slice(0, 8)}-${hex.slice(8, 12)}-${hex.slice(12, 16)}-${hex.slice(16, 20)}-${hex.slice(20)}`;
}
