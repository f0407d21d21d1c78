/**
 * My devices over HTTP, on both databases: the status an agent reports
 * (PUT /api/v1/devices/me/status) as the list shows it, bad status input,
 * who may report and list, and revoking (DELETE /api/v1/devices/:id): the
 * token stops at once, the revocation is listed and audited, and another
 * person's device is 404 and stays working.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { createToken, raw, type Person } from '../accounts/support.js';
import { findInDatabase, MINUTE, T0, windowEvent } from '../activity/support.js';
import {
  deviceApp,
  listDevices,
  newDevicePerson,
  pairedDevice,
  withBearer,
  withCookie,
  type DeviceCtx,
} from './support.js';

const STATUS = {
  queueLength: 42,
  oldestQueuedAt: new Date(T0 - 5 * MINUTE).toISOString(),
  lastSyncAt: new Date(T0 - MINUTE).toISOString(),
  version: '0.2.0',
  watchers: 'x11 ok; idle ok (secret-watcher-detail)',
};

interface Listed {
  id: string;
  lastSeenAt: string | null;
  revokedAt: string | null;
  status: unknown;
}

eachDatabase('devices', (kind) => {
  let c: DeviceCtx;
  let me: Person;
  let device: { token: string; deviceId: string };
  beforeEach(async () => {
    c = await deviceApp(kind);
    me = await newDevicePerson(c.t, 'me');
    device = await pairedDevice(c.t, me);
  });
  afterEach(async () => c.t.close());

  const putStatus = (auth: { headers: Record<string, string> }, body: unknown) =>
    c.t.app.inject({ method: 'PUT', url: '/api/v1/devices/me/status', payload: body as object, ...auth });
  const mine = async (person = me): Promise<Listed[]> =>
    (await listDevices(c.t, withCookie(person.cookie))).json<{ devices: Listed[] }>().devices;

  it("records the agent's status, lists it with the time it was seen, and keeps the watchers text encrypted", async () => {
    c.clock.advance(MINUTE);
    const res = await putStatus(withBearer(device.token), STATUS);
    expect(res.statusCode, res.body).toBe(204);
    const [listed] = await mine();
    expect(listed).toMatchObject({
      id: device.deviceId,
      lastSeenAt: new Date(T0 + MINUTE).toISOString(),
      revokedAt: null,
      status: {
        queueLength: 42,
        oldestQueuedAt: STATUS.oldestQueuedAt,
        lastSyncAt: STATUS.lastSyncAt,
        version: '0.2.0',
        watchers: STATUS.watchers,
      },
    });
    // The next report replaces it; nulls are kept as nulls.
    const empty = { ...STATUS, queueLength: 0, oldestQueuedAt: null };
    expect((await putStatus(withBearer(device.token), empty)).statusCode).toBe(204);
    expect((await mine())[0]?.status).toMatchObject({ queueLength: 0, oldestQueuedAt: null });
    expect(await findInDatabase(c.t, 'secret-watcher-detail')).toEqual([]);
    // A read token lists devices too.
    const reader = await createToken(c.t, me.cookie, { name: 'dashboard', scopes: ['read'] });
    expect((await listDevices(c.t, withBearer(reader.token))).statusCode).toBe(200);
  });

  it.each<[string, Record<string, unknown>]>([
    ['a negative queue length', { queueLength: -1 }],
    ['a fractional queue length', { queueLength: 1.5 }],
    ['a queue length as text', { queueLength: '3' }],
    ['a date that is not ISO', { lastSyncAt: 'yesterday' }],
    ['an impossible date', { oldestQueuedAt: '2025-02-30T10:00:00Z' }],
    ['watchers of 201 characters', { watchers: 'x'.repeat(201) }],
    ['a version of 101 characters', { version: 'v'.repeat(101) }],
    ['an extra field', { hostname: 'box' }],
  ])('refuses a status with %s (400) and keeps the last one', async (_label, change) => {
    await putStatus(withBearer(device.token), STATUS);
    const res = await putStatus(withBearer(device.token), { ...STATUS, ...change });
    expect(res.statusCode, res.body).toBe(400);
    expect(res.json<{ error: { code: string } }>().error.code).toBe('input.invalid');
    expect((await mine())[0]?.status).toMatchObject({ queueLength: 42 });
  });

  it('takes a status from a device token only: a session is 403, a read token 403, nobody 401', async () => {
    expect((await putStatus(withCookie(me.cookie), STATUS)).statusCode).toBe(403);
    const reader = await createToken(c.t, me.cookie, { name: 'dashboard', scopes: ['read'] });
    expect((await putStatus(withBearer(reader.token), STATUS)).statusCode).toBe(403);
    expect((await putStatus({ headers: {} }, STATUS)).statusCode).toBe(401);
    expect((await mine())[0]?.status).toBeNull();
  });

  it('revokes a device: its token stops at once, the list shows when, and it is audited', async () => {
    c.clock.advance(2 * MINUTE);
    const res = await c.t.app.inject({
      method: 'DELETE',
      url: `/api/v1/devices/${device.deviceId}`,
      ...withCookie(me.cookie),
    });
    expect(res.statusCode, res.body).toBe(204);
    const refused = await c.t.app.inject({
      method: 'POST',
      url: '/api/v1/events',
      payload: { events: [windowEvent(T0, MINUTE, 'Editor')] },
      ...withBearer(device.token),
    });
    expect(refused.statusCode).toBe(401);
    expect((await putStatus(withBearer(device.token), STATUS)).statusCode).toBe(401);
    expect((await mine())[0]).toMatchObject({
      id: device.deviceId,
      revokedAt: new Date(T0 + 2 * MINUTE).toISOString(),
    });
    const again = await c.t.app.inject({
      method: 'DELETE',
      url: `/api/v1/devices/${device.deviceId}`,
      ...withCookie(me.cookie),
    });
    expect(again.statusCode).toBe(404);
    const audits = await raw(c.t, (db) =>
      db.selectFrom('audit_log').select('details').where('action', '=', 'device.revoke').execute(),
    );
    expect(audits.map((a) => JSON.parse(a.details) as unknown)).toEqual([{ deviceId: device.deviceId }]);
  });

  it('answers 404 to another person revoking my device, which keeps working; 400 for an id that is not one', async () => {
    const other = await newDevicePerson(c.t, 'other');
    const theirs = await c.t.app.inject({
      method: 'DELETE',
      url: `/api/v1/devices/${device.deviceId}`,
      ...withCookie(other.cookie),
    });
    expect(theirs.statusCode).toBe(404);
    expect((await mine(other)).map((d) => d.id)).toEqual([]);
    expect((await putStatus(withBearer(device.token), STATUS)).statusCode).toBe(204);
    expect((await mine())[0]?.revokedAt).toBeNull();

    const unknown = await c.t.app.inject({
      method: 'DELETE',
      url: '/api/v1/devices/0190a0a0-0000-7000-8000-000000000000',
      ...withCookie(me.cookie),
    });
    expect(unknown.statusCode).toBe(404);
    const manual = await c.t.app.inject({ method: 'DELETE', url: '/api/v1/devices/manual', ...withCookie(me.cookie) });
    expect(manual.statusCode).toBe(400);
    const byToken = await c.t.app.inject({
      method: 'DELETE',
      url: `/api/v1/devices/${device.deviceId}`,
      ...withBearer(device.token),
    });
    expect(byToken.statusCode).toBe(403);
  });
});
