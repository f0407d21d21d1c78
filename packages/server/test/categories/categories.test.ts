/**
 * /api/v1/categories: the default tree for a new person, changes with their
 * validation, the copy of the defaults on the first change (same ids),
 * deleting (children refused, rules left uncategorised), encryption at rest
 * and isolation between people.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_CATEGORIES, DEFAULT_RULES } from '@sundial/core';
import { eachDatabase } from '../../../../test/support/databases.js';
import { raw } from '../accounts/support.js';
import { errorOf, findInDatabase, newPerson, newToken, setup, type Ctx } from '../activity/support.js';
import { createCategory, createRule, expectInvalid, listCategories, read, testRules, write } from './support.js';

eachDatabase('categories', (kind) => {
  let c: Ctx;
  beforeEach(async () => {
    c = await setup(kind);
  });
  afterEach(async () => c.t.close());

  it('audits each change by kind and operation, never with its names or patterns', async () => {
    const { t, me } = c;
    const category = await createCategory(t, me.cookie, { name: 'Secret project Zephyr' });
    const rule = await createRule(t, me.cookie, {
      field: 'app',
      match: 'exact',
      pattern: 'zephyr-client',
      categoryId: category.id,
    });
    expect((await write(t, me.cookie, 'DELETE', `/api/v1/rules/${rule.id}`)).statusCode).toBe(204);
    const refused = await write(t, me.cookie, 'DELETE', '/api/v1/rules/no-such-rule');
    expect(refused.statusCode).toBe(404);
    const entries = await raw(t, (db) =>
      db
        .selectFrom('audit_log')
        .select(['details', 'actor_id'])
        .where('action', '=', 'categories.change')
        .where('subject_id', '=', me.id)
        .orderBy('seq')
        .execute(),
    );
    expect(entries.map((e) => JSON.parse(e.details) as unknown)).toEqual([
      { target: 'category', operation: 'create' },
      { target: 'rule', operation: 'create' },
      { target: 'rule', operation: 'delete' },
    ]);
    expect(entries.every((e) => e.actor_id === me.id)).toBe(true);
    expect(JSON.stringify(entries)).not.toMatch(/Zephyr|zephyr/);
  });

  it('lists the default tree for a new person, with paths', async () => {
    const { categories, customised } = await listCategories(c.t, c.token);
    expect(customised).toBe(false);
    expect(categories.map(({ id, parentId, name, level, color }) => ({ id, parentId, name, level, color }))).toEqual(
      DEFAULT_CATEGORIES,
    );
    expect(categories.find((x) => x.id === 'terminals')?.path).toEqual(['Software Development', 'Terminals']);
    const one = await read(c.t, c.token, '/api/v1/categories/video');
    expect(one.statusCode).toBe(200);
    expect(one.json()).toMatchObject({ id: 'video', path: ['Entertainment', 'Video'], level: -2 });
    expect((await read(c.t, c.token, '/api/v1/categories/nope')).statusCode).toBe(404);
  });

  it('creates, updates and deletes; the first change stores the defaults with their ids', async () => {
    const { t, me, token } = c;
    const created = await createCategory(t, me.cookie, {
      parentId: 'software-development',
      name: 'Code review',
      level: 2,
    });
    expect(created).toMatchObject({ parentId: 'software-development', path: ['Software Development', 'Code review'] });
    const after = await listCategories(t, token);
    expect(after.customised).toBe(true);
    expect(after.categories.map((x) => x.id)).toEqual([...DEFAULT_CATEGORIES.map((x) => x.id), created.id]);
    for (const d of DEFAULT_CATEGORIES) {
      expect(after.categories.find((x) => x.id === d.id)).toMatchObject({
        name: d.name,
        level: d.level,
        color: d.color,
      });
    }
    const rows = await raw(t, (db) => db.selectFrom('categories').select('id').where('user_id', '=', me.id).execute());
    expect(rows).toHaveLength(DEFAULT_CATEGORIES.length + 1);

    const moved = await write(t, me.cookie, 'PUT', `/api/v1/categories/${created.id}`, {
      parentId: null,
      name: 'Reviews',
      level: 1,
      color: '#ABCDEF',
    });
    expect(moved.statusCode, moved.body).toBe(200);
    expect(moved.json()).toMatchObject({
      id: created.id,
      parentId: null,
      name: 'Reviews',
      path: ['Reviews'],
      level: 1,
    });

    const renamedDefault = await write(t, me.cookie, 'PUT', '/api/v1/categories/games', {
      parentId: 'entertainment',
      name: 'Gaming',
      level: -1,
      color: '#be123c',
    });
    expect(renamedDefault.statusCode, renamedDefault.body).toBe(200);
    expect((await testRules(t, token, { app: 'steam' })).category).toMatchObject({
      id: 'games',
      path: ['Entertainment', 'Gaming'],
      level: -1,
    });

    expect((await write(t, me.cookie, 'DELETE', `/api/v1/categories/${created.id}`)).statusCode).toBe(204);
    expect((await read(t, token, `/api/v1/categories/${created.id}`)).statusCode).toBe(404);
    expect((await write(t, me.cookie, 'DELETE', `/api/v1/categories/${created.id}`)).statusCode).toBe(404);
  });

  it('materialises the defaults on a first delete too, and skips default rules of a deleted category', async () => {
    const { t, me, token } = c;
    expect((await testRules(t, token, { app: 'steam' })).category?.id).toBe('games');
    const res = await write(t, me.cookie, 'DELETE', '/api/v1/categories/games');
    expect(res.statusCode, res.body).toBe(204);
    const { categories, customised } = await listCategories(t, token);
    expect(customised).toBe(true);
    expect(categories.map((x) => x.id)).toEqual(DEFAULT_CATEGORIES.filter((x) => x.id !== 'games').map((x) => x.id));
    expect(await testRules(t, token, { app: 'steam' })).toEqual({
      category: null,
      level: 0,
      ruleId: null,
      source: null,
    });
    const rules = (await read(t, token, '/api/v1/rules?include=defaults')).json<{ rules: { categoryId: string }[] }>();
    expect(rules.rules.some((r) => r.categoryId === 'games')).toBe(false);
    expect(rules.rules.length).toBe(DEFAULT_RULES.filter((r) => r.categoryId !== 'games').length);
  });

  it('refuses to delete a category with children (409) and uncategorises my rules of a deleted one', async () => {
    const { t, me, token } = c;
    const res = await write(t, me.cookie, 'DELETE', '/api/v1/categories/entertainment');
    expect(res.statusCode).toBe(409);
    expect(errorOf(res).code).toBe('conflict');
    const parent = await createCategory(t, me.cookie, { name: 'Clients' });
    const rule = await createRule(t, me.cookie, {
      field: 'app',
      match: 'exact',
      pattern: 'Tracker',
      categoryId: parent.id,
    });
    const deleted = await write(t, me.cookie, 'DELETE', `/api/v1/categories/${parent.id}`);
    expect(deleted.statusCode, deleted.body).toBe(204);
    const stored = await read(t, token, `/api/v1/rules/${rule.id}`);
    expect(stored.json()).toMatchObject({ id: rule.id, categoryId: null });
    expect(await testRules(t, token, { app: 'Tracker' })).toEqual({
      category: null,
      level: 0,
      ruleId: rule.id,
      source: 'person',
    });
  });

  describe('validation', () => {
    const base = { parentId: null, name: 'Mine', level: 1, color: '#112233' };
    const cases: [string, Record<string, unknown>, string][] = [
      ['a bad colour', { ...base, color: 'red' }, 'color'],
      ['a colour without #', { ...base, color: '1122334' }, 'color'],
      ['an unknown parent', { ...base, parentId: 'nowhere' }, 'parentId'],
      ['a level above 2', { ...base, level: 3 }, 'level'],
      ['a level below −2', { ...base, level: -3 }, 'level'],
      ['an empty name', { ...base, name: '' }, 'name'],
      ['a blank name', { ...base, name: '   ' }, 'name'],
      ['a sibling with the same name', { ...base, name: 'software development' }, 'name'],
    ];
    for (const [what, body, field] of cases) {
      it(`refuses ${what}, naming ${field}, and stores nothing`, async () => {
        const res = await write(c.t, c.me.cookie, 'POST', '/api/v1/categories', body);
        expectInvalid(res, field);
        expect((await listCategories(c.t, c.token)).customised).toBe(false);
      });
    }

    it('refuses a cycle', async () => {
      const { t, me } = c;
      const res = await write(t, me.cookie, 'PUT', '/api/v1/categories/software-development', {
        parentId: 'terminals',
        name: 'Software Development',
        level: 2,
        color: '#1f6feb',
      });
      expectInvalid(res, 'parentId');
      expect(errorOf(res).message).toMatch(/cycle/);
      const self = await write(t, me.cookie, 'PUT', '/api/v1/categories/news', {
        parentId: 'news',
        name: 'News',
        level: 0,
        color: '#f97316',
      });
      expectInvalid(self, 'parentId');
      expect((await write(t, me.cookie, 'PUT', '/api/v1/categories/missing', base)).statusCode).toBe(404);
    });
  });

  it('needs a session to change and the read scope to read', async () => {
    const { t, me, token } = c;
    const byToken = await read(t, token, '/api/v1/categories', 'POST', {
      parentId: null,
      name: 'X',
      level: 0,
      color: '#000000',
    });
    expect(byToken.statusCode).toBe(403);
    const ingestOnly = await newToken(t, me, ['ingest'], 'agent');
    expect((await read(t, ingestOnly.token, '/api/v1/categories')).statusCode).toBe(403);
    expect((await t.app.inject({ method: 'GET', url: '/api/v1/categories' })).statusCode).toBe(401);
  });

  it('stores names and patterns encrypted', async () => {
    const { t, me } = c;
    const name = 'ConfidentialClientCategory';
    const pattern = 'SecretClinicTracker';
    const category = await createCategory(t, me.cookie, { name });
    await createRule(t, me.cookie, { field: 'app', match: 'exact', pattern, categoryId: category.id });
    await createRule(t, me.cookie, { field: 'title', match: 'regex', pattern: `^${pattern}Regex`, level: 2 });
    expect(await findInDatabase(t, name)).toEqual([]);
    expect(await findInDatabase(t, pattern)).toEqual([]);
    // The copied defaults are encrypted too.
    expect(await findInDatabase(t, 'Social Networking')).toEqual([]);
  });

  it('keeps people apart: another person neither sees nor changes mine', async () => {
    const { t, me, token } = c;
    const mine = await createCategory(t, me.cookie, { name: 'Private project' });
    const rule = await createRule(t, me.cookie, { field: 'app', match: 'exact', pattern: 'Mine', categoryId: mine.id });
    const other = await newPerson(t, 'other');
    const otherToken = await newToken(t, other);
    expect((await listCategories(t, otherToken.token)).categories.some((x) => x.id === mine.id)).toBe(false);
    expect((await read(t, otherToken.token, `/api/v1/categories/${mine.id}`)).statusCode).toBe(404);
    expect(
      (
        await write(t, other.cookie, 'PUT', `/api/v1/categories/${mine.id}`, {
          parentId: null,
          name: 'Taken',
          level: 0,
          color: '#000000',
        })
      ).statusCode,
    ).toBe(404);
    expect((await write(t, other.cookie, 'DELETE', `/api/v1/categories/${mine.id}`)).statusCode).toBe(404);
    expect((await read(t, otherToken.token, `/api/v1/rules/${rule.id}`)).statusCode).toBe(404);
    expect(
      (
        await write(t, other.cookie, 'PUT', `/api/v1/rules/${rule.id}`, {
          field: 'app',
          match: 'exact',
          pattern: 'x',
          categoryId: null,
        })
      ).statusCode,
    ).toBe(404);
    expect((await write(t, other.cookie, 'DELETE', `/api/v1/rules/${rule.id}`)).statusCode).toBe(404);
    expect((await read(t, otherToken.token, '/api/v1/rules')).json()).toEqual({ rules: [] });
    expect((await testRules(t, otherToken.token, { app: 'Mine' })).ruleId).toBeNull();
    // Mine are untouched.
    expect((await read(t, token, `/api/v1/categories/${mine.id}`)).json()).toMatchObject({ name: 'Private project' });
    expect((await testRules(t, token, { app: 'Mine' })).ruleId).toBe(rule.id);
  });

  it('goes with the person when they delete their account', async () => {
    const { t, me } = c;
    const mine = await createCategory(t, me.cookie, { name: 'Leaving soon' });
    await createRule(t, me.cookie, { field: 'app', match: 'exact', pattern: 'Gone', categoryId: mine.id });
    const res = await write(t, me.cookie, 'DELETE', '/api/v1/me', { password: me.password });
    expect(res.statusCode, res.body).toBe(204);
    for (const table of ['categories', 'category_rules', 'category_state'] as const) {
      const rows = await raw(t, (db) => db.selectFrom(table).select('user_id').where('user_id', '=', me.id).execute());
      expect(rows, table).toEqual([]);
    }
  });
});
