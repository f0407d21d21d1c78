/**
 * Device pairing over HTTP: start (public), approve (a session), claim
 * (public, once), on both databases. The happy path end to end and what the
 * token may do; single use, expiry, wrong secrets, bad input, throttling per
 * address and per person, and another person's codes and devices.
 */
import { randomBytes } from 'node:crypto';
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { createToken, raw, rowsContain, type Person } from '../accounts/support.js';
import { findInDatabase, MINUTE, T0, windowEvent } from '../activity/support.js';
import {
  approve,
  claim,
  deviceApp,
  listDevices,
  newDevicePerson,
  started,
  startPairing,
  withBearer,
  withCookie,
  type DeviceCtx,
} from './support.js';

const CODE = /^[2-9A-HJ-NP-Z]{4}-[2-9A-HJ-NP-Z]{4}$/;
const errorCode = (res: { json: () => unknown }) => (res.json() as { error: { code: string } }).error.code;

eachDatabase('device pairing', (kind) => {
  let c: DeviceCtx;
  let me: Person;
  beforeEach(async () => {
    c = await deviceApp(kind);
    me = await newDevicePerson(c.t, 'me');
  });
  afterEach(async () => c.t.close());

  describe('the happy path', () => {
    it('starts, waits, is approved with a typed code, hands out the token once; the token can ingest only', async () => {
      const { t } = c;
      const res = await startPairing(t, { name: 'Ada’s laptop', platform: 'linux' });
      expect(res.statusCode, res.body).toBe(201);
      const s = res.json<{
        pairingId: string;
        code: string;
        pollSecret: string;
        approveUrl: string;
        expiresAt: string;
        pollInterval: number;
      }>();
      expect(s.code).toMatch(CODE);
      expect(s.pollSecret).toMatch(/^[A-Za-z0-9_-]{43,}$/);
      expect(Buffer.from(s.pollSecret, 'base64url').length).toBeGreaterThanOrEqual(32);
      expect(s.approveUrl).toBe(`${t.config.publicUrl}/devices/pair?code=${s.code}`);
      expect(s.expiresAt).toBe(new Date(T0 + 10 * MINUTE).toISOString());
      expect(s.pollInterval).toBe(2);

      const waiting = await claim(t, { pairingId: s.pairingId, pollSecret: s.pollSecret });
      expect(waiting.statusCode).toBe(202);
      expect(waiting.json()).toEqual({ status: 'pending' });

      // Typed in lower case without the dash.
      const approved = await approve(t, me.cookie, ` ${s.code.replace('-', '').toLowerCase()} `);
      expect(approved.statusCode, approved.body).toBe(200);
      const device = approved.json<{ device: { id: string; name: string; platform: string } }>().device;
      expect(device).toEqual({ id: expect.any(String), name: 'Ada’s laptop', platform: 'linux' });

      const got = await claim(t, { pairingId: s.pairingId, pollSecret: s.pollSecret });
      expect(got.statusCode, got.body).toBe(200);
      const { token, deviceId, status } = got.json<{ token: string; deviceId: string; status: string }>();
      expect(status).toBe('approved');
      expect(deviceId).toBe(device.id);
      expect(token).toMatch(/^sdl_/);

      const again = await claim(t, { pairingId: s.pairingId, pollSecret: s.pollSecret });
      expect(again.statusCode).toBe(410);
      expect(errorCode(again)).toBe('pairing.claimed');

      // What the token may do: ingest, read its privacy settings and alert firings; nothing else.
      const bearer = withBearer(token);
      const events = await t.app.inject({
        method: 'POST',
        url: '/api/v1/events',
        payload: { events: [windowEvent(T0 - 10 * MINUTE, MINUTE, 'Editor')] },
        ...bearer,
      });
      expect(events.statusCode, events.body).toBe(200);
      for (const url of ['/api/v1/settings/privacy', '/api/v1/alerts/status?since=2025-01-01T00:00:00Z']) {
        expect((await t.app.inject({ method: 'GET', url, ...bearer })).statusCode, url).toBe(200);
      }
      for (const url of ['/api/v1/events', '/api/v1/devices', '/api/v1/alerts', '/api/v1/me']) {
        expect((await t.app.inject({ method: 'GET', url, ...bearer })).statusCode, url).toBe(403);
      }
      const approveByToken = await t.app.inject({
        method: 'POST',
        url: '/api/v1/devices/approve',
        payload: { code: s.code },
        ...bearer,
      });
      expect(approveByToken.statusCode).toBe(403);

      // The device is listed, as a token named after it with scope ingest.
      const list = await listDevices(t, withCookie(me.cookie));
      expect(list.json<{ devices: unknown[] }>().devices).toContainEqual({
        id: device.id,
        name: 'Ada’s laptop',
        platform: 'linux',
        createdAt: new Date(T0).toISOString(),
        lastSeenAt: new Date(T0).toISOString(),
        revokedAt: null,
        status: null,
      });
      const tokens = await t.app.inject({ method: 'GET', url: '/api/v1/tokens', ...withCookie(me.cookie) });
      expect(tokens.json<{ tokens: Array<{ id: string; name: string; scopes: string[] }> }>().tokens).toEqual([
        expect.objectContaining({ id: device.id, name: 'Ada’s laptop', scopes: ['ingest'] }),
      ]);

      // Audited without the code, the token or the name.
      const audits = await raw(t, (db) =>
        db.selectFrom('audit_log').selectAll().where('action', '=', 'device.pair').execute(),
      );
      expect(audits).toHaveLength(1);
      expect(JSON.parse(audits[0]?.details ?? '{}')).toEqual({
        deviceId: device.id,
        platform: 'linux',
        scopes: ['ingest'],
      });
      for (const secret of [s.code, s.code.replace('-', ''), token, s.pollSecret, 'Ada’s laptop']) {
        expect(rowsContain(audits, secret), secret).toBe(false);
      }
      // Nothing secret or personal is in the database in the clear: no code, poll secret, token or name.
      for (const secret of [s.code.replace('-', ''), s.pollSecret, token.slice(4), 'Ada’s laptop']) {
        expect(await findInDatabase(t, secret), secret).toEqual([]);
      }
    });

    it('still hands out the token of an approval made in the last seconds of a pairing', async () => {
      const s = await started(c.t);
      c.clock.advance(10 * MINUTE - 1_000);
      expect((await approve(c.t, me.cookie, s.code)).statusCode).toBe(200);
      c.clock.advance(30_000);
      const got = await claim(c.t, { pairingId: s.pairingId, pollSecret: s.pollSecret });
      expect(got.statusCode, got.body).toBe(200);
    });
  });

  describe('single use and expiry', () => {
    it('approves a code once: a second approval, by anyone, is 404', async () => {
      const s = await started(c.t);
      expect((await approve(c.t, me.cookie, s.code)).statusCode).toBe(200);
      const again = await approve(c.t, me.cookie, s.code);
      expect(again.statusCode).toBe(404);
      const other = await newDevicePerson(c.t, 'other');
      expect((await approve(c.t, other.cookie, s.code, '198.51.100.9')).statusCode).toBe(404);
      const list = await listDevices(c.t, withCookie(other.cookie));
      expect(list.json<{ devices: unknown[] }>().devices).toEqual([]);
    });

    it('expires after 10 minutes: approval is 404, the claim 410 pairing.expired', async () => {
      const s = await started(c.t);
      c.clock.advance(10 * MINUTE);
      const late = await approve(c.t, me.cookie, s.code);
      expect(late.statusCode).toBe(404);
      expect(errorCode(late)).toBe('not_found');
      const res = await claim(c.t, { pairingId: s.pairingId, pollSecret: s.pollSecret });
      expect(res.statusCode).toBe(410);
      expect(errorCode(res)).toBe('pairing.expired');
      expect((await listDevices(c.t, withCookie(me.cookie))).json<{ devices: unknown[] }>().devices).toEqual([]);
    });

    it('expires an approved pairing whose token nobody collected in time', async () => {
      const s = await started(c.t);
      expect((await approve(c.t, me.cookie, s.code)).statusCode).toBe(200);
      c.clock.advance(11 * MINUTE);
      const res = await claim(c.t, { pairingId: s.pairingId, pollSecret: s.pollSecret });
      expect(res.statusCode).toBe(410);
      expect(errorCode(res)).toBe('pairing.expired');
    });
  });

  describe('refusals', () => {
    it('answers 404, the same way, for an unknown pairing and for a wrong secret', async () => {
      const s = await started(c.t);
      const wrong = await claim(c.t, { pairingId: s.pairingId, pollSecret: randomBytes(32).toString('base64url') });
      const unknown = await claim(c.t, { pairingId: '0190a0a0-0000-7000-8000-000000000000', pollSecret: s.pollSecret });
      for (const res of [wrong, unknown]) {
        expect(res.statusCode).toBe(404);
        expect(errorCode(res)).toBe('not_found');
      }
      expect(wrong.json<{ error: unknown }>().error).toEqual(unknown.json<{ error: unknown }>().error);
      // The right secret still works afterwards.
      expect((await claim(c.t, { pairingId: s.pairingId, pollSecret: s.pollSecret })).statusCode).toBe(202);
    });

    it.each<[string, unknown]>([
      ['an empty name', { name: '', platform: 'linux' }],
      ['a name of 101 characters', { name: 'x'.repeat(101), platform: 'linux' }],
      ['an unknown platform', { name: 'Laptop', platform: 'beos' }],
      ['a missing platform', { name: 'Laptop' }],
      ['an extra field', { name: 'Laptop', platform: 'linux', scopes: ['admin'] }],
      ['a name that is not a string', { name: 42, platform: 'linux' }],
    ])('refuses to start with %s (400)', async (_label, body) => {
      const res = await startPairing(c.t, body);
      expect(res.statusCode, res.body).toBe(400);
      expect(errorCode(res)).toBe('input.invalid');
    });

    it.each<[string, unknown]>([
      ['no secret', { pairingId: 'x' }],
      ['an empty secret', { pairingId: 'x', pollSecret: '' }],
      ['an extra field', { pairingId: 'x', pollSecret: 'y', code: 'ABCD2345' }],
    ])('refuses a claim with %s (400)', async (_label, body) => {
      const res = await claim(c.t, body);
      expect(res.statusCode).toBe(400);
      expect(errorCode(res)).toBe('input.invalid');
    });

    it.each<[string, unknown]>([
      ['too short', 'ABC-234'],
      ['with a 0 (not in the alphabet)', 'ABCD-2340'],
      ['with an I', 'ABCI-2345'],
      ['empty', ''],
      ['not a string', 12345678],
    ])('refuses a code that is %s with 400 that says what a code looks like', async (_label, code) => {
      const res = await approve(c.t, me.cookie, code);
      expect(res.statusCode).toBe(400);
      expect(errorCode(res)).toBe('input.invalid');
    });

    it('needs a session to approve', async () => {
      const s = await started(c.t);
      const anonymous = await c.t.app.inject({
        method: 'POST',
        url: '/api/v1/devices/approve',
        payload: { code: s.code },
      });
      expect(anonymous.statusCode).toBe(401);
      const created = await createToken(c.t, me.cookie, { name: 'script', scopes: ['ingest', 'read'] });
      const byToken = await c.t.app.inject({
        method: 'POST',
        url: '/api/v1/devices/approve',
        payload: { code: s.code },
        ...withBearer(created.token),
      });
      expect(byToken.statusCode).toBe(403);
      expect((await claim(c.t, { pairingId: s.pairingId, pollSecret: s.pollSecret })).statusCode).toBe(202);
    });
  });

  describe('throttling', () => {
    it('allows 10 pairings a minute per address, then 429 with Retry-After; other addresses are not affected', async () => {
      for (let i = 0; i < 10; i++) {
        expect((await startPairing(c.t, { name: `d${i}`, platform: 'other' }, '198.51.100.50')).statusCode).toBe(201);
      }
      const refused = await startPairing(c.t, { name: 'd10', platform: 'other' }, '198.51.100.50');
      expect(refused.statusCode).toBe(429);
      expect(errorCode(refused)).toBe('rate_limited');
      expect(Number(refused.headers['retry-after'])).toBeGreaterThan(0);
      expect((await startPairing(c.t, { name: 'other', platform: 'other' }, '198.51.100.51')).statusCode).toBe(201);
      // A minute later the address may start again.
      c.clock.advance(61_000);
      expect((await startPairing(c.t, { name: 'later', platform: 'other' }, '198.51.100.50')).statusCode).toBe(201);
    });

    it('slows down wrong codes per person: after 5 free failures, 429 — even for the right code', async () => {
      const s = await started(c.t);
      const ips = [
        '198.51.100.60',
        '198.51.100.61',
        '198.51.100.62',
        '198.51.100.63',
        '198.51.100.64',
        '198.51.100.65',
      ];
      for (const ip of ips) {
        expect((await approve(c.t, me.cookie, 'ZZZZ-ZZZZ', ip)).statusCode).toBe(404);
      }
      const blocked = await approve(c.t, me.cookie, s.code, '198.51.100.66');
      expect(blocked.statusCode).toBe(429);
      expect(blocked.headers['retry-after']).toBeDefined();
      // Another person may still approve (the pairing is still pending).
      const other = await newDevicePerson(c.t, 'other');
      expect((await approve(c.t, other.cookie, s.code, '198.51.100.67')).statusCode).toBe(200);
    });

    it('slows down wrong codes per address, whoever is signed in', async () => {
      const people = [me];
      for (let i = 0; i < 7; i++) people.push(await newDevicePerson(c.t, `p${i}`));
      let failures = 0;
      for (const someone of people) {
        for (let i = 0; i < 3; i++) {
          const res = await approve(c.t, someone.cookie, 'ZZZZ-ZZZZ', '198.51.100.70');
          if (res.statusCode === 429) break;
          expect(res.statusCode).toBe(404);
          failures++;
        }
      }
      expect(failures).toBe(21);
      const s = await started(c.t);
      const fresh = await newDevicePerson(c.t, 'fresh');
      expect((await approve(c.t, fresh.cookie, s.code, '198.51.100.70')).statusCode).toBe(429);
    });

    it('lets an agent poll every 2 seconds for the whole 10 minutes', async () => {
      const s = await started(c.t);
      for (let i = 0; i < 299; i++) {
        const res = await claim(c.t, { pairingId: s.pairingId, pollSecret: s.pollSecret });
        expect(res.statusCode, `poll ${i}`).toBe(202);
        c.clock.advance(2_000);
      }
      expect((await approve(c.t, me.cookie, s.code)).statusCode).toBe(200);
      expect((await claim(c.t, { pairingId: s.pairingId, pollSecret: s.pollSecret })).statusCode).toBe(200);
    });

    it('slows down wrong secrets per address, but never a waiting agent', async () => {
      const s = await started(c.t);
      for (let i = 0; i < 30; i++) {
        expect(
          (await claim(c.t, { pairingId: s.pairingId, pollSecret: s.pollSecret }, '198.51.100.80')).statusCode,
        ).toBe(202);
      }
      for (let i = 0; i < 11; i++) {
        expect((await claim(c.t, { pairingId: s.pairingId, pollSecret: 'guess' }, '198.51.100.81')).statusCode).toBe(
          404,
        );
      }
      const blocked = await claim(c.t, { pairingId: s.pairingId, pollSecret: s.pollSecret }, '198.51.100.81');
      expect(blocked.statusCode).toBe(429);
      expect((await claim(c.t, { pairingId: s.pairingId, pollSecret: s.pollSecret }, '198.51.100.80')).statusCode).toBe(
        202,
      );
    });
  });
});
