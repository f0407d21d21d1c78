/**
 * The one error type of the crypto package.
 *
 * Callers branch on `code`, never on the message. Messages are written by
 * hand in this package and never interpolate key material, plaintext or the
 * text a key was parsed from: errors end up in logs, and a log line must not
 * become the leak that encryption at rest was meant to prevent. Decryption
 * failures deliberately share one code and one message so that an attacker
 * probing with forged ciphertexts learns nothing about which check failed.
 */

export type CryptoErrorCode =
  | 'crypto.decrypt_failed'
  | 'crypto.unwrap_failed'
  | 'crypto.invalid_key'
  | 'crypto.wrong_master_key'
  | 'crypto.malformed';

export class CryptoError extends Error {
  readonly code: CryptoErrorCode;

  constructor(code: CryptoErrorCode, message: string) {
    super(message);
    this.name = 'CryptoError';
    this.code = code;
  }
}

/** True when `error` is a CryptoError, optionally with the given code. */
export function isCryptoError(error: unknown, code?: CryptoErrorCode): error is CryptoError {
  return error instanceof CryptoError && (code === undefined || error.code === code);
}
