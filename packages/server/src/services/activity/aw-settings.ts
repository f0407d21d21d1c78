/**
 * ActivityWatch's settings: a free key → JSON value store per person (the
 * web UI keeps its category rules under `classes`, which name apps and
 * sites). Keys and values are stored encrypted with the person's data key
 * and found by blind index.
 */
import { blindIndex, decryptField, encryptField, type DataKey } from '@sundial/crypto';
import type { Store } from '@sundial/store';
import { AppError, invalidInput } from '../../errors.js';
import type { Keyring } from '../../keys/keyring.js';

export const AW_SETTING_KEY_LIMIT = 128;
export const AW_SETTING_VALUE_LIMIT_BYTES = 64 * 1024;

const KEY_CONTEXT = { table: 'aw_settings', column: 'key' } as const;
const VALUE_CONTEXT = { table: 'aw_settings', column: 'value' } as const;
const INDEX_KIND = 'aw_setting';

export interface AwSettings {
  /** Every setting of the person, by key. */
  all(userId: string): Promise<Record<string, unknown>>;
  /** The value, or undefined when the key is not set. */
  get(userId: string, key: string): Promise<unknown>;
  put(userId: string, key: string, value: unknown): Promise<void>;
  /** True when the key was set. */
  remove(userId: string, key: string): Promise<boolean>;
}

function checkKey(key: string): void {
  if (key.length === 0 || key.length > AW_SETTING_KEY_LIMIT) {
    throw invalidInput(`key: must be 1 to ${AW_SETTING_KEY_LIMIT} characters`);
  }
  // A lone surrogate cannot be encrypted as UTF-8.
  if (/\p{Cs}/u.test(key)) throw invalidInput('key: is not well-formed Unicode');
}

export function awSettingsService(deps: { store: Store; keyring: Keyring; now: () => number }): AwSettings {
  const repo = deps.store.activitySettings;

  // The value ciphertext holds its key too, so a value moved to another key's row is refused.
  function open(dataKey: DataKey, valueCiphertext: Buffer, key: string): unknown {
    const [storedKey, value] = JSON.parse(decryptField(dataKey, VALUE_CONTEXT, valueCiphertext)) as [string, unknown];
    if (storedKey !== key) throw new Error('aw_settings: a value is stored under another key');
    return value;
  }

  return {
    async all(userId) {
      const rows = await repo.awSettings(userId);
      if (rows.length === 0) return {};
      const dataKey = await deps.keyring.dataKey(userId);
      const entries = rows.map((row) => {
        const key = decryptField(dataKey, KEY_CONTEXT, row.keyCiphertext);
        return [key, open(dataKey, row.valueCiphertext, key)] as const;
      });
      entries.sort(([a], [b]) => (a < b ? -1 : a > b ? 1 : 0));
      return Object.fromEntries(entries);
    },

    async get(userId, key) {
      checkKey(key);
      const dataKey = await deps.keyring.dataKey(userId);
      const row = await repo.awSetting(userId, blindIndex(dataKey, INDEX_KIND, key));
      return row ? open(dataKey, row.valueCiphertext, key) : undefined;
    },

    async put(userId, key, value) {
      checkKey(key);
      if (value === undefined) throw invalidInput('value: is required');
      const json = JSON.stringify([key, value]);
      if (Buffer.byteLength(json) > AW_SETTING_VALUE_LIMIT_BYTES) {
        throw new AppError('payload_too_large', `value: must be at most ${AW_SETTING_VALUE_LIMIT_BYTES} bytes of JSON`);
      }
      const dataKey = await deps.keyring.dataKey(userId);
      await repo.putAwSetting(
        userId,
        {
          keyIndex: blindIndex(dataKey, INDEX_KIND, key),
          keyCiphertext: encryptField(dataKey, KEY_CONTEXT, key),
          valueCiphertext: encryptField(dataKey, VALUE_CONTEXT, json),
        },
        deps.now(),
      );
    },

    async remove(userId, key) {
      checkKey(key);
      const dataKey = await deps.keyring.dataKey(userId);
      return repo.deleteAwSetting(userId, blindIndex(dataKey, INDEX_KIND, key));
    },
  };
}
