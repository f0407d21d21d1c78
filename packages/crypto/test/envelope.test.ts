import { Buffer } from 'node:buffer';
import { createDecipheriv } from 'node:crypto';
import { describe, expect, it } from 'vitest';
import fc from 'fast-check';
import { canonicalEncode } from '../src/canonical.js';
import { openDataKey } from '../src/data-key.js';
import { CryptoError } from '../src/errors.js';
import {
  decryptBytes,
  decryptField,
  encryptBytes,
  encryptField,
  envelopeKeyVersion,
  type FieldContext,
} from '../src/envelope.js';
import { dataKey, expectCryptoError, leakForms, rawKey } from './fixtures.js';

const alice = dataKey('alice', 1, 1);
const titles: FieldContext = { table: 'names', column: 'ciphertext' };
const sample = 'Quarterly report — draft 3.docx — LibreOffice Writer ✍️ 日本語';

describe('encryptField / decryptField', () => {
  it('round-trips any Unicode string', () => {
    fc.assert(
      fc.property(fc.string({ unit: 'binary', maxLength: 300 }), (text) => {
        expect(decryptField(alice, titles, encryptField(alice, titles, text))).toBe(text);
      }),
      { numRuns: 500 },
    );
    fc.assert(
      fc.property(fc.string({ unit: 'grapheme', maxLength: 100 }), (text) => {
        expect(decryptField(alice, titles, encryptField(alice, titles, text))).toBe(text);
      }),
    );
  });

  it('round-trips the empty string, 10 000 characters and a leading BOM', () => {
    const long = fc.sample(fc.string({ unit: 'binary', minLength: 10_000, maxLength: 10_000 }), {
      numRuns: 1,
      seed: 7,
    });
    for (const text of ['', '\uFEFFstarts with a BOM', 'x'.repeat(10_000), ...long]) {
      expect(decryptField(alice, titles, encryptField(alice, titles, text))).toBe(text);
    }
  });

  it('writes the documented layout and hides the plaintext', () => {
    const key = openDataKey('alice', 0xdeadbeef, rawKey(1));
    const envelope = encryptField(key, titles, sample);
    const plaintextLength = Buffer.byteLength(sample, 'utf8');
    expect(envelope.length).toBe(1 + 4 + 12 + plaintextLength + 16);
    expect(envelope[0]).toBe(0x01);
    expect(envelope.readUInt32BE(1)).toBe(0xdeadbeef);
    expect(envelope.includes(Buffer.from('Quarterly'))).toBe(false);
  });

  it('is AES-256-GCM under the field subkey, authenticated with (owner, table, column, version)', () => {
    const envelope = encryptField(alice, titles, sample);
    const decipher = createDecipheriv('aes-256-gcm', alice.encryptionKey, envelope.subarray(5, 17));
    decipher.setAAD(canonicalEncode(['sundial:field', 1, 'alice', 'names', 'ciphertext', 1]));
    decipher.setAuthTag(envelope.subarray(-16));
    const opened = Buffer.concat([decipher.update(envelope.subarray(17, -16)), decipher.final()]);
    expect(opened.toString('utf8')).toBe(sample);
  });

  it('uses a fresh nonce every time', () => {
    const first = encryptField(alice, titles, sample);
    const second = encryptField(alice, titles, sample);
    expect(first.equals(second)).toBe(false);
    const nonces = new Set<string>();
    for (let i = 0; i < 10_000; i += 1) {
      nonces.add(encryptField(alice, titles, 'same value').subarray(5, 17).toString('hex'));
    }
    expect(nonces.size).toBe(10_000);
  });

  it('refuses strings with lone surrogates instead of changing them', () => {
    expect(() => encryptField(alice, titles, 'bad \uD800 title')).toThrow(TypeError);
    expect(() => encryptField(alice, titles, 'bad \uDC00')).toThrow(TypeError);
  });

  it('reads envelopes inside a larger buffer (views with an offset)', () => {
    const envelope = encryptField(alice, titles, sample);
    const backing = new Uint8Array(envelope.length + 10);
    backing.set(envelope, 7);
    expect(decryptField(alice, titles, backing.subarray(7, 7 + envelope.length))).toBe(sample);
  });
});

describe('decryption failures', () => {
  const envelope = encryptField(alice, titles, sample);

  it('rejects every single-bit and single-byte change anywhere', () => {
    for (let position = 0; position < envelope.length; position += 1) {
      for (const mask of [0x01, 0x02, 0x04, 0x08, 0x10, 0x20, 0x40, 0x80, 0xff]) {
        const tampered = Buffer.from(envelope);
        tampered[position] = (tampered[position] ?? 0) ^ mask;
        expectCryptoError(() => decryptField(alice, titles, tampered), 'crypto.decrypt_failed');
      }
    }
  });

  it('rejects every truncation and any appended bytes', () => {
    for (let length = 0; length < envelope.length; length += 1) {
      expectCryptoError(() => decryptField(alice, titles, envelope.subarray(0, length)), 'crypto.decrypt_failed');
      expectCryptoError(() => decryptBytes(alice, titles, envelope.subarray(0, length)), 'crypto.decrypt_failed');
    }
    const longer = Buffer.concat([envelope, Buffer.of(0)]);
    expectCryptoError(() => decryptField(alice, titles, longer), 'crypto.decrypt_failed');
  });

  it("rejects another owner's, table's or column's ciphertext, even under the same raw key", () => {
    // Same raw key on purpose: only the associated data tells these apart.
    const bob = openDataKey('bob', 1, rawKey(1));
    expectCryptoError(() => decryptField(bob, titles, envelope), 'crypto.decrypt_failed');
    expectCryptoError(
      () => decryptField(alice, { table: 'users', column: 'ciphertext' }, envelope),
      'crypto.decrypt_failed',
    );
    expectCryptoError(
      () => decryptField(alice, { table: 'names', column: 'email' }, envelope),
      'crypto.decrypt_failed',
    );
    expectCryptoError(() => decryptField(dataKey('alice', 1, 2), titles, envelope), 'crypto.decrypt_failed');
  });

  it('rejects a ciphertext presented under another key version', () => {
    const aliceV2 = openDataKey('alice', 2, rawKey(1));
    expectCryptoError(() => decryptField(aliceV2, titles, envelope), 'crypto.decrypt_failed');
    // Rewriting the clear version byte does not help: the version is in the associated data.
    const relabelled = Buffer.from(envelope);
    relabelled.writeUInt32BE(2, 1);
    expectCryptoError(() => decryptField(aliceV2, titles, relabelled), 'crypto.decrypt_failed');
  });

  it('keeps the associated data unambiguous', () => {
    const pairs: [FieldContext, FieldContext][] = [
      [
        { table: 'a', column: 'bc' },
        { table: 'ab', column: 'c' },
      ],
      [
        { table: 'a|b', column: 'c' },
        { table: 'a', column: 'b|c' },
      ],
      [
        { table: 'a\u0000', column: 'b' },
        { table: 'a', column: '\u0000b' },
      ],
      [
        { table: '', column: 'ab' },
        { table: 'ab', column: '' },
      ],
    ];
    for (const [one, other] of pairs) {
      expectCryptoError(() => decryptField(alice, other, encryptField(alice, one, sample)), 'crypto.decrypt_failed');
      expectCryptoError(() => decryptField(alice, one, encryptField(alice, other, sample)), 'crypto.decrypt_failed');
    }
    const ownerAB = openDataKey('a', 1, rawKey(1));
    const ownerA = openDataKey('', 1, rawKey(1));
    expectCryptoError(
      () =>
        decryptField(ownerA, { table: 'ab', column: 'c' }, encryptField(ownerAB, { table: 'b', column: 'c' }, sample)),
      'crypto.decrypt_failed',
    );
  });

  it('opens only under the exact context it was made for', () => {
    const part = fc.string({ maxLength: 4 });
    fc.assert(
      fc.property(fc.tuple(part, part, part), fc.tuple(part, part, part), ([o1, t1, c1], [o2, t2, c2]) => {
        fc.pre(o1 !== o2 || t1 !== t2 || c1 !== c2);
        const made = encryptField(openDataKey(o1, 1, rawKey(1)), { table: t1, column: c1 }, 'v');
        expectCryptoError(
          () => decryptField(openDataKey(o2, 1, rawKey(1)), { table: t2, column: c2 }, made),
          'crypto.decrypt_failed',
        );
      }),
    );
  });

  it('never returns invalid UTF-8 as a string', () => {
    const notUtf8 = encryptBytes(alice, titles, Uint8Array.of(0x66, 0xff, 0xfe, 0x80));
    expect([...decryptBytes(alice, titles, notUtf8)]).toEqual([0x66, 0xff, 0xfe, 0x80]);
    expectCryptoError(() => decryptField(alice, titles, notUtf8), 'crypto.decrypt_failed');
  });

  it('never puts the plaintext or key bytes in an error message', () => {
    const secret = 'secret-window-title-4242';
    const made = encryptField(alice, titles, secret);
    const attempts: (() => unknown)[] = [
      () => decryptField(openDataKey('bob', 1, rawKey(1)), titles, made),
      () => decryptField(alice, titles, made.subarray(0, 20)),
      () => decryptField(alice, titles, Buffer.concat([made.subarray(0, -1), Buffer.of(0)])),
      () => envelopeKeyVersion(made.subarray(0, 3)),
    ];
    for (const attempt of attempts) {
      let message = '';
      try {
        attempt();
      } catch (error) {
        if (error instanceof CryptoError) message = error.message;
      }
      expect(message).not.toBe('');
      expect(message).not.toContain(secret);
      for (const form of leakForms(rawKey(1))) expect(message).not.toContain(form);
    }
  });
});

describe('encryptBytes / decryptBytes', () => {
  it('round-trips arbitrary bytes', () => {
    fc.assert(
      fc.property(fc.uint8Array({ maxLength: 500 }), (bytes) => {
        expect([...decryptBytes(alice, titles, encryptBytes(alice, titles, bytes))]).toEqual([...bytes]);
      }),
    );
  });
});

describe('envelopeKeyVersion', () => {
  it('reads the key version without a key', () => {
    for (const version of [0, 1, 7, 0xffff_ffff]) {
      expect(envelopeKeyVersion(encryptField(openDataKey('alice', version, rawKey(1)), titles, 'x'))).toBe(version);
    }
  });

  it('rejects short envelopes and unknown formats', () => {
    const envelope = encryptField(alice, titles, '');
    for (let length = 0; length < 33; length += 1) {
      expectCryptoError(() => envelopeKeyVersion(envelope.subarray(0, length)), 'crypto.malformed');
    }
    expect(envelopeKeyVersion(envelope)).toBe(1);
    for (const format of [0x00, 0x02, 0xff]) {
      const other = Buffer.from(envelope);
      other[0] = format;
      expectCryptoError(() => envelopeKeyVersion(other), 'crypto.malformed');
      expectCryptoError(() => decryptField(alice, titles, other), 'crypto.decrypt_failed');
    }
  });
});
