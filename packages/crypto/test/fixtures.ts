/**
 * Shared test helpers: fixed keys (so failures are reproducible) and an
 * assertion that a call throws a CryptoError with a given code.
 */
import { Buffer } from 'node:buffer';
import { expect } from 'vitest';
import { openDataKey, type DataKey } from '../src/data-key.js';
import { CryptoError, type CryptoErrorCode } from '../src/errors.js';

/** 32 bytes derived from a small number, distinct for distinct seeds. */
export function rawKey(seed: number): Buffer {
  const bytes = Buffer.alloc(32);
  for (let i = 0; i < 32; i += 1) bytes[i] = (seed * 31 + i * 7 + 1) & 0xff;
  return bytes;
}

export function dataKey(ownerId = 'alice', version = 1, seed = 1): DataKey {
  return openDataKey(ownerId, version, rawKey(seed));
}

/** Runs `fn`, asserts it throws a CryptoError with `code`, and returns the error. */
export function expectCryptoError(fn: () => unknown, code: CryptoErrorCode): CryptoError {
  let thrown: unknown;
  let returned: unknown;
  try {
    returned = fn();
  } catch (error) {
    thrown = error;
  }
  expect(returned, 'must throw, not return a value').toBeUndefined();
  if (!(thrown instanceof CryptoError)) throw new Error(`expected a CryptoError, got ${String(thrown)}`);
  expect(thrown.code).toBe(code);
  return thrown;
}

/** Representations of secret bytes that must never appear in an error message. */
export function leakForms(secret: Buffer): string[] {
  return [secret.toString('hex'), secret.toString('base64'), secret.toString('base64url'), secret.toString('latin1')];
}
