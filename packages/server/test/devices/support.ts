/**
 * Shared by the device tests: an app on a settable clock, people each from
 * an address of their own, and the pairing steps as HTTP calls.
 */
import type { DatabaseKind } from '@sundial/store';
import { createTestApp, type TestApp } from '../helpers.js';
import { person, withBearer, withCookie, type Person, type Reply } from '../accounts/support.js';
import { settableClock, T0, type Clock } from '../activity/support.js';

export interface DeviceCtx {
  readonly t: TestApp;
  readonly clock: Clock;
}

export interface Started {
  readonly pairingId: string;
  readonly code: string;
  readonly pollSecret: string;
  readonly approveUrl: string;
  readonly expiresAt: string;
  readonly pollInterval: number;
}

export async function deviceApp(kind: DatabaseKind): Promise<DeviceCtx> {
  const clock = settableClock(T0);
  const t = await createTestApp({ kind, now: clock.now });
  return { t, clock };
}

let addresses = 0;
/** A client address no other call of this run used: throttles count per address. */
export function freshIp(): string {
  addresses += 1;
  return `198.18.${Math.floor(addresses / 250) % 250}.${(addresses % 250) + 1}`;
}

export function newDevicePerson(t: TestApp, label: string): Promise<Person> {
  return person(t, label, { ip: freshIp() });
}

export function startPairing(t: TestApp, body: unknown, ip = '198.51.100.1'): Promise<Reply> {
  return t.app.inject({ method: 'POST', url: '/api/v1/devices/pairings', payload: body as object, remoteAddress: ip });
}

export async function started(t: TestApp, ip?: string, name = 'Work laptop'): Promise<Started> {
  const res = await startPairing(t, { name, platform: 'linux' }, ip);
  if (res.statusCode !== 201) throw new Error(`starting a pairing answered ${res.statusCode}: ${res.body}`);
  return res.json<Started>();
}

export function claim(t: TestApp, body: unknown, ip = '198.51.100.2'): Promise<Reply> {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/devices/pairings/claim',
    payload: body as object,
    remoteAddress: ip,
  });
}

export function approve(t: TestApp, cookie: string, code: unknown, ip = '198.51.100.3'): Promise<Reply> {
  return t.app.inject({
    method: 'POST',
    url: '/api/v1/devices/approve',
    payload: { code } as object,
    remoteAddress: ip,
    ...withCookie(cookie),
  });
}

/** Starts, approves and claims: answers the device token and id. */
export async function pairedDevice(
  t: TestApp,
  owner: Person,
  name = 'Work laptop',
): Promise<{ token: string; deviceId: string }> {
  const s = await started(t, undefined, name);
  const approved = await approve(t, owner.cookie, s.code);
  if (approved.statusCode !== 200) throw new Error(`approve answered ${approved.statusCode}: ${approved.body}`);
  const res = await claim(t, { pairingId: s.pairingId, pollSecret: s.pollSecret });
  if (res.statusCode !== 200) throw new Error(`claim answered ${res.statusCode}: ${res.body}`);
  return res.json<{ token: string; deviceId: string }>();
}

export function listDevices(t: TestApp, auth: { headers: Record<string, string> }): Promise<Reply> {
  return t.app.inject({ method: 'GET', url: '/api/v1/devices', ...auth });
}

export { withBearer, withCookie };
