export { CryptoError, isCryptoError, type CryptoErrorCode } from './errors.js';
export { deriveSubkey, subkeyInfo, type SubkeyPurpose } from './hkdf.js';
export {
  KEY_LENGTH,
  generateKey,
  masterKeyFromBytes,
  masterKeyFromBase64,
  keyCheckValue,
  verifyKeyCheckValue,
  type MasterKey,
} from './keys.js';
export { wrapDataKey, unwrapDataKey } from './key-wrap.js';
export { openDataKey, openInstanceIndexKey, type DataKey, type InstanceIndexKey } from './data-key.js';
export {
  encryptField,
  decryptField,
  encryptBytes,
  decryptBytes,
  envelopeKeyVersion,
  type FieldContext,
} from './envelope.js';
export { blindIndex, emailBlindIndex, normaliseEmail } from './blind-index.js';
export type { WrappedKeyRecord, KeyringStore, KeyProvider } from './keyring.js';
export { sealWithMaster, openWithMaster } from './master-seal.js';
export { canonicalEncode, type CanonicalField } from './canonical.js';
