import { afterEach, beforeEach, describe, expect, it } from 'vitest';
import { openKeyring } from '../../src/keys/keyring.js';
import { KeySetupError } from '../../src/keys/master-key.js';
import { people as peopleService } from '../../src/services/people.js';
import { eachDatabase } from '../../../../test/support/databases.js';
import { holds, NOW, openServices, type TestServices } from './service-fixtures.js';

const MARKER = 'zqmarker4b2';
const EMAIL = `${MARKER}.ada@example.org`;
const NAME = `Ada ${MARKER} Lovelace`;

eachDatabase('people', (kind) => {
  let s: TestServices;
  beforeEach(async () => {
    s = await openServices(kind);
  });
  afterEach(async () => {
    await s.close();
  });

  async function create(email: string, displayName: string | null = null): Promise<string> {
    const created = await s.people.create({ email, displayName });
    if (created === 'email_taken') throw new Error(`set-up: ${email} is taken`);
    return created.id;
  }

  async function keyCount(): Promise<number> {
    return (await s.store.keyring.countKeys()).total;
  }

  async function namesOf(id: string): Promise<number> {
    const row = await s.raw((db) =>
      db
        .selectFrom('names')
        .select((eb) => eb.fn.countAll<number>().as('n'))
        .where('user_id', '=', id)
        .executeTakeFirstOrThrow(),
    );
    return Number(row.n);
  }

  it('creates a person and reads back the email and display name', async () => {
    const id = await create(EMAIL, NAME);
    expect(id).toMatch(/^[0-9a-f]{8}-[0-9a-f]{4}-7[0-9a-f]{3}-[89ab][0-9a-f]{3}-[0-9a-f]{12}$/);
    expect(await s.people.get(id)).toEqual({ id, email: EMAIL, displayName: NAME, status: 'active', createdAt: NOW });
    const quiet = await create('grace@example.org');
    expect(await s.people.get(quiet)).toMatchObject({ email: 'grace@example.org', displayName: null });
    expect(await s.people.get('00000000-0000-7000-8000-000000000000')).toBeNull();
    expect(await s.store.keyring.getKey(id)).not.toBeNull();
  });

  it('stores neither the email nor the name in plaintext', async () => {
    const id = await create(EMAIL, NAME);
    const row = await s.raw((db) => db.selectFrom('users').selectAll().where('id', '=', id).executeTakeFirstOrThrow());
    for (const value of Object.values(row)) {
      expect(holds(value, MARKER)).toBe(false);
      expect(holds(value, 'example.org')).toBe(false);
      expect(holds(value, 'Lovelace')).toBe(false);
    }
    expect(row.email_ct).not.toBeNull();
    expect(row.display_name_ct).not.toBeNull();
  });

  it('refuses an email already taken in another case or spacing, leaving no orphan key', async () => {
    const id = await create('Ada.Lovelace@Example.org');
    const keys = await keyCount();
    for (const variant of ['ada.lovelace@example.org', '  ADA.LOVELACE@EXAMPLE.ORG\n', 'ａｄａ.lovelace@example.org']) {
      expect(await s.people.create({ email: variant, displayName: 'Impostor' })).toBe('email_taken');
    }
    expect(await keyCount()).toBe(keys);
    expect(await s.store.users.count()).toBe(1);
    expect(await s.people.get(id)).toMatchObject({ email: 'Ada.Lovelace@Example.org', displayName: null });
  });

  it('finds a person by email whatever the case and surrounding spaces', async () => {
    const ada = await create('Ada@Example.org');
    const grace = await create('grace@example.org');
    expect(await s.people.idByEmail('ada@example.org')).toBe(ada);
    expect(await s.people.idByEmail(' ADA@EXAMPLE.ORG ')).toBe(ada);
    expect(await s.people.idByEmail('Grace@Example.Org')).toBe(grace);
    expect(await s.people.idByEmail('ada@example.com')).toBeNull();
  });

  it('deletes a person for good: row, names and key go; others stay', async () => {
    const ada = await create(EMAIL, NAME);
    const grace = await create('grace@example.org', 'Grace');
    const name = await s.names.intern(ada, 'app', 'Terminal');
    const gracesName = await s.names.intern(grace, 'app', 'Terminal');
    expect(await namesOf(ada)).toBe(1);

    expect(await s.people.delete(ada)).toBe(true);
    expect(await s.people.get(ada)).toBeNull();
    expect(await s.store.users.byId(ada)).toBeNull();
    expect(await namesOf(ada)).toBe(0);
    expect(await s.store.keyring.getKey(ada)).toBeNull();
    expect(await s.keyring.existingDataKey(ada)).toBeNull();
    expect(await s.names.resolve(ada, [name])).toEqual(new Map());
    expect(await s.people.idByEmail(EMAIL)).toBeNull();

    expect(await s.people.get(grace)).toMatchObject({ email: 'grace@example.org', displayName: 'Grace' });
    expect(await s.names.resolve(grace, [gracesName])).toEqual(
      new Map([[gracesName, { kind: 'app', value: 'Terminal' }]]),
    );
    expect(await s.people.delete(ada)).toBe(false);
  });

  it('answers false when deleting someone who does not exist, and shreds nothing', async () => {
    await create('grace@example.org');
    const keys = await keyCount();
    expect(await s.people.delete('00000000-0000-7000-8000-000000000000')).toBe(false);
    expect(await keyCount()).toBe(keys);
  });

  it('lets the email be used again after the deletion', async () => {
    const first = await create(EMAIL);
    await s.people.delete(first);
    const second = await create(EMAIL.toUpperCase());
    expect(second).not.toBe(first);
    expect(await s.people.idByEmail(EMAIL)).toBe(second);
  });

  it('refuses to start a new keyring over data that already holds people', async () => {
    const ada = await create(EMAIL, NAME);
    await s.store.keyring.replaceAll([], {}); // the keyring is lost; the data is not
    const reopened = openKeyring({
      repo: s.store.keyring,
      source: s.folder.source,
      dataHoldsPeople: async () => (await s.store.users.count()) > 0,
    });
    await expect(reopened).rejects.toBeInstanceOf(KeySetupError);
    expect(await s.store.users.byId(ada)).not.toBeNull();
  });

  describe('a deletion interrupted by a crash', () => {
    it.each(['marked', 'shredded'] as const)(
      'after %s: left as deleting, then finished by resumeDeletions',
      async (step) => {
        const crash = new Error(`crash after ${step}`);
        const crashing = peopleService({
          users: s.store.users,
          keyring: s.keyring,
          names: s.names,
          now: () => NOW + 1,
          onDeletionStep: (at) => {
            if (at === step) throw crash;
          },
        });
        const victims = [await create('ada@example.org', 'Ada'), await create('linus@example.org')];
        const survivor = await create('grace@example.org', 'Grace');
        for (const id of victims) {
          await s.names.intern(id, 'title', 'private title');
          await expect(crashing.delete(id)).rejects.toBe(crash);
          expect(await s.store.users.byId(id)).toMatchObject({ status: 'deleting', updatedAt: NOW + 1 });
          if (step === 'marked') {
            expect(await s.people.get(id)).toMatchObject({ status: 'deleting' });
            expect(await s.store.keyring.getKey(id)).not.toBeNull();
          } else {
            expect(await s.people.get(id)).toBeNull();
            expect(await s.store.keyring.getKey(id)).toBeNull();
          }
        }

        expect(await s.people.resumeDeletions()).toBe(2);
        for (const id of victims) {
          expect(await s.store.users.byId(id)).toBeNull();
          expect(await s.store.keyring.getKey(id)).toBeNull();
          expect(await namesOf(id)).toBe(0);
          expect(await s.people.get(id)).toBeNull();
        }
        expect(await s.people.get(survivor)).toMatchObject({ status: 'active', email: 'grace@example.org' });
        expect(await s.people.resumeDeletions()).toBe(0);
      },
    );
  });
});
