/**
 * Working hours in the privacy settings: stored and answered through
 * GET/PUT /api/v1/settings/privacy (encrypted, validated, audited as a
 * flag), and enforced at ingest: batches and heartbeats outside them are
 * dropped (counted in `dropped`), events across an edge are cut at it, and
 * the rollups agree with the stored events.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { raw, withBearer } from '../accounts/support.js';
import {
  awayEvent,
  DEFAULT_PRIVACY,
  errorOf,
  expectRollupsConsistent,
  findInDatabase,
  heartbeat,
  ingest,
  iso,
  MINUTE,
  putPrivacy,
  putPrivacyRequest,
  readEvents,
  setup,
  windowEvent,
  type Ctx,
} from './support.js';

const HOUR = 60 * MINUTE;
/** Sunday 1 June 2025, 00:00 UTC (the suites' clock stands at 12:00 that day). */
const DAY = Date.UTC(2025, 5, 1);
/** Every day, 09:00–11:00 in UTC. */
const MORNINGS = { days: [1, 2, 3, 4, 5, 6, 7], start: '09:00', end: '11:00', timeZone: 'UTC' };

eachDatabase('working hours', (kind) => {
  let c: Ctx;
  beforeEach(async () => {
    c = await setup(kind);
  });
  afterEach(async () => c.t.close());

  const getPrivacy = () => c.t.app.inject({ method: 'GET', url: '/api/v1/settings/privacy', ...withBearer(c.token) });

  it('are stored, answered and read back; the zone is not in the database in the clear', async () => {
    const hours = { days: [5, 1, 3], start: '22:00', end: '06:00', timeZone: 'Pacific/Chatham' };
    const put = await putPrivacyRequest(c.t, c.me.cookie, { ...DEFAULT_PRIVACY, workingHours: hours });
    expect(put.statusCode, put.body).toBe(200);
    const stored = { ...DEFAULT_PRIVACY, workingHours: { ...hours, days: [1, 3, 5] } };
    expect(put.json()).toEqual(stored);
    c.t.services.activity.privacy.forget(c.me.id);
    expect((await getPrivacy()).json()).toEqual(stored);
    expect(await findInDatabase(c.t, 'Pacific/Chatham')).toEqual([]);
    const audits = await raw(c.t, (db) =>
      db.selectFrom('audit_log').select('details').where('action', '=', 'privacy.change').execute(),
    );
    expect(JSON.parse(audits.at(-1)?.details ?? '{}')).toMatchObject({ workingHours: true });

    // Null switches them off again.
    await putPrivacy(c.t, c.me.cookie, { workingHours: null });
    expect((await getPrivacy()).json()).toEqual(DEFAULT_PRIVACY);
  });

  it.each<[string, unknown, RegExp]>([
    ['an unknown zone', { ...MORNINGS, timeZone: 'Europe/Atlantis' }, /timeZone/],
    ['an offset for a zone', { ...MORNINGS, timeZone: '+02:00' }, /timeZone/],
    ['weekday 0', { ...MORNINGS, days: [0, 1] }, /days/],
    ['no weekdays', { ...MORNINGS, days: [] }, /days/],
    ['a weekday twice', { ...MORNINGS, days: [1, 1] }, /days/],
    ['24:00', { ...MORNINGS, end: '24:00' }, /end/],
    ['a time without minutes', { ...MORNINGS, start: '9' }, /start/],
    ['an unknown field', { ...MORNINGS, lunch: '12:00' }, /workingHours|additional/],
    ['a missing zone', { days: [1], start: '09:00', end: '17:00' }, /timeZone/],
  ])('refuses %s with 400 and keeps what was stored', async (_label, workingHours, named) => {
    await putPrivacy(c.t, c.me.cookie, { workingHours: MORNINGS });
    const res = await putPrivacyRequest(c.t, c.me.cookie, { ...DEFAULT_PRIVACY, workingHours });
    expect(res.statusCode, res.body).toBe(400);
    expect(errorOf(res).code).toBe('input.invalid');
    expect(errorOf(res).message).toMatch(named);
    expect((await getPrivacy()).json()).toEqual({ ...DEFAULT_PRIVACY, workingHours: MORNINGS });
  });

  it('cut a batch to working hours: parts outside are cut off, events wholly outside dropped', async () => {
    await putPrivacy(c.t, c.me.cookie, { workingHours: MORNINGS });
    const counts = await ingest(c.t, c.token, [
      windowEvent(DAY + 8.5 * HOUR, HOUR, 'Editor', 'starts before 09:00'),
      windowEvent(DAY + 9.5 * HOUR, 30 * MINUTE, 'Editor', 'inside'),
      windowEvent(DAY + 10 * HOUR + 50 * MINUTE, 30 * MINUTE, 'Terminal', 'runs past 11:00'),
      windowEvent(DAY + 11.5 * HOUR, 10 * MINUTE, 'Browser', 'after hours'),
      awayEvent(DAY + 7 * HOUR, 10 * MINUTE),
    ]);
    expect(counts).toEqual({ accepted: 3, replaced: 0, dropped: 2 });
    const events = await readEvents(c.t, c.token);
    expect(events.map((e) => [e.start, e.duration, e.data.title])).toEqual([
      [iso(DAY + 9 * HOUR), 30 * 60, 'starts before 09:00'],
      [iso(DAY + 9.5 * HOUR), 30 * 60, 'inside'],
      [iso(DAY + 10 * HOUR + 50 * MINUTE), 10 * 60, 'runs past 11:00'],
    ]);
    // Nothing of the dropped event reached the names dictionary.
    expect(await findInDatabase(c.t, 'after hours')).toEqual([]);
    await expectRollupsConsistent(c.t, c.me.id);
  });

  it('apply to heartbeats: one outside is not stored, one across the end is cut', async () => {
    await putPrivacy(c.t, c.me.cookie, { workingHours: MORNINGS });
    const outside = await heartbeat(
      c.t,
      c.token,
      { kind: 'window', start: iso(DAY + 11 * HOUR), duration: 5, data: { app: 'Editor', title: 'late' } },
      60,
    );
    expect(outside).toEqual({ event: null, merged: false });
    const across = await heartbeat(
      c.t,
      c.token,
      {
        kind: 'window',
        start: iso(DAY + 11 * HOUR - 10_000),
        duration: 30,
        data: { app: 'Editor', title: 'until eleven' },
      },
      60,
    );
    expect(across.event?.start).toBe(iso(DAY + 11 * HOUR - 10_000));
    expect(across.event?.duration).toBe(10);
    expect((await readEvents(c.t, c.token)).map((e) => e.duration)).toEqual([10]);
    await expectRollupsConsistent(c.t, c.me.id);
  });

  it('record everything again once switched off', async () => {
    await putPrivacy(c.t, c.me.cookie, { workingHours: MORNINGS });
    await putPrivacy(c.t, c.me.cookie, { workingHours: null });
    const counts = await ingest(c.t, c.token, [windowEvent(DAY + 11.5 * HOUR, 10 * MINUTE, 'Browser', 'after hours')]);
    expect(counts).toEqual({ accepted: 1, replaced: 0, dropped: 0 });
  });
});
