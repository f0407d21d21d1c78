/**
 * The names dictionary: each distinct app name, window title, domain, URL or
 * file name is stored once per person, encrypted with their key, and
 * referenced by a number from activity rows. `intern` turns a value into its
 * id (storing it the first time); `resolve` turns ids back into values,
 * decrypting only what is asked for, with a bounded cache.
 *
 * Ids come from the blind index (its first 48 bits), so the same name maps to
 * the same id in every process without coordination; if another name of the
 * same person already holds that id, the next free id is taken.
 */
import { blindIndex, CryptoError, decryptField, encryptField, type DataKey } from '@sundial/crypto';
import { BoundedCache } from '@sundial/core';
import type { NamesRepository } from '@sundial/store';
import type { Keyring } from '../keys/keyring.js';

export const NAME_KINDS = ['app', 'title', 'domain', 'url', 'file'] as const;
export type NameKind = (typeof NAME_KINDS)[number];

export interface ResolvedName {
  readonly kind: NameKind;
  readonly value: string;
}

export interface NamesDictionary {
  intern(ownerId: string, kind: NameKind, value: string): Promise<number>;
  /**
   * Interns many values at once (a batch of events): one lookup and one
   * insert per kind and chunk instead of two queries a name. Answers ids keyed
   * by `nameKey(kind, value)`.
   */
  internMany(ownerId: string, items: readonly { kind: NameKind; value: string }[]): Promise<Map<string, number>>;
  /** The id of a stored value, or null (never stores anything). */
  find(ownerId: string, kind: NameKind, value: string): Promise<number | null>;
  resolve(ownerId: string, ids: readonly number[]): Promise<Map<number, ResolvedName>>;
  /** Forgets a person's cached names (after an erase or deletion). */
  forget(ownerId: string): void;
}

export interface NamesDictionaryDeps {
  readonly names: NamesRepository;
  readonly keyring: Keyring;
  readonly now?: () => number;
  readonly cacheLimit?: number;
}

const ID_SPACE = 2 ** 48;
const MAX_PROBES = 32;

/** The key of a (kind, value) pair in `internMany`'s answer. */
export const nameKey = (kind: NameKind, value: string): string => `${kind}\u0000${value}`;

export function namesDictionary(deps: NamesDictionaryDeps): NamesDictionary {
  const now = deps.now ?? Date.now;
  const ids = new BoundedCache<string, number>(deps.cacheLimit ?? 50_000);
  const values = new BoundedCache<string, ResolvedName>(deps.cacheLimit ?? 50_000);
  const context = (kind: NameKind) => ({ table: 'names', column: kind });

  async function store(key: DataKey, ownerId: string, kind: NameKind, value: string): Promise<number> {
    const index = blindIndex(key, kind, value);
    const existing = await deps.names.findId(ownerId, kind, index);
    if (existing !== null) return existing;
    const ciphertext = encryptField(key, context(kind), value);
    let id = index.readUIntBE(0, 6);
    for (let probe = 0; probe < MAX_PROBES; probe++) {
      const outcome = await deps.names.insert(ownerId, { id, kind, blindIndex: index, ciphertext }, now());
      if (outcome === 'inserted') return id;
      if (outcome === 'exists') {
        const stored = await deps.names.findId(ownerId, kind, index);
        if (stored !== null) return stored;
      }
      id = (id + 1) % ID_SPACE;
    }
    throw new Error('names dictionary: no free id after many probes');
  }

  return {
    async intern(ownerId, kind, value) {
      const cacheKey = `${ownerId}\u0000${kind}\u0000${value}`;
      const cached = ids.get(cacheKey);
      if (cached !== undefined) return cached;
      const key = await deps.keyring.dataKey(ownerId);
      const id = await store(key, ownerId, kind, value);
      ids.set(cacheKey, id);
      values.set(`${ownerId}\u0000${id}`, { kind, value });
      return id;
    },
    async internMany(ownerId, items) {
      const answer = new Map<string, number>();
      const missing = new Map<string, { kind: NameKind; value: string }>();
      for (const item of items) {
        const key = nameKey(item.kind, item.value);
        const cached = ids.get(`${ownerId}\u0000${key}`);
        if (cached !== undefined) answer.set(key, cached);
        else missing.set(key, item);
      }
      if (missing.size === 0) return answer;
      const dataKey = await deps.keyring.dataKey(ownerId);
      const remember = (kind: NameKind, value: string, id: number) => {
        answer.set(nameKey(kind, value), id);
        ids.set(`${ownerId}\u0000${nameKey(kind, value)}`, id);
        values.set(`${ownerId}\u0000${id}`, { kind, value });
      };
      for (const kind of NAME_KINDS) {
        const wanted = [...missing.values()]
          .filter((m) => m.kind === kind)
          .map((m) => ({ value: m.value, index: blindIndex(dataKey, kind, m.value) }));
        if (wanted.length === 0) continue;
        const lookup = () =>
          deps.names.findIds(
            ownerId,
            kind,
            wanted.map((w) => w.index),
          );
        let found = await lookup();
        const fresh = wanted.filter((w) => !found.has(w.index.toString('hex')));
        if (fresh.length > 0) {
          const rows = fresh.map((w) => ({
            id: w.index.readUIntBE(0, 6),
            kind,
            blindIndex: w.index,
            ciphertext: encryptField(dataKey, context(kind), w.value),
          }));
          await deps.names.insertMany(ownerId, rows, now());
          found = await lookup();
        }
        for (const w of wanted) {
          // A name whose id another name holds was skipped: the one-by-one path probes for a free id.
          const id = found.get(w.index.toString('hex')) ?? (await store(dataKey, ownerId, kind, w.value));
          remember(kind, w.value, id);
        }
      }
      return answer;
    },
    async find(ownerId, kind, value) {
      const key = await deps.keyring.existingDataKey(ownerId);
      return key ? deps.names.findId(ownerId, kind, blindIndex(key, kind, value)) : null;
    },
    async resolve(ownerId, wanted) {
      const found = new Map<number, ResolvedName>();
      const missing: number[] = [];
      for (const id of new Set(wanted)) {
        const cached = values.get(`${ownerId}\u0000${id}`);
        if (cached) found.set(id, cached);
        else missing.push(id);
      }
      if (missing.length === 0) return found;
      const key = await deps.keyring.existingDataKey(ownerId);
      if (!key) return found;
      for (const row of await deps.names.byIds(ownerId, missing)) {
        const kind = row.kind as NameKind;
        const value = decryptField(key, context(kind), row.ciphertext);
        // The envelope binds a value to its person and kind; the blind index
        // binds it to its row: a ciphertext swapped between two rows of one
        // person decrypts, but to a value whose index is not the row's.
        if (!blindIndex(key, kind, value).equals(row.blindIndex)) {
          throw new CryptoError('crypto.decrypt_failed', `name ${row.id} does not belong to its row`);
        }
        const resolved = { kind, value };
        values.set(`${ownerId}\u0000${row.id}`, resolved);
        found.set(row.id, resolved);
      }
      return found;
    },
    forget(ownerId) {
      ids.deleteWhere((k) => k.startsWith(`${ownerId}\u0000`));
      values.deleteWhere((k) => k.startsWith(`${ownerId}\u0000`));
    },
  };
}
