import { execFileSync } from 'node:child_process';
import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { connect, type ConnectionOptions } from 'node:tls';
import { afterAll, beforeAll, describe, expect, it } from 'vitest';
import { createLogger, loadConfig, startServer, type RunningServer } from '../src/index.js';

/** A throw-away self-signed certificate made with the openssl command. */
function makeCertificate(dir: string, keyType: 'rsa' | 'ec'): { cert: string; key: string } {
  const cert = join(dir, `${keyType}-cert.pem`);
  const key = join(dir, `${keyType}-key.pem`);
  const keyArgs =
    keyType === 'rsa' ? ['-newkey', 'rsa:2048'] : ['-newkey', 'ec', '-pkeyopt', 'ec_paramgen_curve:prime256v1'];
  execFileSync(
    'openssl',
    ['req', '-x509', ...keyArgs, '-nodes', '-days', '2', '-subj', '/CN=localhost', '-keyout', key, '-out', cert],
    {
      stdio: 'ignore',
    },
  );
  return { cert, key };
}

interface Handshake {
  ok: boolean;
  protocol?: string | null;
  cipher?: string;
}

function handshake(port: number, options: Partial<ConnectionOptions>): Promise<Handshake> {
  return new Promise((resolve) => {
    const socket = connect(
      { host: '127.0.0.1', port, rejectUnauthorized: false, servername: 'localhost', ...options },
      () => {
        const result = { ok: true, protocol: socket.getProtocol(), cipher: socket.getCipher().name };
        socket.end();
        resolve(result);
      },
    );
    socket.on('error', () => resolve({ ok: false }));
  });
}

describe('HTTPS', () => {
  let dir: string;
  let server: RunningServer;
  let port: number;

  beforeAll(async () => {
    dir = mkdtempSync(join(tmpdir(), 'sundial-tls-'));
    const { cert, key } = makeCertificate(dir, 'rsa');
    const config = loadConfig({
      env: {
        SUNDIAL_DATA_DIR: join(dir, 'data'),
        SUNDIAL_MASTER_KEY_FILE: join(dir, 'keys', 'master.key'),
        SUNDIAL_PORT: '0',
        SUNDIAL_TLS_CERT: cert,
        SUNDIAL_TLS_KEY: key,
      },
    });
    server = await startServer(config, { logger: createLogger('silent') });
    port = Number(new URL(server.url).port);
  });
  afterAll(async () => {
    await server.close();
    rmSync(dir, { recursive: true, force: true });
  });

  it('serves https with HSTS', async () => {
    expect(server.url).toMatch(/^https:\/\/127\.0\.0\.1:\d+$/);
    const res = await server.app.inject({ method: 'GET', url: '/healthz' });
    expect(res.headers['strict-transport-security']).toBe('max-age=63072000; includeSubDomains');
  });

  it('speaks TLS 1.3', async () => {
    const result = await handshake(port, { minVersion: 'TLSv1.3' });
    expect(result).toMatchObject({ ok: true, protocol: 'TLSv1.3' });
  });

  it('speaks TLS 1.2 with an AEAD suite', async () => {
    const result = await handshake(port, { maxVersion: 'TLSv1.2', ciphers: 'ECDHE-RSA-AES128-GCM-SHA256' });
    expect(result).toMatchObject({ ok: true, protocol: 'TLSv1.2', cipher: 'ECDHE-RSA-AES128-GCM-SHA256' });
  });

  it.each(['ECDHE-RSA-AES128-SHA', 'ECDHE-RSA-AES256-SHA384', 'AES128-GCM-SHA256', 'AES256-SHA'])(
    'refuses the TLS 1.2 suite %s (CBC or no forward secrecy)',
    async (cipher) => {
      const result = await handshake(port, { maxVersion: 'TLSv1.2', ciphers: `${cipher}@SECLEVEL=0` });
      expect(result.ok).toBe(false);
    },
  );

  it.each(['TLSv1', 'TLSv1.1'] as const)('refuses %s', async (version) => {
    const result = await handshake(port, { minVersion: version, maxVersion: version, ciphers: 'ALL@SECLEVEL=0' });
    expect(result.ok).toBe(false);
  });

  it('negotiates only AEAD suites whatever the client offers first', async () => {
    const result = await handshake(port, {
      maxVersion: 'TLSv1.2',
      ciphers: 'ECDHE-RSA-AES128-SHA:ECDHE-RSA-AES256-GCM-SHA384:ALL@SECLEVEL=0',
    });
    expect(result).toMatchObject({ ok: true, cipher: 'ECDHE-RSA-AES256-GCM-SHA384' });
  });
});
