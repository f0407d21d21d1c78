import fc from 'fast-check';
import { afterEach, beforeEach, expect, it } from 'vitest';
import { blindIndex, CryptoError, encryptField } from '@sundial/crypto';
import { NAME_KINDS, type NameKind } from '../../src/services/names-dictionary.js';
import { eachDatabase } from '../../../../test/support/databases.js';
import { holds, NOW, openServices, type TestServices } from './service-fixtures.js';

const MARKER = 'zq-secret-marker-7c1';

eachDatabase('names dictionary', (kind) => {
  let s: TestServices;
  let ada: string;
  let grace: string;

  beforeEach(async () => {
    s = await openServices(kind);
    const a = await s.people.create({ email: 'ada@example.org' });
    const g = await s.people.create({ email: 'grace@example.org' });
    if (a === 'email_taken' || g === 'email_taken') throw new Error('set-up: email taken');
    ada = a.id;
    grace = g.id;
  });
  afterEach(async () => {
    await s.close();
  });

  /** Replaces the ciphertext of one names row from outside the store. */
  async function setCiphertext(userId: string, id: number, ciphertext: Buffer): Promise<void> {
    const result = await s.raw((db) =>
      db
        .updateTable('names')
        .set({ value_ct: ciphertext })
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirst(),
    );
    expect(Number(result.numUpdatedRows)).toBe(1);
  }

  async function ciphertextOf(userId: string, id: number): Promise<Buffer> {
    const row = await s.raw((db) =>
      db
        .selectFrom('names')
        .select('value_ct')
        .where('user_id', '=', userId)
        .where('id', '=', id)
        .executeTakeFirstOrThrow(),
    );
    return Buffer.from(row.value_ct);
  }

  async function expectDecryptFailure(promise: Promise<unknown>): Promise<void> {
    const error: unknown = await promise.then(
      (value) =>
        expect.fail(`expected a decryption failure, got ${JSON.stringify([...(value as Map<number, unknown>)])}`),
      (e: unknown) => e,
    );
    expect(error).toBeInstanceOf(CryptoError);
    expect(error).toMatchObject({ code: 'crypto.decrypt_failed' });
  }

  it('interns the same (kind, value) to the same id, also in another dictionary without shared caches', async () => {
    const id = await s.names.intern(ada, 'app', 'Firefox');
    expect(await s.names.intern(ada, 'app', 'Firefox')).toBe(id);
    const other = await s.freshNames();
    expect(await other.intern(ada, 'app', 'Firefox')).toBe(id);
    expect(Number.isSafeInteger(id) && id >= 0 && id < 2 ** 48).toBe(true);
    // Two processes interning a new value at once agree on its id.
    const [one, two] = [await s.freshNames(), await s.freshNames()];
    const racing = await Promise.all([
      one.intern(ada, 'domain', 'race.example'),
      two.intern(ada, 'domain', 'race.example'),
    ]);
    expect(racing[0]).toBe(racing[1]);

    const ids = new Set([id]);
    for (const k of NAME_KINDS.filter((k) => k !== 'app')) ids.add(await s.names.intern(ada, k, 'Firefox'));
    ids.add(await s.names.intern(ada, 'app', 'firefox'));
    ids.add(await s.names.intern(ada, 'app', 'Firefox '));
    expect(ids.size).toBe(NAME_KINDS.length + 2);
    const count = await s.raw((db) =>
      db
        .selectFrom('names')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', ada)
        .executeTakeFirstOrThrow(),
    );
    expect(Number(count.n)).toBe(NAME_KINDS.length + 3);
  });

  it('resolves ids to kinds and values, ignoring unknown ids and other people’s ids', async () => {
    const app = await s.names.intern(ada, 'app', 'Terminal');
    const title = await s.names.intern(ada, 'title', 'README.md — Sundial');
    const graces = await s.names.intern(grace, 'domain', 'example.com');
    const fresh = await s.freshNames();
    const found = await fresh.resolve(ada, [app, title, app, 12345, graces]);
    expect(found).toEqual(
      new Map([
        [app, { kind: 'app', value: 'Terminal' }],
        [title, { kind: 'title', value: 'README.md — Sundial' }],
      ]),
    );
    expect(await fresh.resolve(ada, [])).toEqual(new Map());
    expect(await fresh.resolve(grace, [graces])).toEqual(new Map([[graces, { kind: 'domain', value: 'example.com' }]]));
  });

  it('stores no plaintext: neither the ciphertext nor the blind index holds the value', async () => {
    for (const k of NAME_KINDS) await s.names.intern(ada, k, `${MARKER} ${k}`);
    await s.names.intern(grace, 'app', `${MARKER} app`);
    const rows = await s.raw((db) => db.selectFrom('names').selectAll().execute());
    expect(rows).toHaveLength(NAME_KINDS.length + 1);
    for (const row of rows) {
      for (const value of Object.values(row)) expect(holds(value, MARKER)).toBe(false);
      expect(row.value_ct.length).toBeGreaterThan(MARKER.length);
      expect(row.created_at).toBe(NOW);
    }
    // The same value for two people gives unrelated indexes: nothing links them.
    const indexes = rows.filter((r) => r.kind === 'app').map((r) => Buffer.from(r.blind_index).toString('hex'));
    expect(new Set(indexes).size).toBe(2);
  });

  it("refuses a ciphertext moved into another person's row (never answers their value)", async () => {
    const adas = await s.names.intern(ada, 'app', 'Ada’s secret app');
    const graces = await s.names.intern(grace, 'app', 'Grace’s app');
    await setCiphertext(grace, graces, await ciphertextOf(ada, adas));
    await expectDecryptFailure((await s.freshNames()).resolve(grace, [graces]));
  });

  it('refuses a title ciphertext moved into an app row of the same person', async () => {
    const title = await s.names.intern(ada, 'title', 'Inbox (3) — private mail');
    const app = await s.names.intern(ada, 'app', 'Mail');
    await setCiphertext(ada, app, await ciphertextOf(ada, title));
    await expectDecryptFailure((await s.freshNames()).resolve(ada, [app]));
  });

  it('refuses a ciphertext moved into another row of the same person and kind', async () => {
    const slack = await s.names.intern(ada, 'app', 'Slack');
    const editor = await s.names.intern(ada, 'app', 'Code editor');
    await setCiphertext(ada, editor, await ciphertextOf(ada, slack));
    await expectDecryptFailure((await s.freshNames()).resolve(ada, [editor]));
  });

  it('takes the next free id when another name already holds the id its blind index gives', async () => {
    const key = await s.keyring.dataKey(ada);
    const value = 'Colliding window title';
    const taken = blindIndex(key, 'title', value).readUIntBE(0, 6);
    const decoys = ['decoy one', 'decoy two'];
    for (const [i, decoy] of decoys.entries()) {
      const outcome = await s.store.names.insert(
        ada,
        {
          id: taken + i,
          kind: 'title',
          blindIndex: blindIndex(key, 'title', decoy),
          ciphertext: encryptField(key, { table: 'names', column: 'title' }, decoy),
        },
        NOW,
      );
      expect(outcome).toBe('inserted');
    }
    const id = await s.names.intern(ada, 'title', value);
    expect(id).toBe(taken + 2);
    const fresh = await s.freshNames();
    expect(await fresh.intern(ada, 'title', value)).toBe(id);
    expect(await fresh.resolve(ada, [taken, taken + 1, id])).toEqual(
      new Map([
        [taken, { kind: 'title', value: 'decoy one' }],
        [taken + 1, { kind: 'title', value: 'decoy two' }],
        [id, { kind: 'title', value }],
      ]),
    );
  });

  it('round-trips any Unicode string of any kind through intern and resolve', async () => {
    const kinds = fc.constantFrom<NameKind>(...NAME_KINDS);
    await fc.assert(
      fc.asyncProperty(kinds, fc.string({ unit: 'binary', maxLength: 300 }), async (k, value) => {
        const id = await s.names.intern(ada, k, value);
        const fresh = await s.freshNames();
        expect(await fresh.intern(ada, k, value)).toBe(id);
        expect(await fresh.resolve(ada, [id])).toEqual(new Map([[id, { kind: k, value }]]));
      }),
      { numRuns: 30 },
    );
  });

  it('answers nothing for a person without a key, and forgets a person’s cached names', async () => {
    const id = await s.names.intern(ada, 'url', 'https://example.org/private');
    expect((await s.names.resolve(ada, [id])).size).toBe(1);
    await s.keyring.shred(ada);
    s.names.forget(ada);
    expect(await s.names.resolve(ada, [id])).toEqual(new Map());
  });
});
