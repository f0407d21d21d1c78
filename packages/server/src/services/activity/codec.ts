/**
 * Between content and rows: strings become names-dictionary ids (each
 * distinct string interned once per batch), other fields an encrypted JSON
 * blob bound to the person; and back, decrypting only the names the rows use.
 */
import { decryptField, encryptField, type DataKey } from '@sundial/crypto';
import type { EventRow } from '@sundial/store';
import type { Keyring } from '../../keys/keyring.js';
import { nameKey, type NameKind, type NamesDictionary } from '../names-dictionary.js';
import type { Content } from './content.js';

const EXTRA_CONTEXT = { table: 'events', column: 'extra' } as const;

export interface ContentColumns {
  readonly appId: number | null;
  readonly titleId: number | null;
  readonly domainId: number | null;
  readonly urlId: number | null;
  readonly away: boolean | null;
  readonly extraCiphertext: Buffer | null;
}

export interface Codec {
  /** Interns the strings of all the contents (each distinct one once) and encodes each. */
  encode(ownerId: string, contents: readonly Content[]): Promise<ContentColumns[]>;
  /** Forgets cached name ids of the person (another process may have erased them). */
  forget(ownerId: string): void;
  /** Decodes rows back to content, in order. */
  decode(ownerId: string, rows: readonly EventRow[]): Promise<Content[]>;
}

const FIELDS: readonly (readonly [keyof Content & NameKind, 'appId' | 'titleId' | 'urlId' | 'domainId'])[] = [
  ['app', 'appId'],
  ['title', 'titleId'],
  ['url', 'urlId'],
  ['domain', 'domainId'],
];

export function activityCodec(deps: { names: NamesDictionary; keyring: Keyring }): Codec {
  return {
    async encode(ownerId, contents) {
      const wanted: { kind: NameKind; value: string }[] = [];
      for (const content of contents) {
        for (const [field] of FIELDS) {
          const value = content[field];
          if (value !== undefined) wanted.push({ kind: field, value });
        }
      }
      const ids = await deps.names.internMany(ownerId, wanted);
      const needsKey = contents.some((c) => c.extra !== undefined);
      const key = needsKey ? await deps.keyring.dataKey(ownerId) : null;
      // Equal extra fields within one request share one ciphertext (most web
      // events carry the same few flags); equality within a person's data is
      // what the names dictionary reveals by design too.
      const sealed = new Map<string, Buffer>();
      const sealExtra = (dataKey: DataKey, extra: Readonly<Record<string, unknown>>) => {
        const json = JSON.stringify(extra);
        let ciphertext = sealed.get(json);
        if (!ciphertext) {
          ciphertext = encryptField(dataKey, EXTRA_CONTEXT, json);
          sealed.set(json, ciphertext);
        }
        return ciphertext;
      };
      return contents.map((content) => {
        const idOf = (field: NameKind) => {
          const value = content[field as keyof Content] as string | undefined;
          return value === undefined ? null : (ids.get(nameKey(field, value)) ?? null);
        };
        return {
          appId: idOf('app'),
          titleId: idOf('title'),
          urlId: idOf('url'),
          domainId: idOf('domain'),
          away: content.away ?? null,
          extraCiphertext: content.extra !== undefined && key ? sealExtra(key, content.extra) : null,
        };
      });
    },

    forget(ownerId) {
      deps.names.forget(ownerId);
    },

    async decode(ownerId, rows) {
      const wanted: number[] = [];
      for (const row of rows) {
        for (const [, column] of FIELDS) {
          const id = row[column];
          if (id !== null) wanted.push(id);
        }
      }
      const names = await deps.names.resolve(ownerId, wanted);
      const key = rows.some((r) => r.extraCiphertext) ? await deps.keyring.existingDataKey(ownerId) : null;
      return rows.map((row) => {
        const content: { -readonly [K in keyof Content]: Content[K] } = {};
        for (const [field, column] of FIELDS) {
          const id = row[column];
          const value = id === null ? undefined : names.get(id)?.value;
          if (value !== undefined) content[field] = value;
        }
        if (row.away !== null) content.away = row.away;
        if (row.extraCiphertext && key) {
          content.extra = JSON.parse(decryptField(key, EXTRA_CONTEXT, row.extraCiphertext)) as Record<string, unknown>;
        }
        return content;
      });
    },
  };
}
