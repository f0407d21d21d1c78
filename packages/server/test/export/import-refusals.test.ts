/**
 * POST /api/v1/import refuses a bad document whole: 400 naming the path of
 * the problem, and nothing written — the problem is put at the end of the
 * document, after parts an import writing as it reads would have stored.
 */
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { raw, withCookie, type Person } from '../accounts/support.js';
import { errorOf, newPerson, setup, type Ctx } from '../activity/support.js';
import { exportJson, holdings, importRequest, seed, type Doc } from './support.js';

type Mutable = Record<string, unknown> & {
  events: Record<string, unknown>[];
  categories: { tree: Record<string, unknown>[] };
  rules: Record<string, unknown>[];
  settings: { privacy: { ignore: Record<string, unknown>[] } };
};

const lastEvent = (doc: Mutable) => doc.events[doc.events.length - 1] as Record<string, unknown>;
const byKind = (doc: Mutable, kind: string) => doc.events.filter((e) => e['kind'] === kind).at(-1) ?? {};

/** [what is wrong, how to break the document, what the message must name] */
const CASES: [string, (doc: Mutable) => void, string][] = [
  ['not an export at all', (doc) => void Object.assign(doc, { format: 'activitywatch' }), 'body/format'],
  ['a field the format does not have', (doc) => void (lastEvent(doc)['colour'] = 'red'), 'body/events/15'],
  ['a start that is no date', (doc) => void (lastEvent(doc)['start'] = 'yesterday'), 'body/events/15/start'],
  ['an end before the start', (doc) => void (lastEvent(doc)['end'] = '2000-01-01T00:00:00.000Z'), 'events[15].end'],
  [
    'an event longer than 30 days',
    (doc) =>
      void (lastEvent(doc)['end'] = new Date(
        Date.parse(String(lastEvent(doc)['start'])) + 31 * 86_400_000,
      ).toISOString()),
    'events[15].end: the duration must be at most 30 days',
  ],
  ['an unknown bucket', (doc) => void (lastEvent(doc)['bucket'] = 'no-such-bucket'), 'events[15].bucket'],
  ['an event id used twice', (doc) => void (lastEvent(doc)['id'] = doc.events[0]?.['id']), 'events[15].id'],
  ['an id that is no UUID', (doc) => void (lastEvent(doc)['id'] = 'not-a-uuid'), 'events[15].id'],
  [
    'a web event with a title but no URL (no detail level stores that)',
    (doc) => {
      const web = byKind(doc, 'web');
      delete web['url'];
      web['title'] = 'Orphan title';
    },
    'would not store these fields',
  ],
  [
    'a window event without an app',
    (doc) => {
      const window = doc.events.filter((e) => e['kind'] === 'window').at(-1) ?? {};
      delete window['app'];
    },
    '.app: is required',
  ],
  [
    'other fields too large',
    (doc) => void (byKind(doc, 'other')['extra'] = { blob: 'x'.repeat(2049) }),
    '.extra.blob: must be at most 2048 characters',
  ],
  [
    'a category tree with a cycle',
    (doc) => {
      const [a, b] = doc.categories.tree.filter((x) => x['parentId'] !== null);
      if (!a || !b) throw new Error('the seeded tree has fewer than two child categories');
      a['parentId'] = b['id'];
      b['parentId'] = a['id'];
    },
    'categories.tree[',
  ],
  [
    'a rule for a category not in the tree',
    (doc) => void ((doc.rules.at(-1) ?? {})['categoryId'] = 'no-such-category'),
    `rules[3].categoryId`,
  ],
  [
    'an unsafe ignore rule',
    (doc) => void doc.settings.privacy.ignore.push({ field: 'app', match: 'regex', pattern: '(a+)+$' }),
    'settings.privacy.ignore[1].pattern',
  ],
];

eachDatabase('import refusals', (kind) => {
  let c: Ctx;
  let original: Doc;
  let other: Person;
  beforeAll(async () => {
    c = await setup(kind);
    await seed(c.t, c.me, c.token);
    original = await exportJson(c.t, c.me.cookie);
    expect(original.events).toHaveLength(16);
  });
  afterAll(async () => c.t.close());
  beforeEach(async () => {
    other = await newPerson(c.t, 'other');
  });

  for (const [what, breakIt, named] of CASES) {
    it(`refuses ${what}, naming ${named}, and writes nothing`, async () => {
      const doc = structuredClone(original) as unknown as Mutable;
      breakIt(doc);
      const before = await holdings(c.t, other.id);
      const res = await importRequest(c.t, other.cookie, doc);
      expect(res.statusCode, res.body).toBe(400);
      expect(errorOf(res).code).toBe('input.invalid');
      expect(errorOf(res).message).toContain(named);
      expect(await holdings(c.t, other.id)).toEqual(before);
      expect(Object.values(before).every((n) => n === 0)).toBe(true);
      // And the unbroken document imports: the refusal was for the break alone.
      expect((await importRequest(c.t, other.cookie, original)).statusCode).toBe(200);
    });
  }

  it('takes bodies over the default 1 MiB limit, and refuses more than 200 MiB (413)', async () => {
    const big = { ...structuredClone(original), padding: 'x'.repeat(2 * 1024 * 1024) };
    const res = await importRequest(c.t, other.cookie, big);
    expect(res.statusCode).toBe(400); // read and checked (the stray field), not refused for its size
    expect(errorOf(res).message).toBe('body must NOT have additional properties');
    const huge = await c.t.app.inject({
      method: 'POST',
      url: '/api/v1/import',
      payload: '{}',
      headers: {
        ...withCookie(other.cookie).headers,
        'content-type': 'application/json',
        'content-length': String(200 * 1024 * 1024 + 1),
      },
    });
    expect(huge.statusCode).toBe(413);
    const audited = await raw(c.t, (db) =>
      db
        .selectFrom('audit_log')
        .select('seq')
        .where('action', '=', 'data.import')
        .where('subject_id', '=', other.id)
        .execute(),
    );
    expect(audited).toHaveLength(0);
  });
});
