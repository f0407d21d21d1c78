/**
 * /api/v1/alerts: creating, reading, changing and deleting alerts; input
 * checks answered as 400 with a message; who may do what; the per-person
 * limit; audit entries without names; names and targets encrypted at rest;
 * alerts deleted with the account.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { raw, withBearer, withCookie } from '../accounts/support.js';
import { findInDatabase, newPerson, newToken, setup, T0, type Ctx } from '../activity/support.js';
import { alertBody, createAlert, EVERY_DAY, expectInvalid, firings, read, write, type AlertView } from './support.js';

eachDatabase('alerts: changes and access', (kind) => {
  let c: Ctx;
  beforeEach(async () => {
    c = await setup(kind);
  });
  afterEach(async () => c.t.close());

  it('creates, lists, reads, changes and deletes an alert', async () => {
    const { t, me, token } = c;
    const created = await createAlert(t, me.cookie, {
      name: '  Video  ',
      target: { kind: 'domain', name: 'WWW.YouTube.com' },
      comparison: 'more-than',
      minutes: 45,
      days: ['sun', 'sat'],
      timeZone: 'Europe/Berlin',
    });
    expect(created).toEqual({
      id: expect.any(String),
      name: 'Video',
      target: { kind: 'domain', name: 'youtube.com' },
      comparison: 'more-than',
      minutes: 45,
      days: ['sat', 'sun'],
      timeZone: 'Europe/Berlin',
      enabled: true,
    });
    const listed = await read(t, token, '/api/v1/alerts');
    expect(listed.statusCode).toBe(200);
    expect(listed.json()).toEqual({ alerts: [created] });
    expect((await read(t, token, `/api/v1/alerts/${created.id}`)).json()).toEqual(created);

    const changed = await write(
      t,
      me.cookie,
      'PUT',
      `/api/v1/alerts/${created.id}`,
      alertBody({ target: { kind: 'level', op: '<=', level: -1 }, enabled: false }),
    );
    expect(changed.statusCode, changed.body).toBe(200);
    expect(changed.json<AlertView>()).toMatchObject({
      id: created.id,
      target: { kind: 'level', op: '<=', level: -1 },
      enabled: false,
      days: EVERY_DAY,
    });
    expect((await read(t, token, `/api/v1/alerts/${created.id}`)).json()).toEqual(changed.json());

    expect((await write(t, me.cookie, 'DELETE', `/api/v1/alerts/${created.id}`)).statusCode).toBe(204);
    expect((await read(t, token, `/api/v1/alerts/${created.id}`)).statusCode).toBe(404);
    expect((await write(t, me.cookie, 'DELETE', `/api/v1/alerts/${created.id}`)).statusCode).toBe(404);
    expect((await write(t, me.cookie, 'PUT', `/api/v1/alerts/${created.id}`, alertBody())).statusCode).toBe(404);
    expect((await read(t, token, '/api/v1/alerts')).json()).toEqual({ alerts: [] });
  });

  it('accepts a category of the default tree and refuses one the person does not have', async () => {
    const { t, me } = c;
    const ok = await createAlert(t, me.cookie, { target: { kind: 'category', categoryId: 'entertainment' } });
    expect(ok.target).toEqual({ kind: 'category', categoryId: 'entertainment' });
    const res = await write(
      t,
      me.cookie,
      'POST',
      '/api/v1/alerts',
      alertBody({ target: { kind: 'category', categoryId: 'no-such-category' } }),
    );
    expectInvalid(res, /target\.categoryId: no category has id "no-such-category"/);
  });

  it.each<[string, Record<string, unknown>, RegExp]>([
    ['an unknown target kind', { target: { kind: 'title', name: 'x' } }, /body\/target\/kind must be equal to one of/],
    ['a target without its field', { target: { kind: 'app' } }, /^target\.name: must be a non-empty string$/],
    ['a field of another kind', { target: { kind: 'app', name: 'x', op: '>=' } }, /^target\.op: does not belong/],
    ['a level out of range', { target: { kind: 'level', op: '>=', level: 3 } }, /^body\/target\/level must be <= 2$/],
    ['an unknown level op', { target: { kind: 'level', op: '==', level: 1 } }, /body\/target\/op/],
    ['an unknown time zone', { timeZone: 'Mars/Olympus_Mons' }, /timeZone: must be an IANA time zone/],
    ['an offset for a zone', { timeZone: '+02:00' }, /timeZone: must be an IANA time zone/],
    ['zero minutes', { minutes: 0 }, /^body\/minutes must be >= 1$/],
    ['more minutes than a day has', { minutes: 1441 }, /^body\/minutes must be <= 1440$/],
    ['fractional minutes', { minutes: 2.5 }, /^body\/minutes must be integer$/],
    ['minutes as text', { minutes: '30' }, /^body\/minutes must be integer$/],
    ['no days', { days: [] }, /^body\/days must NOT have fewer than 1 items$/],
    ['an unknown day', { days: ['mon', 'someday'] }, /^body\/days\/1 must be equal to one of the allowed values$/],
    ['a repeated day', { days: ['mon', 'mon'] }, /days: a weekday is listed twice/],
    ['an unknown comparison', { comparison: 'less-than' }, /comparison/],
    ['a blank name', { name: '   ' }, /name: must be a non-empty string/],
    ['a stray field', { colour: 'red' }, /^body must NOT have additional properties$/],
  ])('refuses %s with a 400 that says why', async (_name, changes, message) => {
    const { t, me } = c;
    const res = await write(t, me.cookie, 'POST', '/api/v1/alerts', alertBody(changes));
    expectInvalid(res, message);
    const alert = await createAlert(t, me.cookie);
    expectInvalid(await write(t, me.cookie, 'PUT', `/api/v1/alerts/${alert.id}`, alertBody(changes)), message);
  });

  it('refuses a bad since on the status route', async () => {
    const res = await read(c.t, c.token, '/api/v1/alerts/status?since=yesterday');
    expectInvalid(res, /since/);
    expectInvalid(await read(c.t, c.token, '/api/v1/alerts/status'), /since/);
  });

  it('reads alerts with a read token or a session, firings with an ingest token (the agent) or a session, changes with a session only', async () => {
    const { t, me, token } = c;
    const alert = await createAlert(t, me.cookie);
    const ingestOnly = (await newToken(t, me, ['ingest'], 'agent')).token;
    const readOnly = (await newToken(t, me, ['read'], 'dashboard')).token;
    const byScope: Array<[string, string, string]> = [
      ['/api/v1/alerts', readOnly, ingestOnly],
      [`/api/v1/alerts/${alert.id}`, readOnly, ingestOnly],
      ['/api/v1/alerts/status?since=2025-01-01T00:00:00Z', ingestOnly, readOnly],
    ];
    for (const [url, allowed, refused] of byScope) {
      expect((await read(t, allowed, url)).statusCode, url).toBe(200);
      expect((await t.app.inject({ method: 'GET', url, ...withCookie(me.cookie) })).statusCode, url).toBe(200);
      expect((await read(t, refused, url)).statusCode, url).toBe(403);
      expect((await t.app.inject({ method: 'GET', url })).statusCode, url).toBe(401);
    }
    expect((await read(t, readOnly, '/api/v1/alerts/stream')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/alerts/stream' })).statusCode).toBe(401);

    const bearer = (method: 'POST' | 'PUT' | 'DELETE', url: string, payload?: object) =>
      t.app.inject({ method, url, ...(payload ? { payload } : {}), ...withBearer(token) });
    expect((await bearer('POST', '/api/v1/alerts', alertBody())).statusCode).toBe(403);
    expect((await bearer('PUT', `/api/v1/alerts/${alert.id}`, alertBody())).statusCode).toBe(403);
    expect((await bearer('DELETE', `/api/v1/alerts/${alert.id}`)).statusCode).toBe(403);
    expect((await read(t, token, '/api/v1/alerts')).json<{ alerts: unknown[] }>().alerts).toHaveLength(1);
  });

  it("keeps each person's alerts their own", async () => {
    const { t, me, token } = c;
    const mine = await createAlert(t, me.cookie, { name: 'Mine' });
    const other = await newPerson(t, 'other');
    const otherToken = (await newToken(t, other, ['read'])).token;
    expect((await read(t, otherToken, '/api/v1/alerts')).json()).toEqual({ alerts: [] });
    expect((await read(t, otherToken, `/api/v1/alerts/${mine.id}`)).statusCode).toBe(404);
    expect((await write(t, other.cookie, 'PUT', `/api/v1/alerts/${mine.id}`, alertBody())).statusCode).toBe(404);
    expect((await write(t, other.cookie, 'DELETE', `/api/v1/alerts/${mine.id}`)).statusCode).toBe(404);
    expect((await read(t, token, `/api/v1/alerts/${mine.id}`)).json()).toEqual(mine);
  });

  it('allows 100 alerts per person and refuses the 101st', async () => {
    const { t, me } = c;
    await raw(t, async (db) => {
      // Rows made directly: 99 alerts through the API would only test the API 99 times.
      const made = await createAlert(t, me.cookie);
      const row = await db.selectFrom('alerts').selectAll().where('id', '=', made.id).executeTakeFirstOrThrow();
      await db
        .insertInto('alerts')
        .values(Array.from({ length: 98 }, (_, i) => ({ ...row, id: `${made.id}-${i}` })))
        .execute();
    });
    await createAlert(t, me.cookie, { name: 'The hundredth' });
    const refused = await write(t, me.cookie, 'POST', '/api/v1/alerts', alertBody({ name: 'One too many' }));
    expect(refused.statusCode, refused.body).toBe(409);
    expect(refused.json<{ error: { message: string } }>().error.message).toMatch(/At most 100 alerts/);
  });

  it('audits each change by operation only, and stores names and targets encrypted', async () => {
    const { t, me } = c;
    const alert = await createAlert(t, me.cookie, {
      name: 'Zephyrhour',
      target: { kind: 'app', name: 'zephyr-client-app' },
      timeZone: 'Pacific/Chatham',
    });
    await write(t, me.cookie, 'PUT', `/api/v1/alerts/${alert.id}`, alertBody({ name: 'Zephyrhour again' }));
    await write(t, me.cookie, 'DELETE', `/api/v1/alerts/${alert.id}`);
    await createAlert(t, me.cookie, {
      name: 'Zephyrhour',
      target: { kind: 'app', name: 'zephyr-client-app' },
      timeZone: 'Pacific/Chatham',
    });
    const entries = await raw(t, (db) =>
      db
        .selectFrom('audit_log')
        .select(['details', 'actor_id'])
        .where('action', '=', 'alerts.change')
        .where('subject_id', '=', me.id)
        .orderBy('seq')
        .execute(),
    );
    expect(entries.map((e) => JSON.parse(e.details) as unknown)).toEqual([
      { operation: 'create' },
      { operation: 'update' },
      { operation: 'delete' },
      { operation: 'create' },
    ]);
    for (const needle of ['Zephyrhour', 'zephyr-client-app', 'Pacific/Chatham']) {
      expect(await findInDatabase(t, needle), needle).toEqual([]);
      expect(t.logText().includes(needle), needle).toBe(false);
    }
  });

  it('deletes alerts and their firings with the account', async () => {
    const { t, me, token } = c;
    const alert = await createAlert(t, me.cookie);
    await raw(t, (db) =>
      db
        .insertInto('alert_firings')
        .values({ user_id: me.id, alert_id: alert.id, day: '2025-06-01', fired_at: T0, observed_ms: 1 })
        .execute(),
    );
    expect(await firings(t, token)).toHaveLength(1);
    const res = await t.app.inject({
      method: 'DELETE',
      url: '/api/v1/me',
      payload: { password: me.password },
      ...withCookie(me.cookie),
    });
    expect(res.statusCode, res.body).toBe(204);
    for (const table of ['alerts', 'alert_firings', 'alert_state'] as const) {
      const left = await raw(t, (db) => db.selectFrom(table).select('user_id').where('user_id', '=', me.id).execute());
      expect(left, table).toEqual([]);
    }
  });
});
