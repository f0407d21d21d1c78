/**
 * Rollup keys of categories. Rollups are keyed by integers; category ids are
 * strings (default ids such as "software-development", or UUIDs). A category's
 * key is a 48-bit FNV-1a hash of its id, so every process maps an id to the
 * same key without a lookup table; 0 stands for uncategorised time. With at
 * most CATEGORY_LIMITS.maxCategories ids in a tree, a collision is
 * vanishingly unlikely, and `categoryKeys` refuses a tree that has one.
 */

const FNV_OFFSET = 0xcbf29ce484222325n;
const FNV_PRIME = 0x100000001b3n;
const MASK_64 = (1n << 64n) - 1n;

/** The rollup key of uncategorised time. */
export const UNCATEGORISED_KEY = 0;

/** The rollup key of a category id (never 0). */
export function categoryKey(id: string): number {
  let hash = FNV_OFFSET;
  // Over UTF-16 code units, low byte first (core has no TextEncoder).
  for (let i = 0; i < id.length; i += 1) {
    const unit = id.charCodeAt(i);
    for (const byte of [unit & 0xff, unit >> 8]) hash = ((hash ^ BigInt(byte)) * FNV_PRIME) & MASK_64;
  }
  const key = Number(hash >> 16n);
  return key === UNCATEGORISED_KEY ? 1 : key;
}

/** key → category id for a tree; throws if two ids share a key. */
export function categoryKeys(ids: Iterable<string>): Map<number, string> {
  const out = new Map<number, string>();
  for (const id of ids) {
    const key = categoryKey(id);
    const holder = out.get(key);
    if (holder !== undefined && holder !== id) throw new Error(`category ids ${holder} and ${id} share a rollup key`);
    out.set(key, id);
  }
  return out;
}
