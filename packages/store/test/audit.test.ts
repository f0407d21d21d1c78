/**
 * The audit repository on both databases: appends claim consecutive seqs at
 * the head and see the previous hash, a failed build leaves nothing behind,
 * concurrent appenders (one store, and two stores on one database) queue at
 * the head, and reads page in seq order or by subject, newest first.
 */
import { createHash } from 'node:crypto';
import { afterEach, beforeEach, expect, it } from 'vitest';
import type { NewAuditRow } from '../src/repositories/audit.js';
import { openStore, type Store } from '../src/store.js';
import { createTestDatabase, eachDatabase, type TestDatabase } from '../../../test/support/databases.js';

/** A stand-in for the server's hashing: enough to see that each row got its seq and predecessor. */
function build(subjectId: string | null = null, action = 'auth.login.success') {
  return (seq: number, prevHash: Buffer): NewAuditRow => {
    const hash = createHash('sha256').update(prevHash).update(`${seq}|${action}`).digest();
    return {
      at: 1_700_000_000_000 + seq,
      action,
      actorId: null,
      subjectId,
      ip: '192.0.2.0',
      details: `{"seq":${seq}}`,
      privateCiphertext: subjectId ? Buffer.from([1, 2, seq % 256]) : null,
      hash,
      hmac: createHash('sha256').update(hash).digest(),
    };
  };
}

/** Every row links to the one before it and the head names the last. */
async function expectChain(store: Store, length: number): Promise<void> {
  const rows = await store.audit.page(0, length + 10);
  expect(rows.map((r) => r.seq)).toEqual(Array.from({ length }, (_, i) => i + 1));
  let prev: Buffer = Buffer.alloc(32);
  for (const row of rows) {
    expect(row.prevHash.equals(prev), `seq ${row.seq}`).toBe(true);
    expect(row.hash.equals(createHash('sha256').update(prev).update(`${row.seq}|${row.action}`).digest())).toBe(true);
    prev = row.hash;
  }
  const head = await store.audit.head();
  expect(head.lastSeq).toBe(length);
  expect(head.lastHash.equals(prev)).toBe(true);
}

eachDatabase('audit repository', (kind) => {
  let database: TestDatabase;
  let store: Store;
  beforeEach(async () => {
    database = await createTestDatabase(kind);
    store = await openStore(database.target);
  });
  afterEach(async () => {
    await store.close();
    await database.drop();
  });

  it('starts with an empty head', async () => {
    expect(await store.audit.head()).toEqual({ lastSeq: 0, lastHash: Buffer.alloc(32) });
    expect(await store.audit.page(0, 10)).toEqual([]);
  });

  it('appends with consecutive seqs, each built from the previous hash, and round-trips every column', async () => {
    const seen: Array<[number, string]> = [];
    for (let i = 0; i < 3; i++) {
      const row = await store.audit.append((seq, prevHash) => {
        seen.push([seq, prevHash.toString('hex')]);
        return build('person-1')(seq, prevHash);
      });
      expect(row.seq).toBe(i + 1);
    }
    const rows = await store.audit.page(0, 10);
    expect(seen).toEqual(rows.map((r) => [r.seq, r.prevHash.toString('hex')]));
    expect(rows[1]).toEqual({
      seq: 2,
      at: 1_700_000_000_002,
      action: 'auth.login.success',
      actorId: null,
      subjectId: 'person-1',
      ip: '192.0.2.0',
      details: '{"seq":2}',
      privateCiphertext: Buffer.from([1, 2, 2]),
      prevHash: rows[0]?.hash,
      hash: expect.any(Buffer),
      hmac: expect.any(Buffer),
    });
    await expectChain(store, 3);
    expect((await store.audit.page(1, 1)).map((r) => r.seq)).toEqual([2]);
    expect(await store.audit.page(3, 10)).toEqual([]);
  });

  it('leaves neither a row nor a moved head when the build fails', async () => {
    await store.audit.append(build());
    await expect(
      store.audit.append(() => {
        throw new Error('build failed');
      }),
    ).rejects.toThrow('build failed');
    expect((await store.audit.head()).lastSeq).toBe(1);
    expect((await store.audit.append(build())).seq).toBe(2);
    await expectChain(store, 2);
  });

  it("reads a subject's entries newest first, a page at a time", async () => {
    for (const subject of ['a', 'b', 'a', null, 'a', 'b']) await store.audit.append(build(subject));
    const seqs = async (options: { beforeSeq?: number; limit: number }) =>
      (await store.audit.bySubject('a', options)).map((r) => r.seq);
    expect(await seqs({ limit: 10 })).toEqual([5, 3, 1]);
    expect(await seqs({ limit: 2 })).toEqual([5, 3]);
    expect(await seqs({ limit: 2, beforeSeq: 3 })).toEqual([1]);
    expect((await store.audit.bySubject('b', { limit: 10 })).map((r) => r.seq)).toEqual([6, 2]);
  });

  it('queues 50 concurrent appends at the head: no gap, no fork', async () => {
    await Promise.all(Array.from({ length: 50 }, () => store.audit.append(build())));
    await expectChain(store, 50);
  });

  it('queues appends from two stores on the same database', async () => {
    const other = await openStore(database.target);
    try {
      await Promise.all(Array.from({ length: 40 }, (_, i) => (i % 2 ? other : store).audit.append(build())));
      await expectChain(store, 40);
      await expectChain(other, 40);
    } finally {
      await other.close();
    }
  });

  it('offers no way to change or remove an entry', () => {
    expect(Object.keys(store.audit).sort()).toEqual(['append', 'bySubject', 'head', 'page']);
  });
});
