/**
 * Category and productivity-level alerts. The arithmetic (a category's
 * subtree, levels on one side of a bound, cells outside today) is checked
 * with rollup cells written into the store and handed to `observe` as the
 * writer would; one test per dimension goes end to end through ingest and
 * the default categorisation rules.
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { categoryKey, rollupSlot, type RollupCell } from '@sundial/core';
import { eachDatabase } from '../../../../test/support/databases.js';
import { DAY, HOUR, ingest, MINUTE, setup, SLOT, T0, windowEvent, type Ctx } from '../activity/support.js';
import { createAlert, firings, observeCells, write } from './support.js';

/** A cell of `ms` in the slot that starts at or before `at`. */
function cell(dimension: 'category' | 'level', key: number, at: number, ms: number): RollupCell {
  return { dimension, slot: rollupSlot(at), key, ms } as RollupCell;
}

eachDatabase('alerts: categories and levels', (kind) => {
  let c: Ctx;
  beforeEach(async () => {
    c = await setup(kind);
  });
  afterEach(async () => c.t.close());

  const fired = async () => (await firings(c.t, c.token)).map((f) => [f.name, f.seconds]);

  it("counts a category's subcategories and nothing else", async () => {
    const { t, me } = c;
    await createAlert(t, me.cookie, {
      name: 'Entertainment',
      target: { kind: 'category', categoryId: 'entertainment' },
      comparison: 'more-than',
      minutes: 30,
    });
    await createAlert(t, me.cookie, {
      name: 'Video',
      target: { kind: 'category', categoryId: 'video' },
      comparison: 'more-than',
      minutes: 20,
    });
    await observeCells(t, me.id, [
      cell('category', categoryKey('video'), T0 - 2 * HOUR, 15 * MINUTE),
      cell('category', categoryKey('games'), T0 - HOUR, 15 * MINUTE),
      cell('category', categoryKey('software-development'), T0 - HOUR, 15 * MINUTE),
      cell('category', 0, T0 - 3 * HOUR, 15 * MINUTE),
    ]);
    expect(await fired()).toEqual([]);
    await observeCells(t, me.id, [cell('category', categoryKey('music'), T0 - 30 * MINUTE, MINUTE)]);
    expect(await fired()).toEqual([['Entertainment', 31 * 60]]);
    // Time yesterday is no part of today's total, and does not start an evaluation.
    await observeCells(t, me.id, [cell('category', categoryKey('video'), T0 - DAY, 15 * MINUTE)]);
    expect(await fired()).toEqual([['Entertainment', 31 * 60]]);
    c.clock.advance(MINUTE);
    await observeCells(t, me.id, [cell('category', categoryKey('video'), T0 - 15 * MINUTE, 5 * MINUTE + 1)]);
    expect(await fired()).toEqual([
      ['Entertainment', 31 * 60],
      ['Video', 20 * 60],
    ]);
  });

  it('counts a subcategory the person added after the alert', async () => {
    const { t, me, token } = c;
    const made = async (url: string, body: Record<string, unknown>) => {
      const res = await write(t, me.cookie, 'POST', url, body);
      expect(res.statusCode, res.body).toBe(201);
      return res.json<{ id: string }>().id;
    };
    const streams = await made('/api/v1/categories', {
      parentId: 'entertainment',
      name: 'Streams',
      level: -2,
      color: '#aa0000',
    });
    await made('/api/v1/rules', { field: 'app', match: 'exact', pattern: 'streamer', categoryId: streams });
    await createAlert(t, me.cookie, { name: 'Streams', target: { kind: 'category', categoryId: streams } });
    await ingest(t, token, [windowEvent(T0 - 2 * HOUR, 20 * MINUTE, 'streamer')]);
    await t.services.alerts.idle();
    expect(await fired()).toEqual([]);

    const clips = await made('/api/v1/categories', { parentId: streams, name: 'Clips', level: -2, color: '#bb0000' });
    await made('/api/v1/rules', { field: 'app', match: 'exact', pattern: 'clipper', categoryId: clips });
    await ingest(t, token, [windowEvent(T0 - HOUR, 10 * MINUTE, 'clipper')]);
    await t.services.alerts.idle();
    expect(await fired()).toEqual([['Streams', 30 * 60]]);
  });

  it('sums the levels on the asked side of the bound, the bound included', async () => {
    const { t, me } = c;
    await createAlert(t, me.cookie, {
      name: 'Productive',
      target: { kind: 'level', op: '>=', level: 1 },
      minutes: 35,
    });
    await createAlert(t, me.cookie, {
      name: 'Distracted',
      target: { kind: 'level', op: '<=', level: -1 },
      comparison: 'more-than',
      minutes: 60,
    });
    await observeCells(t, me.id, [
      cell('level', 2, T0 - 3 * HOUR, 15 * MINUTE),
      cell('level', 1, T0 - 2 * HOUR, 15 * MINUTE),
      cell('level', 0, T0 - 2 * HOUR, 15 * MINUTE),
      cell('level', -1, T0 - HOUR, 15 * MINUTE),
      cell('level', -2, T0 - HOUR - SLOT, 15 * MINUTE),
      cell('level', -2, T0 - HOUR - 2 * SLOT, 15 * MINUTE),
    ]);
    expect(await fired()).toEqual([]);
    await observeCells(t, me.id, [
      cell('level', 1, T0 - 30 * MINUTE, 5 * MINUTE),
      cell('level', -2, T0 - 30 * MINUTE, 15 * MINUTE),
    ]);
    // Distracted has exactly 60 minutes (−1 and −2): more-than is not met yet.
    expect(await fired()).toEqual([['Productive', 35 * 60]]);
    c.clock.advance(MINUTE);
    await observeCells(t, me.id, [cell('level', -1, T0 - 15 * MINUTE, 1)]);
    expect(await fired()).toEqual([
      ['Productive', 35 * 60],
      ['Distracted', 60 * 60],
    ]);
  });

  it('end to end: a category and a level alert fire on ingested window time', async () => {
    const { t, me, token } = c;
    // The default rules file the app "code" under Software Development › Editing & IDEs (level 2).
    await createAlert(t, me.cookie, {
      name: 'Development',
      target: { kind: 'category', categoryId: 'software-development' },
      minutes: 20,
    });
    await createAlert(t, me.cookie, {
      name: 'Very productive',
      target: { kind: 'level', op: '>=', level: 2 },
      minutes: 25,
    });
    await ingest(t, token, [windowEvent(T0 - HOUR, 22 * MINUTE, 'code')]);
    await t.services.alerts.idle();
    expect(await fired()).toEqual([['Development', 22 * 60]]);
    c.clock.advance(MINUTE);
    await ingest(t, token, [windowEvent(T0 - 30 * MINUTE, 3 * MINUTE, 'code')]);
    await t.services.alerts.idle();
    expect(await fired()).toEqual([
      ['Development', 22 * 60],
      ['Very productive', 25 * 60],
    ]);
  });
});
