/**
 * Failed log-ins (SECURITY.md, "Passwords and login" and "Abuse and
 * availability"): a growing delay per account and per address, answered as
 * 429 with Retry-After; counters in the database, shared by every server
 * process; a lock after 100 consecutive failures; opaque keys. Blocks are
 * lifted by writing `blocked_until` in the past, not by sleeping.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { createTestApp, type TestApp } from '../helpers.js';
import {
  login,
  newEmail,
  person,
  raw,
  rowsContain,
  secondApp,
  sessionCookie,
  strongPassword,
  type Person,
  type Reply,
} from './support.js';

eachDatabase('log-in throttling', (kind) => {
  let t: TestApp;
  let someone: Person;
  beforeEach(async () => {
    t = await createTestApp({ kind });
    someone = await person(t, 'target');
  });
  afterEach(async () => t.close());

  const code = (res: Reply): unknown => res.json<{ error?: { code?: unknown } }>().error?.code;
  const wrong = (ip?: string) => login(t, someone.email, strongPassword(), { ip });
  const liftBlocks = () => raw(t, (db) => db.updateTable('throttle').set({ blocked_until: 0 }).execute());
  const throttleRows = () => raw(t, (db) => db.selectFrom('throttle').selectAll().execute());

  /** Six failures, each from another address: the five free ones and the one that starts the delay. */
  const failSixTimes = async (): Promise<void> => {
    for (let i = 1; i <= 6; i++) {
      const res = await wrong(`198.51.100.${i}`);
      expect(res.statusCode, `failure ${i}`).toBe(401);
      expect(code(res)).toBe('auth.invalid_credentials');
    }
  };

  it('after the free failures an account answers 429 with an integer Retry-After, whatever the address', async () => {
    await failSixTimes();
    for (const password of [strongPassword(), someone.password]) {
      const res = await login(t, someone.email, password, { ip: '198.51.100.99' });
      expect(res.statusCode).toBe(429);
      expect(code(res)).toBe('rate_limited');
      expect(res.headers['retry-after']).toMatch(/^\d+$/);
      expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      expect(sessionCookie(res)).toBeNull();
    }
  });

  it('counts failures in the database: two server processes on it add up and share the block', async () => {
    const other = await secondApp(t);
    try {
      const wrongOn = (app: TestApp['app'], i: number) =>
        app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: someone.email, password: strongPassword() },
          remoteAddress: `198.51.100.${i}`,
        });
      for (let i = 1; i <= 6; i++) {
        expect((await wrongOn(i % 2 === 0 ? t.app : other.app, i)).statusCode, `failure ${i}`).toBe(401);
      }
      for (const app of [t.app, other.app]) {
        const res = await app.inject({
          method: 'POST',
          url: '/api/v1/auth/login',
          payload: { email: someone.email, password: someone.password },
        });
        expect(res.statusCode).toBe(429);
        expect(Number(res.headers['retry-after'])).toBeGreaterThanOrEqual(1);
      }
    } finally {
      await other.app.close();
    }
  });

  it('a correct log-in once the block has passed clears the account counter', async () => {
    await failSixTimes();
    const before = await throttleRows();
    await liftBlocks();
    expect((await login(t, someone.email, someone.password)).statusCode).toBe(200);
    // The account's row is gone; the addresses' rows stay.
    expect((await throttleRows()).length).toBe(before.length - 1);
    // Counting starts again: six failures pass as 401 before the next block.
    await failSixTimes();
    expect((await wrong()).statusCode).toBe(429);
  });

  it('after 100 consecutive failures the account is locked: even the right password fails', async () => {
    expect((await wrong()).statusCode).toBe(401);
    await raw(t, (db) => db.updateTable('throttle').set({ failures: 99, blocked_until: 0 }).execute());
    expect((await wrong()).statusCode).toBe(401);
    const flag = await raw(t, (db) =>
      db.selectFrom('users').select('needs_reset').where('id', '=', someone.id).executeTakeFirstOrThrow(),
    );
    expect(Number(flag.needs_reset)).toBe(1);
    await liftBlocks();
    const res = await login(t, someone.email, someone.password, { ip: '192.0.2.10' });
    expect(res.statusCode).toBe(401);
    expect(code(res)).toBe('auth.invalid_credentials');
    expect(sessionCookie(res)).toBeNull();
  });

  it('a locked account answers a wrong password exactly as the right one', async () => {
    expect((await wrong()).statusCode).toBe(401);
    await raw(t, (db) => db.updateTable('throttle').set({ failures: 99, blocked_until: 0 }).execute());
    expect((await wrong()).statusCode).toBe(401);
    await liftBlocks();
    const right = await login(t, someone.email, someone.password, { ip: '192.0.2.11' });
    await liftBlocks();
    const guess = await login(t, someone.email, strongPassword(), { ip: '192.0.2.12' });
    expect(right.statusCode).toBe(401);
    expect(guess.statusCode).toBe(right.statusCode);
    expect(code(guess)).toBe(code(right));
  });

  it('throttles an address trying many accounts, and only that address', async () => {
    const ip = '203.0.113.50';
    const statuses: number[] = [];
    // No proxy is trusted, so a forged X-Forwarded-For must not make each guess look like a new address.
    for (let i = 0; i < 22; i++) {
      const res = await t.app.inject({
        method: 'POST',
        url: '/api/v1/auth/login',
        payload: { email: newEmail('guess'), password: strongPassword() },
        remoteAddress: ip,
        headers: { 'x-forwarded-for': `192.0.2.${i + 1}` },
      });
      statuses.push(res.statusCode);
    }
    expect(statuses.slice(0, 21)).toEqual(Array<number>(21).fill(401));
    expect(statuses[21]).toBe(429);
    expect((await login(t, someone.email, someone.password, { ip })).statusCode).toBe(429);
    expect((await login(t, someone.email, someone.password, { ip: '203.0.113.51' })).statusCode).toBe(200);
  });

  it('keeps no email, address or account id in the throttle table', async () => {
    const ips = ['203.0.113.77', '2001:db8::77'];
    for (const ip of ips) {
      await wrong(ip);
      await login(t, newEmail('stranger'), strongPassword(), { ip });
    }
    const rows = await throttleRows();
    expect(rows.length).toBe(4); // one account, two addresses for log-in, one for sign-up
    for (const needle of [someone.email, someone.email.split('@')[0] ?? '', someone.id, ...ips, '2001:db8:']) {
      expect(rowsContain(rows, needle), needle).toBe(false);
    }
    for (const row of rows) expect(row.key).toMatch(/^[A-Za-z0-9_-]{43}$/);
  });
});
