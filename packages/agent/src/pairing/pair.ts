/**
 * Pairing a device (docs: the pairing contract): the agent asks the server
 * for a pairing, shows the short code and the approval link, and polls with
 * its secret until the person approves in the dashboard; the device token
 * then arrives once and is stored in the config folder. `--token` skips the
 * dance for scripted set-ups (the token is checked against the server).
 * Either way the server's public key is pinned on this first connection.
 */
import { jsonOf, OfflineError, ServerClient } from '../sync/client.js';
import { retryAfterMs } from '../sync/backoff.js';
import { PinStore } from '../sync/pins.js';
import { writeCredentials } from './credentials.js';

export interface PairOptions {
  readonly server: string;
  readonly configDir: string;
  readonly name: string;
  readonly platform: 'linux' | 'macos' | 'windows' | 'other';
  readonly trustNewKey: boolean;
  /** A token made elsewhere: checked and stored, no code shown. */
  readonly token?: string;
  readonly ca?: string | Buffer;
  readonly say: (line: string) => void;
  readonly sleep?: (ms: number) => Promise<void>;
  readonly now?: () => number;
}

export class PairingError extends Error {}

export function platformName(platform: NodeJS.Platform): PairOptions['platform'] {
  if (platform === 'linux') return 'linux';
  if (platform === 'darwin') return 'macos';
  if (platform === 'win32') return 'windows';
  return 'other';
}

interface Pairing {
  pairingId: string;
  code: string;
  pollSecret: string;
  approveUrl: string;
  expiresAt: string;
  pollInterval: number;
}

function isPairing(value: unknown): value is Pairing {
  const p = value as Partial<Pairing> | null;
  return (
    typeof p?.pairingId === 'string' &&
    typeof p.code === 'string' &&
    typeof p.pollSecret === 'string' &&
    typeof p.approveUrl === 'string' &&
    typeof p.expiresAt === 'string' &&
    typeof p.pollInterval === 'number'
  );
}

/** Pairs this device; answers where the credentials were stored. */
export async function pairDevice(options: PairOptions): Promise<{ file: string; deviceId: string | null }> {
  const sleep = options.sleep ?? ((ms: number) => new Promise<void>((resolve) => setTimeout(resolve, ms)));
  const now = options.now ?? Date.now;
  const pins = new PinStore(options.configDir);
  const client = (token: string | null) =>
    new ServerClient({
      server: options.server,
      token,
      pins,
      trustNewKey: options.trustNewKey,
      ...(options.ca ? { ca: options.ca } : {}),
    });

  if (options.token !== undefined) {
    const c = client(options.token);
    try {
      const reply = await c.request('GET', '/api/v1/settings/privacy');
      if (reply.status === 401 || reply.status === 403)
        throw new PairingError(`the server refused this token (${reply.status})`);
      if (reply.status !== 200) throw new PairingError(`the server answered ${reply.status} when checking the token`);
    } finally {
      c.close();
    }
    const file = writeCredentials(options.configDir, { server: options.server, token: options.token, deviceId: null });
    return { file, deviceId: null };
  }

  const c = client(null);
  try {
    const started = await c.request('POST', '/api/v1/devices/pairings', {
      name: options.name,
      platform: options.platform,
    });
    const pairing = jsonOf(started);
    if (started.status === 404)
      throw new PairingError(
        'this server does not offer device pairing (too old?); use --token with a token made in the dashboard',
      );
    if (started.status !== 201 || !isPairing(pairing)) {
      throw new PairingError(`the server answered ${started.status} to the pairing request`);
    }
    options.say(`Pairing code: ${pairing.code}`);
    options.say(`Approve this device at: ${pairing.approveUrl}`);
    options.say('(or in the dashboard: Devices → Pair a device, and type the code)');
    const expires = Date.parse(pairing.expiresAt);
    let wait = Math.max(1, pairing.pollInterval) * 1000;
    for (;;) {
      if (!Number.isNaN(expires) && now() > expires)
        throw new PairingError('the pairing code expired; run the command again');
      await sleep(wait);
      wait = Math.max(1, pairing.pollInterval) * 1000;
      let reply;
      try {
        reply = await c.request('POST', '/api/v1/devices/pairings/claim', {
          pairingId: pairing.pairingId,
          pollSecret: pairing.pollSecret,
        });
      } catch (error) {
        if (error instanceof OfflineError) continue;
        throw error;
      }
      if (reply.status === 202) continue;
      if (reply.status === 429) {
        wait = Math.max(wait, retryAfterMs(reply.headers['retry-after'], now()) ?? wait);
        continue;
      }
      if (reply.status === 200) {
        const body = jsonOf(reply) as { token?: unknown; deviceId?: unknown } | undefined;
        if (typeof body?.token !== 'string') throw new PairingError('the server approved the device but sent no token');
        const deviceId = typeof body.deviceId === 'string' ? body.deviceId : null;
        const file = writeCredentials(options.configDir, { server: options.server, token: body.token, deviceId });
        return { file, deviceId };
      }
      if (reply.status === 410) {
        const code = (jsonOf(reply) as { error?: { code?: unknown } } | undefined)?.error?.code;
        throw new PairingError(
          code === 'pairing.claimed'
            ? 'this pairing was already used; run the command again'
            : 'the pairing code expired; run the command again',
        );
      }
      if (reply.status === 404)
        throw new PairingError('the server no longer knows this pairing; run the command again');
      throw new PairingError(`the server answered ${reply.status} while waiting for approval`);
    }
  } finally {
    c.close();
  }
}
