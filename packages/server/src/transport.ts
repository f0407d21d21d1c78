/**
 * TLS settings (SECURITY.md, "Transport"): TLS 1.2 and 1.3 only, and an
 * explicit list of AEAD suites with forward secrecy, because Node's default
 * list still accepts CBC suites under TLS 1.2.
 */
import { readFileSync } from 'node:fs';
import type { SecureServerOptions } from 'node:http2';

export const TLS_CIPHERS = [
  // TLS 1.3 (all AEAD)
  'TLS_AES_256_GCM_SHA384',
  'TLS_CHACHA20_POLY1305_SHA256',
  'TLS_AES_128_GCM_SHA256',
  // TLS 1.2: ECDHE key exchange, AEAD only
  'ECDHE-ECDSA-AES256-GCM-SHA384',
  'ECDHE-RSA-AES256-GCM-SHA384',
  'ECDHE-ECDSA-CHACHA20-POLY1305',
  'ECDHE-RSA-CHACHA20-POLY1305',
  'ECDHE-ECDSA-AES128-GCM-SHA256',
  'ECDHE-RSA-AES128-GCM-SHA256',
].join(':');

export interface TlsFiles {
  readonly certFile: string;
  readonly keyFile: string;
}

export class TlsFileError extends Error {}

/** Reads the certificate and key; a problem becomes one line naming the file. */
export function tlsServerOptions(
  files: TlsFiles,
): Pick<SecureServerOptions, 'cert' | 'key' | 'minVersion' | 'maxVersion' | 'ciphers' | 'honorCipherOrder'> {
  const read = (path: string, what: string): Buffer => {
    try {
      return readFileSync(path);
    } catch (error) {
      const reason = error instanceof Error ? error.message : String(error);
      throw new TlsFileError(`cannot read the TLS ${what} ${path}: ${reason}`);
    }
  };
  return {
    cert: read(files.certFile, 'certificate'),
    key: read(files.keyFile, 'key'),
    minVersion: 'TLSv1.2',
    maxVersion: 'TLSv1.3',
    ciphers: TLS_CIPHERS,
    honorCipherOrder: true,
  };
}
