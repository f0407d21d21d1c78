/**
 * The first screen's question, answered publicly: does this instance have an
 * account yet, and may a visitor sign up? The first account may always be
 * created; after it, the instance's sign-up setting decides.
 */
import { afterEach, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { createTestApp, type TestApp } from '../helpers.js';
import { person } from './support.js';

const STATUS = '/api/v1/auth/instance';

eachDatabase('instance status', (kind) => {
  let t: TestApp | null = null;
  afterEach(async () => {
    await t?.close();
    t = null;
  });

  const status = async (app: TestApp) => {
    const res = await app.app.inject({ method: 'GET', url: STATUS });
    expect(res.statusCode).toBe(200);
    return res.json<{ hasAccounts: boolean; signup: string }>();
  };

  it('says a new instance has no account and is open, then that it has one', async () => {
    t = await createTestApp({ kind });
    expect(await status(t)).toEqual({ hasAccounts: false, signup: 'open' });
    await person(t, 'first');
    expect(await status(t)).toEqual({ hasAccounts: true, signup: 'open' });
  });

  it('reports closed sign-up only once the first account exists', async () => {
    t = await createTestApp({ kind, env: { SUNDIAL_SIGNUP: 'closed' } });
    expect(await status(t)).toEqual({ hasAccounts: false, signup: 'open' });
    await person(t, 'first');
    expect(await status(t)).toEqual({ hasAccounts: true, signup: 'closed' });
  });
});
