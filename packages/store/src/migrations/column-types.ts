/**
 * Column types that are spelled differently per dialect. Part of the
 * migrations' history: change nothing here that a released migration uses.
 */
import type { DatabaseKind } from '../database-url.js';

/** Binary data: ciphertexts and blind indexes. */
export function bytesType(dialect: DatabaseKind): 'blob' | 'bytea' {
  return dialect === 'sqlite' ? 'blob' : 'bytea';
}
