/**
 * Recording to the audit log: consecutive seqs, linked hashes, HMACs under
 * the keyring's audit key, truncated addresses and checked details — also
 * with many appenders at once, in one store and in two stores (each with
 * its own keyring) on the same database.
 */
import { createHmac } from 'node:crypto';
import { afterAll, beforeAll, beforeEach, expect, it } from 'vitest';
import { openKeyring } from '../../src/keys/keyring.js';
import { AUDIT_ACTIONS, type AuditDetails } from '../../src/audit/actions.js';
import { auditLog } from '../../src/audit/audit-log.js';
import { entryHash, GENESIS_HASH } from '../../src/audit/chain.js';
import { eachDatabase } from '../../../../test/support/databases.js';
import { openAudit, rawRows, ticking, type AuditFixture } from './audit-fixtures.js';

eachDatabase('audit log: recording', (kind) => {
  let f: AuditFixture;
  beforeAll(async () => {
    f = await openAudit(kind);
  });
  afterAll(async () => {
    await f.close();
  });
  beforeEach(async () => {
    await f.reset();
  });

  it('assigns consecutive seqs and links each hash to the previous one, with an HMAC under the audit key', async () => {
    const subject = await f.person();
    const seqs = [];
    for (const action of ['auth.signup', 'auth.login.success', 'token.create', 'auth.logout'] as const) {
      seqs.push(
        (await f.audit.record({ action, actorId: subject, subjectId: subject, details: { n: seqs.length } })).seq,
      );
    }
    expect(seqs).toEqual([1, 2, 3, 4]);
    const rows = await f.store.audit.page(0, 100);
    expect(rows.map((r) => r.seq)).toEqual([1, 2, 3, 4]);
    let prev = GENESIS_HASH;
    for (const row of rows) {
      expect(row.prevHash.equals(prev)).toBe(true);
      expect(row.hash.equals(entryHash(prev, row))).toBe(true);
      expect(row.hmac.equals(createHmac('sha256', f.keyring.auditHmacKey).update(row.hash).digest())).toBe(true);
      prev = row.hash;
    }
    const head = await f.store.audit.head();
    expect(head.lastSeq).toBe(4);
    expect(head.lastHash.equals(prev)).toBe(true);
    expect(rows.map((r) => r.at)).toEqual([...rows.map((r) => r.at)].sort((a, b) => a - b));
    expect(await f.audit.verify()).toEqual({ ok: true, entries: 4 });
  });

  it('verifies an empty log', async () => {
    expect(await f.audit.verify()).toEqual({ ok: true, entries: 0 });
  });

  it('stores a truncated IP address and the details as given', async () => {
    await f.audit.record({ action: 'auth.login.failure', ip: '2001:db8:1234:5678::9', details: { attempts: 3 } });
    await f.audit.record({ action: 'auth.login.failure', ip: '192.0.2.200' });
    const rows = await f.raw(rawRows);
    expect(rows.map((r) => [r['ip'], r['details'], r['subject_id'], r['private_ct']])).toEqual([
      ['2001:db8:1234::', '{"attempts":3}', null, null],
      ['192.0.2.0', '{}', null, null],
    ]);
  });

  it('refuses details that look personal, and unknown actions, writing nothing', async () => {
    const refused: AuditDetails[] = [
      { email: 'x' },
      { userAgent: 'x' },
      { Password_Hash: 'x' },
      { who: 'someone@example.org' },
      { page: 'https://example.org/a' },
      { peer: '203.0.113.9' },
      { scopes: ['read', 'me@example.org'] },
      { padding: 'x'.repeat(2000) },
    ];
    for (const details of refused) {
      await expect(f.audit.record({ action: 'admin.action', details })).rejects.toThrow(TypeError);
    }
    const bogus = { action: 'auth.bogus' } as unknown as Parameters<AuditFixture['audit']['record']>[0];
    await expect(f.audit.record(bogus)).rejects.toThrow(/unknown action/);
    await expect(f.audit.record({ action: 'auth.login.success', private: { ip: '192.0.2.1' } })).rejects.toThrow(
      /subject/,
    );
    expect(await f.store.audit.head()).toMatchObject({ lastSeq: 0 });
    await f.audit.record({ action: 'token.create', details: { tokenId: 'tok-1', scopes: ['read', 'write'], n: 2 } });
    expect(await f.audit.verify()).toEqual({ ok: true, entries: 1 });
  });

  it('knows every event docs/SECURITY.md asks for', () => {
    for (const action of ['auth.signup', 'mfa.recovery_code_used', 'team.member_view', 'keys.rotate', 'config.start']) {
      expect(AUDIT_ACTIONS).toContain(action);
    }
  });

  it('keeps a gap-free chain under 50 concurrent records', async () => {
    const subject = await f.person();
    const results = await Promise.all(
      Array.from({ length: 50 }, (_, i) =>
        f.audit.record({ action: 'team.member_view', actorId: subject, subjectId: subject, details: { i } }),
      ),
    );
    expect(results.map((r) => r.seq).sort((a, b) => a - b)).toEqual(Array.from({ length: 50 }, (_, i) => i + 1));
    expect(await f.audit.verify()).toEqual({ ok: true, entries: 50 });
  });

  it('keeps a gap-free chain when two stores with their own keyrings append at once', async () => {
    const subject = await f.person();
    const otherStore = await f.db.openAnother();
    const otherKeyring = await openKeyring({ repo: otherStore.keyring, source: f.folder.source });
    const other = auditLog({ repo: otherStore.audit, keyring: otherKeyring, now: ticking() });
    const record = (i: number) =>
      (i % 2 === 0 ? f.audit : other).record({
        action: 'data.export',
        subjectId: subject,
        details: { i },
        private: { ip: '192.0.2.1' },
      });
    const results = await Promise.all(Array.from({ length: 60 }, (_, i) => record(i)));
    expect(new Set(results.map((r) => r.seq)).size).toBe(60);
    expect(await f.audit.verify()).toEqual({ ok: true, entries: 60 });
    expect(await other.verify()).toEqual({ ok: true, entries: 60 });
    const log = await f.audit.securityLog(subject, { limit: 500 });
    expect(log).toHaveLength(60);
    expect(log.every((e) => e.private?.['ip'] === '192.0.2.1')).toBe(true);
  });
});
