/**
 * Shared by the category suites: the calls of /api/v1/categories and
 * /api/v1/rules on a person set up by the activity suites' `setup`.
 */
import { expect } from 'vitest';
import type { TestApp } from '../helpers.js';
import { withBearer, withCookie, type Reply } from '../accounts/support.js';
import { errorOf } from '../activity/support.js';

export interface CategoryView {
  id: string;
  parentId: string | null;
  name: string;
  path: string[];
  level: number;
  color: string;
}

export interface RuleView {
  id: string;
  field: string;
  match: string;
  pattern: string;
  categoryId: string | null;
  level: number | null;
  source: 'person' | 'default';
}

export interface RuleTestView {
  category: { id: string; name: string; path: string[]; level: number } | null;
  level: number;
  ruleId: string | null;
  source: 'person' | 'default' | null;
}

type Method = 'GET' | 'POST' | 'PUT' | 'DELETE';

/** A change, made with the session cookie. */
export function write(t: Pick<TestApp, 'app'>, cookie: string, method: Method, url: string, payload?: unknown) {
  return t.app.inject({
    method,
    url,
    ...(payload === undefined ? {} : { payload: payload as object }),
    ...withCookie(cookie),
  });
}

/** A read, made with a read token. */
export function read(t: Pick<TestApp, 'app'>, token: string, url: string, method: Method = 'GET', payload?: unknown) {
  return t.app.inject({
    method,
    url,
    ...(payload === undefined ? {} : { payload: payload as object }),
    ...withBearer(token),
  });
}

export async function listCategories(t: Pick<TestApp, 'app'>, token: string) {
  const res = await read(t, token, '/api/v1/categories');
  expect(res.statusCode, res.body).toBe(200);
  return res.json<{ categories: CategoryView[]; customised: boolean }>();
}

export async function createCategory(t: Pick<TestApp, 'app'>, cookie: string, body: Record<string, unknown>) {
  const res = await write(t, cookie, 'POST', '/api/v1/categories', {
    parentId: null,
    level: 0,
    color: '#123456',
    ...body,
  });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<CategoryView>();
}

export async function createRule(t: Pick<TestApp, 'app'>, cookie: string, body: Record<string, unknown>) {
  const res = await write(t, cookie, 'POST', '/api/v1/rules', { categoryId: null, ...body });
  expect(res.statusCode, res.body).toBe(201);
  return res.json<RuleView>();
}

export async function testRules(t: Pick<TestApp, 'app'>, token: string, input: Record<string, string>) {
  const res = await read(t, token, '/api/v1/rules/test', 'POST', input);
  expect(res.statusCode, res.body).toBe(200);
  return res.json<RuleTestView>();
}

/** Expects a 400 whose message names the field. */
export function expectInvalid(res: Reply, field: string): void {
  expect(res.statusCode, res.body).toBe(400);
  const { code, message } = errorOf(res);
  expect(code).toBe('input.invalid');
  expect(message).toContain(field);
}
