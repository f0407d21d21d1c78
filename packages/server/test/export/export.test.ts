/**
 * GET /api/v1/export: the JSON document's shape (the contract) and content
 * (decrypted, stored fields, no secret), the CSV (RFC 4180 quoting and the
 * formula-injection guard), the download headers, access (a session only)
 * and the audit record (format and count, never content).
 */
import { afterEach, beforeEach, expect, it } from 'vitest';
import { Secret, TOTP } from 'otpauth';
import { Value } from 'typebox/value';
import { ExportDocument } from '@sundial/contracts';
import { eachDatabase } from '../../../../test/support/databases.js';
import { raw, withCookie } from '../accounts/support.js';
import { DEFAULT_PRIVACY, newToken, setup, type Ctx } from '../activity/support.js';
import {
  bearer,
  exportJson,
  exportRequest,
  FORMULA_TITLE,
  importRequest,
  QUOTED_TITLE,
  readCsv,
  seed,
  type Doc,
} from './support.js';

const CSV_HEADER = 'id,device,bucket,kind,start,end,duration_seconds,app,title,domain,url,away';

eachDatabase('export', (kind) => {
  let c: Ctx;
  beforeEach(async () => {
    c = await setup(kind);
    await seed(c.t, c.me, c.token);
  });
  afterEach(async () => c.t.close());

  it('answers a JSON download that the contract describes', async () => {
    const res = await exportRequest(c.t, c.me.cookie);
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('application/json; charset=utf-8');
    const doc = res.json<Doc>();
    expect(res.headers['content-disposition']).toBe(
      `attachment; filename="sundial-export-${doc.exportedAt.slice(0, 10)}.json"`,
    );
    expect([...Value.Errors(ExportDocument, doc)].map((e) => `${e.instancePath} ${e.message}`)).toEqual([]);
    expect(Object.keys(doc)).toEqual([
      'format',
      'version',
      'exportedAt',
      'profile',
      'settings',
      'categories',
      'rules',
      'devices',
      'buckets',
      'events',
    ]);
    expect(doc).toMatchObject({ format: 'sundial-export', version: 1 });
  });

  it('holds my profile, settings, categories, rules, devices and buckets, decrypted', async () => {
    const doc = await exportJson(c.t, c.me.cookie);
    expect(doc.profile).toEqual({
      id: c.me.id,
      email: c.me.email,
      displayName: null,
      role: expect.any(String),
      mfa: { totp: false },
      createdAt: expect.any(String),
    });
    expect(doc.settings).toEqual({
      privacy: {
        ...DEFAULT_PRIVACY,
        detail: 'domain',
        ignore: [{ field: 'app', match: 'exact', pattern: 'Secret Diary' }],
        retentionDays: 3650,
      },
      activitywatch: { classes: [{ name: ['Work'], rule: { type: 'regex', regex: 'vim' } }], theme: 'dark' },
    });
    expect(doc.categories.customised).toBe(true);
    const tree = doc.categories.tree;
    const project = tree.find((x) => x.name === 'Project Zephyr');
    const docs = tree.find((x) => x.name === 'Zephyr docs');
    expect(tree.find((x) => x.id === project?.parentId)?.name).toMatch(/\(mine\)$/);
    expect(docs?.parentId).toBe(project?.id);
    // Parents come before their children.
    tree.forEach((x, i) => {
      if (x.parentId !== null) expect(tree.findIndex((p) => p.id === x.parentId)).toBeLessThan(i);
    });
    expect(doc.rules.map((r) => r.pattern).sort()).toEqual(['*Zephyr*', '^Term', 'example.org', 'vim']);
    expect(doc.rules.find((r) => r.pattern === 'vim')?.categoryId).toBe(project?.id);
    expect(doc.devices.map((d) => d.name).sort()).toEqual(['Web', 'desktop', 'laptop']);
    expect(doc.devices.find((d) => d.name === 'laptop')?.id).toBe(c.tokenId);
    expect(doc.buckets.map((b) => b.key)).toEqual(
      expect.arrayContaining(['aw-watcher-window_myhost', 'editor_myhost', `sundial-window_${c.tokenId}`]),
    );
    expect(doc.buckets.find((b) => b.key === 'editor_myhost')).toMatchObject({
      device: c.tokenId,
      kind: 'other',
      type: 'app.editor.activity',
      client: 'aw-watcher-vim',
      hostname: 'myhost',
    });
  });

  it('holds every event with its stored fields, oldest first', async () => {
    const doc = await exportJson(c.t, c.me.cookie);
    expect(doc.events).toHaveLength(16);
    const keys = doc.events.map((e) => `${String(e['start'])} ${String(e['id'])}`);
    expect(keys).toEqual([...keys].sort());
    const find = (field: string, value: unknown) => doc.events.find((e) => e[field] === value);
    expect(find('app', 'Code')).toMatchObject({
      kind: 'window',
      device: c.tokenId,
      bucket: `sundial-window_${c.tokenId}`,
      title: FORMULA_TITLE,
      url: 'https://github.com/acme/app',
      domain: 'github.com',
      extra: { file: 'main.ts' },
    });
    const code = find('app', 'Code') ?? {};
    expect(Date.parse(String(code['end'])) - Date.parse(String(code['start']))).toBe(5 * 60_000);
    // Stored at domain detail: the site, no URL or title, and only flags among the other fields.
    const webAtDomainDetail = doc.events.find((e) => e['kind'] === 'web' && e['domain'] === 'docs.example.net');
    expect(webAtDomainDetail).toEqual({
      id: expect.any(String),
      device: c.tokenId,
      bucket: `sundial-web_${c.tokenId}`,
      kind: 'web',
      start: expect.any(String),
      end: expect.any(String),
      domain: 'docs.example.net',
      extra: { incognito: false },
    });
    const windowAtDomainDetail = doc.events.find((e) => e['kind'] === 'window' && e['app'] === 'Firefox');
    expect(windowAtDomainDetail).toMatchObject({ domain: 'docs.example.net' });
    expect(windowAtDomainDetail).not.toHaveProperty('url');
    expect(windowAtDomainDetail).not.toHaveProperty('title');
    expect(doc.events.filter((e) => e['kind'] === 'away').map((e) => e['away'])).toEqual([true, false]);
    expect(find('kind', 'other')).toMatchObject({
      bucket: 'editor_myhost',
      extra: { file: '/home/me/x.ts', lines: 12 },
    });
    expect(find('app', 'Notes')).toMatchObject({ device: 'manual' });
  });

  it('never holds a secret: no password hash, TOTP secret, recovery code or token', async () => {
    const enrol = await c.t.app.inject({ method: 'POST', url: '/api/v1/me/totp', ...withCookie(c.me.cookie) });
    expect(enrol.statusCode, enrol.body).toBe(200);
    const { secret } = enrol.json<{ secret: string }>();
    const code = new TOTP({ algorithm: 'SHA1', digits: 6, period: 30, secret: Secret.fromBase32(secret) }).generate({
      timestamp: c.clock.now(),
    });
    const confirmed = await c.t.app.inject({
      method: 'POST',
      url: '/api/v1/me/totp/confirm',
      payload: { code },
      ...withCookie(c.me.cookie),
    });
    expect(confirmed.statusCode, confirmed.body).toBe(200);
    const { recoveryCodes } = confirmed.json<{ recoveryCodes: string[] }>();
    const hash = await raw(c.t, (db) =>
      db.selectFrom('users').select('password_hash').where('id', '=', c.me.id).executeTakeFirstOrThrow(),
    );
    const res = await exportRequest(c.t, c.me.cookie);
    expect(res.statusCode).toBe(200);
    expect(res.json<Doc>().profile['mfa']).toEqual({ totp: true });
    const secrets = [String(hash.password_hash), secret, c.token, c.me.cookie, c.me.password, ...recoveryCodes];
    for (const value of secrets) expect(res.body).not.toContain(value);
    expect(res.body).not.toMatch(/argon2|passwordHash|totpSecret/i);
  });

  it('writes my events as CSV: quoted as RFC 4180 says, formulas defused', async () => {
    const doc = await exportJson(c.t, c.me.cookie);
    const res = await exportRequest(c.t, c.me.cookie, 'csv');
    expect(res.statusCode, res.body).toBe(200);
    expect(res.headers['content-type']).toBe('text/csv; charset=utf-8; header=present');
    expect(res.headers['content-disposition']).toMatch(
      /^attachment; filename="sundial-export-\d{4}-\d{2}-\d{2}\.csv"$/,
    );
    expect(res.body.startsWith(`${CSV_HEADER}\r\n`)).toBe(true);
    const [header, ...rows] = readCsv(res.body);
    expect(header?.join(',')).toBe(CSV_HEADER);
    expect(rows.map((r) => r[0])).toEqual(doc.events.map((e) => e['id']));
    const cell = (row: string[] | undefined, column: string) => row?.[(header ?? []).indexOf(column)];
    const rowOf = (app: string) => rows.find((r) => cell(r, 'app') === app || cell(r, 'app') === `'${app}`);
    expect(cell(rowOf('Code'), 'title')).toBe(`'${FORMULA_TITLE}`);
    expect(res.body).toContain(`"'=HYPERLINK(""http://evil.example"",""click"")"`);
    expect(cell(rowOf('+cmd'), 'app')).toBe("'+cmd");
    expect(cell(rowOf('+cmd'), 'title')).toBe(QUOTED_TITLE);
    expect(cell(rowOf('@SUM(A1)'), 'app')).toBe("'@SUM(A1)");
    expect(cell(rowOf('@SUM(A1)'), 'title')).toBe("'-2+3");
    expect(cell(rowOf('Code'), 'duration_seconds')).toBe('300');
    expect(cell(rowOf('Code'), 'domain')).toBe('github.com');
    expect(rows.find((r) => cell(r, 'url') === 'https://news.example.com/')?.[8]).toBe("'\tTabbed");
    expect(rows.filter((r) => cell(r, 'kind') === 'away').map((r) => cell(r, 'away'))).toEqual(['true', 'false']);
    // No cell a spreadsheet would run as a formula.
    for (const row of rows) for (const value of row) expect(value).not.toMatch(/^[=+\-@\t\r]/);
  });

  it('needs a session: no credentials, or an API token (ingest and read scopes), are refused', async () => {
    expect(c.t.routes.filter((r) => ['/api/v1/export', '/api/v1/import'].includes(r.url))).toEqual([
      { method: 'GET', url: '/api/v1/export', access: 'session' },
      { method: 'POST', url: '/api/v1/import', access: 'session' },
    ]);
    const reader = await newToken(c.t, c.me, ['read'], 'reader');
    for (const format of ['json', 'csv']) {
      const anonymous = await c.t.app.inject({ method: 'GET', url: `/api/v1/export?format=${format}` });
      expect(anonymous.statusCode).toBe(401);
      for (const token of [c.token, reader.token]) {
        const res = await c.t.app.inject({ method: 'GET', url: `/api/v1/export?format=${format}`, ...bearer(token) });
        expect(res.statusCode, res.body).toBe(403);
        expect(res.body).not.toContain('Zephyr');
      }
    }
    const res = await c.t.app.inject({ method: 'POST', url: '/api/v1/import', payload: {}, ...bearer(c.token) });
    expect(res.statusCode).toBe(403);
    expect((await importRequest(c.t, '', {})).statusCode).toBe(401);
  });

  it('refuses an unknown format', async () => {
    const res = await c.t.app.inject({ method: 'GET', url: '/api/v1/export?format=xml', ...withCookie(c.me.cookie) });
    expect(res.statusCode).toBe(400);
  });

  it('audits each export with its format and event count, never content', async () => {
    await exportJson(c.t, c.me.cookie);
    expect((await exportRequest(c.t, c.me.cookie, 'csv')).statusCode).toBe(200);
    const entries = await raw(c.t, (db) =>
      db
        .selectFrom('audit_log')
        .select(['details', 'actor_id', 'subject_id'])
        .where('action', '=', 'data.export')
        .orderBy('seq')
        .execute(),
    );
    expect(entries.map((e) => JSON.parse(e.details) as unknown)).toEqual([
      { format: 'json', events: 16 },
      { format: 'csv', events: 16 },
    ]);
    expect(entries.every((e) => e.actor_id === c.me.id && e.subject_id === c.me.id)).toBe(true);
    const refused = await c.t.app.inject({ method: 'GET', url: '/api/v1/export', ...bearer(c.token) });
    expect(refused.statusCode).toBe(403);
    const after = await raw(c.t, (db) =>
      db.selectFrom('audit_log').select('details').where('action', '=', 'data.export').execute(),
    );
    expect(after).toHaveLength(2);
  });
});
