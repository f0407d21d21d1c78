/**
 * Pairing codes: 8 characters a person reads off a device and types into
 * the dashboard. The alphabet has 32 symbols without the look-alikes 0/O
 * and 1/I, so a code carries exactly 40 random bits (5 per character) and
 * reads aloud without ambiguity. Shown as two groups, "ABCD-2345"; typed in
 * any case, with or without the dash or spaces.
 */
import { randomBytes } from 'node:crypto';

export const PAIRING_CODE_ALPHABET = '23456789ABCDEFGHJKLMNPQRSTUVWXYZ';
export const PAIRING_CODE_LENGTH = 8;
const BITS_PER_SYMBOL = 5;

/** A fresh code in its shown form ("ABCD-2345"): 40 bits from the system CSPRNG, no modulo bias. */
export function newPairingCode(): string {
  let bits = randomBytes((PAIRING_CODE_LENGTH * BITS_PER_SYMBOL) / 8).readUIntBE(0, 5);
  let code = '';
  for (let i = 0; i < PAIRING_CODE_LENGTH; i++) {
    code = (PAIRING_CODE_ALPHABET[bits % 32] ?? '') + code;
    bits = Math.floor(bits / 32);
  }
  return `${code.slice(0, 4)}-${code.slice(4)}`;
}

/** The code as compared ("ABCD2345"), or null when it cannot be a pairing code. */
export function normalisePairingCode(input: string): string | null {
  const code = input.replace(/[\s-]/g, '').toUpperCase();
  if (code.length !== PAIRING_CODE_LENGTH) return null;
  for (const symbol of code) if (!PAIRING_CODE_ALPHABET.includes(symbol)) return null;
  return code;
}
