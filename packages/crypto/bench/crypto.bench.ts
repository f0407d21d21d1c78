/**
 * Cost of the operations that run per stored or shown string, to compare
 * with the figures in docs/SECURITY.md (≈ 10 µs encrypt, 5 µs decrypt,
 * 3.5 µs blind index on the reference machine).
 */
import { bench, describe } from 'vitest';
import { blindIndex } from '../src/blind-index.js';
import { openDataKey } from '../src/data-key.js';
import { decryptField, encryptField, type FieldContext } from '../src/envelope.js';
import { unwrapDataKey, wrapDataKey } from '../src/key-wrap.js';
import { generateKey, masterKeyFromBytes } from '../src/keys.js';

const master = masterKeyFromBytes(generateKey());
const rawDataKey = generateKey();
const key = openDataKey('018f6b4e-8d2a-7c1e-9a3b-2f4e5d6c7b8a', 1, rawDataKey);
const ctx: FieldContext = { table: 'names', column: 'ciphertext' };
// About 60 characters: a typical window title.
const title = 'Quarterly report (draft 3).docx - LibreOffice Writer 2026';
const envelope = encryptField(key, ctx, title);

describe('field crypto', () => {
  bench('encryptField (~60 chars)', () => {
    encryptField(key, ctx, title);
  });

  bench('decryptField (~60 chars)', () => {
    decryptField(key, ctx, envelope);
  });

  bench('blindIndex (~60 chars)', () => {
    blindIndex(key, 'title', title);
  });
});

describe('key wrapping', () => {
  bench('wrapDataKey + unwrapDataKey', () => {
    unwrapDataKey(master, key.ownerId, 1, wrapDataKey(master, key.ownerId, 1, rawDataKey));
  });

  bench('openDataKey (two HKDF subkeys)', () => {
    openDataKey(key.ownerId, 1, rawDataKey);
  });
});
