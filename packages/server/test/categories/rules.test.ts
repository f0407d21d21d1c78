/**
 * /api/v1/rules: my rules' CRUD and validation, the default rules beside
 * them, precedence as /api/v1/rules/test shows it, and a change made through
 * another server process applying at once.
 */
import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { DEFAULT_RULES } from '@sundial/core';
import { eachDatabase } from '../../../../test/support/databases.js';
import { withCookie } from '../accounts/support.js';
import { otherProcess, setup, type Ctx } from '../activity/support.js';
import { createCategory, createRule, expectInvalid, read, testRules, write, type RuleView } from './support.js';

eachDatabase('category rules', (kind) => {
  let c: Ctx;
  beforeEach(async () => {
    c = await setup(kind);
  });
  afterEach(async () => c.t.close());

  const listRules = async (query = '') => {
    const res = await read(c.t, c.token, `/api/v1/rules${query}`);
    expect(res.statusCode, res.body).toBe(200);
    return res.json<{ rules: RuleView[] }>().rules;
  };

  it('lists no rules of mine at first, and the defaults on request', async () => {
    expect(await listRules()).toEqual([]);
    const all = await listRules('?include=defaults');
    expect(all).toHaveLength(DEFAULT_RULES.length);
    expect(all.every((r) => r.source === 'default')).toBe(true);
    const github = all.find((r) => r.id === 'default:domain:exact:github.com');
    expect(github).toEqual({
      id: 'default:domain:exact:github.com',
      field: 'domain',
      match: 'exact',
      pattern: 'github.com',
      categoryId: 'version-control',
      level: null,
      source: 'default',
    });
    const one = await read(c.t, c.token, `/api/v1/rules/${encodeURIComponent('default:domain:exact:github.com')}`);
    expect(one.json()).toEqual(github);
    const withSlashes = 'default:url:glob:*://www.icloud.com/mail*';
    const bySlashes = await read(c.t, c.token, `/api/v1/rules/${encodeURIComponent(withSlashes)}`);
    expect(bySlashes.statusCode, bySlashes.body).toBe(200);
    expect(bySlashes.json()).toMatchObject({ id: withSlashes, source: 'default' });
    // Default rules are read-only.
    const change = await write(
      c.t,
      c.me.cookie,
      'DELETE',
      `/api/v1/rules/${encodeURIComponent('default:domain:exact:github.com')}`,
    );
    expect(change.statusCode).toBe(404);
  });

  it('creates, reads, updates and deletes my rules', async () => {
    const { t, me } = c;
    const created = await createRule(t, me.cookie, {
      field: 'app',
      match: 'glob',
      pattern: 'Acme*',
      categoryId: 'business',
    });
    expect(created).toMatchObject({
      field: 'app',
      match: 'glob',
      pattern: 'Acme*',
      categoryId: 'business',
      level: null,
      source: 'person',
    });
    expect(created.id).toMatch(/^[0-9a-f-]{36}$/);
    expect(await listRules()).toEqual([created]);
    const updated = await write(t, me.cookie, 'PUT', `/api/v1/rules/${created.id}`, {
      field: 'title',
      match: 'regex',
      pattern: '^Acme ',
      categoryId: null,
      level: -1,
    });
    expect(updated.statusCode, updated.body).toBe(200);
    expect(updated.json()).toEqual({
      id: created.id,
      field: 'title',
      match: 'regex',
      pattern: '^Acme ',
      categoryId: null,
      level: -1,
      source: 'person',
    });
    expect((await read(t, c.token, `/api/v1/rules/${created.id}`)).json()).toEqual(updated.json());
    const mine = await listRules('?include=defaults');
    expect(mine[0]).toEqual(updated.json());
    expect((await write(t, me.cookie, 'DELETE', `/api/v1/rules/${created.id}`)).statusCode).toBe(204);
    expect(await listRules()).toEqual([]);
    expect((await write(t, me.cookie, 'DELETE', `/api/v1/rules/${created.id}`)).statusCode).toBe(404);
    expect(
      (
        await write(t, me.cookie, 'PUT', `/api/v1/rules/${created.id}`, {
          field: 'app',
          match: 'exact',
          pattern: 'x',
          categoryId: null,
        })
      ).statusCode,
    ).toBe(404);
  });

  describe('validation', () => {
    const base = { field: 'app', match: 'exact', pattern: 'Thing', categoryId: null };
    const cases: [string, Record<string, unknown>, string][] = [
      ['an unsafe regex', { ...base, field: 'title', match: 'regex', pattern: '(a+)+$' }, 'pattern'],
      ['an invalid regex', { ...base, match: 'regex', pattern: '(' }, 'pattern'],
      ['an unknown category', { ...base, categoryId: 'nowhere' }, 'categoryId'],
      ['a level out of range', { ...base, level: 5 }, 'level'],
      ['an unknown field', { ...base, field: 'window' }, 'field'],
    ];
    for (const [what, body, field] of cases) {
      it(`refuses ${what}, naming ${field}, and stores nothing`, async () => {
        expectInvalid(await write(c.t, c.me.cookie, 'POST', '/api/v1/rules', body), field);
        expect(await listRules()).toEqual([]);
      });
    }

    it('refuses an unsafe regex on update, keeping the rule', async () => {
      const rule = await createRule(c.t, c.me.cookie, { ...base });
      const res = await write(c.t, c.me.cookie, 'PUT', `/api/v1/rules/${rule.id}`, {
        ...base,
        match: 'regex',
        pattern: '(a+)+$',
      });
      expectInvalid(res, 'pattern');
      expect(await listRules()).toEqual([rule]);
    });

    it('needs a session to change', async () => {
      expect((await read(c.t, c.token, '/api/v1/rules', 'POST', base)).statusCode).toBe(403);
    });
  });

  describe('precedence through /rules/test', () => {
    it('answers the default rule, then my exact rule for the same app over it', async () => {
      const { t, me, token } = c;
      expect(await testRules(t, token, { app: 'Code' })).toEqual({
        category: {
          id: 'editing-ides',
          name: 'Editing & IDEs',
          path: ['Software Development', 'Editing & IDEs'],
          level: 2,
        },
        level: 2,
        ruleId: 'default:app:exact:code',
        source: 'default',
      });
      const mine = await createRule(t, me.cookie, {
        field: 'app',
        match: 'exact',
        pattern: 'code',
        categoryId: 'entertainment',
      });
      expect(await testRules(t, token, { app: 'Code' })).toEqual({
        category: { id: 'entertainment', name: 'Entertainment', path: ['Entertainment'], level: -2 },
        level: -2,
        ruleId: mine.id,
        source: 'person',
      });
      // A glob of mine does not beat a default exact rule: the match kind comes first.
      await createRule(t, me.cookie, { field: 'app', match: 'glob', pattern: 'slack*', categoryId: 'games' });
      expect(await testRules(t, token, { app: 'Slack' })).toMatchObject({
        ruleId: 'default:app:exact:Slack',
        source: 'default',
      });
    });

    it('lets a rule set the level of one activity, overriding its category', async () => {
      const { t, me, token } = c;
      // An exact title rule outranks the default exact rule on youtube.com (title before domain).
      const rule = await createRule(t, me.cookie, {
        field: 'title',
        match: 'exact',
        pattern: 'A conference talk - YouTube',
        categoryId: 'video',
        level: 1,
      });
      expect(
        await testRules(t, token, { url: 'https://www.youtube.com/watch?v=1', title: 'A conference talk - YouTube' }),
      ).toEqual({
        category: { id: 'video', name: 'Video', path: ['Entertainment', 'Video'], level: -2 },
        level: 1,
        ruleId: rule.id,
        source: 'person',
      });
      const levelOnly = await createRule(t, me.cookie, {
        field: 'domain',
        match: 'exact',
        pattern: 'intranet.example',
        level: 2,
      });
      expect(await testRules(t, token, { domain: 'wiki.intranet.example' })).toEqual({
        category: null,
        level: 2,
        ruleId: levelOnly.id,
        source: 'person',
      });
      expect(await testRules(t, token, {})).toEqual({ category: null, level: 0, ruleId: null, source: null });
    });

    it('uses a category I made', async () => {
      const { t, me, token } = c;
      const clients = await createCategory(t, me.cookie, { name: 'Clients', level: 2 });
      const acme = await createCategory(t, me.cookie, { name: 'Acme', parentId: clients.id, level: 1 });
      const rule = await createRule(t, me.cookie, {
        field: 'url',
        match: 'glob',
        pattern: 'https://acme.example/*',
        categoryId: acme.id,
      });
      expect(await testRules(t, token, { url: 'https://acme.example/board' })).toEqual({
        category: { id: acme.id, name: 'Acme', path: ['Clients', 'Acme'], level: 1 },
        level: 1,
        ruleId: rule.id,
        source: 'person',
      });
    });
  });

  it('applies a change made through another server process at once', async () => {
    const { t, me, token } = c;
    // This process compiles (and caches) the rules first.
    expect((await testRules(t, token, { app: 'Code' })).source).toBe('default');
    const other = await otherProcess(t, me);
    let ruleId = '';
    try {
      const res = await other.app.inject({
        method: 'POST',
        url: '/api/v1/rules',
        payload: { field: 'app', match: 'exact', pattern: 'Code', categoryId: 'games' },
        ...withCookie(other.cookie),
      });
      expect(res.statusCode, res.body).toBe(201);
      ruleId = res.json<RuleView>().id;
    } finally {
      await other.close();
    }
    expect(await testRules(t, token, { app: 'Code' })).toMatchObject({ ruleId, category: { id: 'games' } });

    const again = await otherProcess(t, me);
    try {
      const res = await again.app.inject({
        method: 'PUT',
        url: '/api/v1/categories/games',
        payload: { parentId: 'entertainment', name: 'Play', level: 0, color: '#be123c' },
        ...withCookie(again.cookie),
      });
      expect(res.statusCode, res.body).toBe(200);
    } finally {
      await again.close();
    }
    expect(await testRules(t, token, { app: 'Code' })).toMatchObject({
      ruleId,
      level: 0,
      category: { id: 'games', path: ['Entertainment', 'Play'], level: 0 },
    });
  });
});
