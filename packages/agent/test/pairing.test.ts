/**
 * The pairing client against a small fake server implementing the pairing
 * contract (the real server side is built separately): code shown, polling
 * until approval, the token stored 0600; expiry; `--token`; and public-key
 * pinning on an https server with a self-signed certificate made here.
 */
import { execFileSync } from 'node:child_process';
import { readFileSync, statSync, writeFileSync } from 'node:fs';
import { createServer as createHttpServer, type IncomingMessage, type ServerResponse } from 'node:http';
import { createServer as createHttpsServer } from 'node:https';
import type { AddressInfo } from 'node:net';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { readCredentials } from '../src/pairing/credentials.js';
import { pairDevice, PairingError } from '../src/pairing/pair.js';
import { tempDir } from './support.js';

const closers: (() => void)[] = [];
afterEach(() => {
  for (const close of closers.splice(0)) close();
});

interface FakeState {
  claims: number;
  approveAfter: number;
  expired?: boolean;
  requests: { path: string; body: unknown; auth: string | undefined }[];
}

function contract(state: FakeState) {
  return (req: IncomingMessage, res: ServerResponse) => {
    let text = '';
    req.on('data', (c: Buffer) => (text += c.toString()));
    req.on('end', () => {
      const body: unknown = text ? JSON.parse(text) : undefined;
      state.requests.push({ path: req.url ?? '', body, auth: req.headers.authorization });
      const send = (status: number, value: unknown) =>
        res.writeHead(status, { 'content-type': 'application/json' }).end(JSON.stringify(value));
      if (req.url === '/api/v1/devices/pairings' && req.method === 'POST') {
        return send(201, {
          pairingId: 'p-1',
          code: 'ABCD-2345',
          pollSecret: 'secret-of-the-agent',
          approveUrl: 'https://sundial.example/devices/pair?code=ABCD-2345',
          expiresAt: new Date(Date.now() + 600_000).toISOString(),
          pollInterval: 2,
        });
      }
      if (req.url === '/api/v1/devices/pairings/claim') {
        const claim = body as { pairingId?: string; pollSecret?: string };
        if (claim.pairingId !== 'p-1' || claim.pollSecret !== 'secret-of-the-agent')
          return send(404, { error: { code: 'not_found', message: 'no' } });
        if (state.expired) return send(410, { error: { code: 'pairing.expired', message: 'expired' } });
        state.claims += 1;
        if (state.claims < state.approveAfter) return send(202, { status: 'pending' });
        if (state.claims === state.approveAfter)
          return send(200, { status: 'approved', token: 'device-token-abcdef', deviceId: 'dev-1' });
        return send(410, { error: { code: 'pairing.claimed', message: 'claimed' } });
      }
      if (req.url === '/api/v1/settings/privacy') {
        return req.headers.authorization === 'Bearer good-token-123'
          ? send(200, { detail: 'full', ignore: [], paused: false, retentionDays: null })
          : send(401, { error: { code: 'unauthorized', message: 'no' } });
      }
      send(404, { error: { code: 'not_found', message: 'no' } });
    });
  };
}

async function fakeHttp(state: FakeState): Promise<string> {
  const server = createHttpServer(contract(state));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => server.close());
  return `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
}

function selfSigned(dir: string, name: string): { key: Buffer; cert: Buffer } {
  const key = join(dir, `${name}.key`);
  const cert = join(dir, `${name}.crt`);
  execFileSync(
    'openssl',
    [
      'req',
      '-x509',
      '-newkey',
      'ec',
      '-pkeyopt',
      'ec_paramgen_curve:P-256',
      '-nodes',
      '-keyout',
      key,
      '-out',
      cert,
      '-days',
      '2',
      '-subj',
      '/CN=localhost',
      '-addext',
      'subjectAltName=DNS:localhost,IP:127.0.0.1',
    ],
    { stdio: 'ignore' },
  );
  return { key: readFileSync(key), cert: readFileSync(cert) };
}

async function fakeHttps(state: FakeState, tls: { key: Buffer; cert: Buffer }): Promise<string> {
  const server = createHttpsServer(tls, contract(state));
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  closers.push(() => {
    server.closeAllConnections();
    server.close();
  });
  return `https://localhost:${(server.address() as AddressInfo).port}`;
}

const noWait = async () => undefined;

describe('pairing', () => {
  it('shows the code and link, polls until approved, and stores the token 0600', async () => {
    const state: FakeState = { claims: 0, approveAfter: 3, requests: [] };
    const server = await fakeHttp(state);
    const configDir = join(tempDir(), 'config');
    const said: string[] = [];
    const waits: number[] = [];
    const result = await pairDevice({
      server,
      configDir,
      name: 'laptop',
      platform: 'linux',
      trustNewKey: false,
      say: (l) => said.push(l),
      sleep: async (ms) => void waits.push(ms),
    });
    expect(said.join('\n')).toContain('ABCD-2345');
    expect(said.join('\n')).toContain('https://sundial.example/devices/pair?code=ABCD-2345');
    expect(waits).toEqual([2000, 2000, 2000]);
    expect(state.requests[0]).toMatchObject({
      path: '/api/v1/devices/pairings',
      body: { name: 'laptop', platform: 'linux' },
      auth: undefined,
    });
    expect(result.deviceId).toBe('dev-1');
    expect(readCredentials(configDir)).toEqual({ server, token: 'device-token-abcdef', deviceId: 'dev-1' });
    expect(statSync(result.file).mode & 0o777).toBe(0o600);
    expect(statSync(configDir).mode & 0o777).toBe(0o700);
  });

  it('stops with a clear message when the pairing expired', async () => {
    const state: FakeState = { claims: 0, approveAfter: 99, expired: true, requests: [] };
    const server = await fakeHttp(state);
    const configDir = tempDir();
    await expect(
      pairDevice({
        server,
        configDir,
        name: 'x',
        platform: 'linux',
        trustNewKey: false,
        say: () => undefined,
        sleep: noWait,
      }),
    ).rejects.toThrow(/expired; run the command again/);
    expect(readCredentials(configDir)).toBeNull();
  });

  it('with --token checks the token against the server and stores it', async () => {
    const server = await fakeHttp({ claims: 0, approveAfter: 1, requests: [] });
    const configDir = tempDir();
    await expect(
      pairDevice({
        server,
        configDir,
        name: 'x',
        platform: 'linux',
        trustNewKey: false,
        token: 'bad-token-123',
        say: () => undefined,
      }),
    ).rejects.toBeInstanceOf(PairingError);
    expect(readCredentials(configDir)).toBeNull();
    await pairDevice({
      server,
      configDir,
      name: 'x',
      platform: 'linux',
      trustNewKey: false,
      token: 'good-token-123',
      say: () => undefined,
    });
    expect(readCredentials(configDir)?.token).toBe('good-token-123');
  });

  it('pins the server key on first use and refuses a changed one unless told to trust it', async () => {
    const dir = tempDir();
    const first = selfSigned(dir, 'first');
    const second = selfSigned(dir, 'second');
    const configDir = join(dir, 'config');
    const options = { configDir, name: 'x', platform: 'linux' as const, token: 'good-token-123', say: () => undefined };

    const url1 = await fakeHttps({ claims: 0, approveAfter: 1, requests: [] }, first);
    await pairDevice({ ...options, server: url1, trustNewKey: false, ca: first.cert });
    const pinned = JSON.parse(readFileSync(join(configDir, 'server-keys.json'), 'utf8')) as Record<string, string>;
    expect(Object.keys(pinned)).toEqual([new URL(url1).origin]);

    // The same server with a new key: a second server on another port, its origin given the first key's pin.
    const url2 = await fakeHttps({ claims: 0, approveAfter: 1, requests: [] }, second);
    const origin2 = new URL(url2).origin;
    const store = { [origin2]: pinned[new URL(url1).origin] };
    writeFileSync(join(configDir, 'server-keys.json'), JSON.stringify(store));
    await expect(pairDevice({ ...options, server: url2, trustNewKey: false, ca: second.cert })).rejects.toThrow(
      /different public key.*--trust-new-key/,
    );
    await pairDevice({ ...options, server: url2, trustNewKey: true, ca: second.cert });
    const repinned = JSON.parse(readFileSync(join(configDir, 'server-keys.json'), 'utf8')) as Record<string, string>;
    expect(repinned[origin2]).not.toBe(pinned[new URL(url1).origin]);
  });
});
