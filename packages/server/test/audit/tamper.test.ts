/**
 * `verify` against someone with write access to the database: editing any
 * one column of one entry, deleting an entry, moving the head, or rewriting
 * the chain with recomputed plain hashes (they lack the HMAC key) is found,
 * and reported at the right entry.
 */
import { afterAll, beforeAll, beforeEach, describe, expect, it } from 'vitest';
import { entryHash, verifyChain } from '../../src/audit/chain.js';
import { eachDatabase } from '../../../../test/support/databases.js';
import { flipped, openAudit, rawRows, setColumn, type AuditFixture } from './audit-fixtures.js';

const ENTRIES = 6;
const TARGET = 3;

/** For each column, a different value for the target row (given the row as stored). */
const EDITS: Record<string, (row: Record<string, unknown>, other: string) => unknown> = {
  action: () => 'auth.logout',
  details: () => '{"count":99}',
  at: (row) => Number(row['at']) + 1,
  ip: () => '198.51.100.0',
  actor_id: (_, other) => other,
  subject_id: (_, other) => other,
  private_ct: (row) => flipped(row['private_ct']),
  prev_hash: (row) => flipped(row['prev_hash']),
  hash: (row) => flipped(row['hash']),
  hmac: (row) => flipped(row['hmac']),
};

eachDatabase('audit log: tampering', (kind) => {
  let f: AuditFixture;
  let alice = '';
  let bob = '';
  beforeAll(async () => {
    f = await openAudit(kind);
    alice = await f.person();
    bob = await f.person();
  });
  afterAll(async () => {
    await f.close();
  });
  beforeEach(async () => {
    await f.reset();
    for (let i = 1; i <= ENTRIES; i++) {
      await f.audit.record({
        action: 'auth.login.success',
        actorId: alice,
        subjectId: alice,
        ip: '192.0.2.10',
        details: { i },
        private: { ip: '192.0.2.10', userAgent: 'UA' },
      });
    }
    expect(await f.audit.verify()).toEqual({ ok: true, entries: ENTRIES });
  });

  describe.each(Object.keys(EDITS))('editing %s of one entry', (column) => {
    it(`breaks the chain at that entry`, async () => {
      await f.raw(async (db) => {
        const row = (await rawRows(db))[TARGET - 1];
        if (!row) throw new Error('no target row');
        const edit = EDITS[column];
        if (!edit) throw new Error(column);
        const value = edit(row, bob);
        expect(value).not.toEqual(row[column]);
        await setColumn(db, TARGET, column, value);
      });
      const result = await f.audit.verify();
      expect(result).toMatchObject({ ok: false, brokenAt: TARGET, entries: TARGET - 1 });
    });
  });

  it('gives the same answers walking in pages of two (edits and gaps across page boundaries)', async () => {
    const walk = () => verifyChain(f.store.audit, f.keyring.auditHmacKey, 2);
    expect(await walk()).toEqual({ ok: true, entries: ENTRIES });
    await f.raw((db) => db.deleteFrom('audit_log').where('seq', '=', TARGET).execute());
    expect(await walk()).toMatchObject({ ok: false, brokenAt: TARGET, entries: TARGET - 1 });
  });

  it('finds a deleted middle entry', async () => {
    await f.raw((db) => db.deleteFrom('audit_log').where('seq', '=', TARGET).execute());
    expect(await f.audit.verify()).toMatchObject({
      ok: false,
      brokenAt: TARGET,
      reason: expect.stringMatching(/missing/),
    });
  });

  it('finds a deleted first entry', async () => {
    await f.raw((db) => db.deleteFrom('audit_log').where('seq', '=', 1).execute());
    expect(await f.audit.verify()).toMatchObject({ ok: false, brokenAt: 1 });
  });

  it('finds a deleted last entry (the head no longer matches)', async () => {
    await f.raw((db) => db.deleteFrom('audit_log').where('seq', '=', ENTRIES).execute());
    expect(await f.audit.verify()).toMatchObject({
      ok: false,
      brokenAt: ENTRIES,
      entries: ENTRIES - 1,
      reason: expect.stringMatching(/head/),
    });
  });

  it('finds an edited head hash, and an entry beyond the head', async () => {
    await f.raw((db) =>
      db
        .updateTable('audit_head')
        .set({ last_hash: Buffer.alloc(32, 7) })
        .execute(),
    );
    expect(await f.audit.verify()).toMatchObject({
      ok: false,
      brokenAt: ENTRIES,
      reason: expect.stringMatching(/head/),
    });
    await f.reset();
    await f.audit.record({ action: 'auth.logout' });
    await f.audit.record({ action: 'auth.logout' });
    const head = await f.store.audit.head();
    const [first] = await f.store.audit.page(0, 1);
    if (!first) throw new Error('no entry');
    await f.raw((db) => db.updateTable('audit_head').set({ last_seq: 1, last_hash: first.hash }).execute());
    expect(await f.audit.verify()).toMatchObject({
      ok: false,
      brokenAt: head.lastSeq,
      reason: expect.stringMatching(/beyond/),
    });
  });

  it('finds a rewrite that recomputes every plain hash from the edit on, by the HMAC', async () => {
    await f.raw(async (db) => {
      const rows = await f.store.audit.page(0, 100);
      let prev = rows[TARGET - 2]?.hash;
      if (!prev) throw new Error('no previous row');
      for (const row of rows.slice(TARGET - 1)) {
        const content = row.seq === TARGET ? { ...row, details: '{"i":42}' } : row;
        const hash = entryHash(prev, content);
        await db
          .updateTable('audit_log')
          .set({ details: content.details, prev_hash: prev, hash })
          .where('seq', '=', row.seq)
          .execute();
        prev = hash;
      }
      await db.updateTable('audit_head').set({ last_hash: prev }).execute();
    });
    expect(await f.audit.verify()).toMatchObject({
      ok: false,
      brokenAt: TARGET,
      reason: expect.stringMatching(/HMAC/),
    });
  });
});
