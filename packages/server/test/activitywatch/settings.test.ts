import { afterEach, beforeEach, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { raw, rowsContain } from '../accounts/support.js';
import { createTestApp, type TestApp } from '../helpers.js';
import { awCaller, type AwCaller } from './support.js';

eachDatabase('ActivityWatch API: settings', (kind) => {
  let t: TestApp;
  let me: AwCaller;
  beforeEach(async () => {
    t = await createTestApp({ kind });
    me = await awCaller(t);
  });
  afterEach(() => t.close());

  const classes = [
    { name: ['Work', 'Programming'], rule: { type: 'regex', regex: 'SecretProjectX', ignore_case: true } },
  ];

  it('stores any JSON value by key, lists, replaces and removes them', async () => {
    expect((await me.get('/api/0/settings')).json()).toEqual({});
    expect((await me.get('/api/0/settings/theme')).body).toBe('null');

    expect((await me.post('/api/0/settings/classes', classes)).statusCode).toBe(201);
    expect((await me.post('/api/0/settings/theme', 'dark')).statusCode).toBe(201);
    expect((await me.post('/api/0/settings', { key: 'startOfDay', value: '04:00' })).statusCode).toBe(201);
    await me.post('/api/0/settings/flag', false);

    const theme = await me.get('/api/0/settings/theme');
    expect(theme.headers['content-type']).toMatch(/application\/json/);
    expect(theme.body).toBe('"dark"');
    expect((await me.get('/api/0/settings/classes')).json()).toEqual(classes);
    expect((await me.get('/api/0/settings/flag')).body).toBe('false');
    expect((await me.get('/api/0/settings')).json()).toEqual({
      classes,
      theme: 'dark',
      startOfDay: '04:00',
      flag: false,
    });

    await me.post('/api/0/settings/theme', { mode: 'light' });
    expect((await me.get('/api/0/settings/theme')).json()).toEqual({ mode: 'light' });
    expect((await me.delete('/api/0/settings/theme')).statusCode).toBe(200);
    expect((await me.get('/api/0/settings/theme')).body).toBe('null');
    expect(Object.keys((await me.get('/api/0/settings')).json()).sort()).toEqual(['classes', 'flag', 'startOfDay']);
  });

  it('keeps keys and values encrypted and apart from other people', async () => {
    await me.post('/api/0/settings/classes', classes);
    const rows = await raw(t, (db) => db.selectFrom('aw_settings').selectAll().execute());
    expect(rows).toHaveLength(1);
    expect(rowsContain(rows, 'SecretProjectX')).toBe(false);
    expect(rowsContain(rows, 'classes')).toBe(false);
    const other = await awCaller(t, 'other');
    expect((await other.get('/api/0/settings')).json()).toEqual({});
    expect((await other.get('/api/0/settings/classes')).body).toBe('null');
  });

  it('refuses keys over 128 characters and values over 64 KiB', async () => {
    const long = await me.post(`/api/0/settings/${'k'.repeat(129)}`, 1);
    expect(long.statusCode).toBe(400);
    expect(long.json().message).toEqual(expect.any(String));
    const big = await me.post('/api/0/settings/big', 'x'.repeat(70 * 1024));
    expect(big.statusCode).toBe(413);
    expect(big.json().message).toContain('value');
    expect((await me.get('/api/0/settings')).json()).toEqual({});
  });
});
