/**
 * No personal data in the audit log's clear columns: the full IP address and
 * the user agent live only in the entry's private part, encrypted for the
 * subject, who sees them in their security log — until their key is
 * shredded, after which the entries (and the chain) stay but that part is
 * gone for good.
 */
import { existsSync, readFileSync } from 'node:fs';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { eachDatabase } from '../../../../test/support/databases.js';
import { marker, scanBuffers } from '../at-rest/support.js';
import { openAudit, rawRows, type AuditFixture } from './audit-fixtures.js';

const FULL_IP = '203.0.113.77';
const TRUNCATED_IP = '203.0.113.0';

/** Every stored value of the audit table as bytes: text as UTF-8, binary as is. */
function rowBytes(rows: ReadonlyArray<Record<string, unknown>>): Map<string, Buffer> {
  const out = new Map<string, Buffer>();
  rows.forEach((row, i) => {
    for (const [column, value] of Object.entries(row)) {
      if (value instanceof Uint8Array) out.set(`${i}.${column}`, Buffer.from(value));
      else if (value !== null) out.set(`${i}.${column}`, Buffer.from(String(value), 'utf8'));
    }
  });
  return out;
}

eachDatabase('audit log: personal data', (kind) => {
  let f: AuditFixture;
  let subject = '';
  let other = '';
  const userAgent = `Marker-UA-${marker()}`;

  beforeAll(async () => {
    f = await openAudit(kind);
    subject = await f.person();
    other = await f.person();
    for (const action of ['auth.login.failure', 'auth.login.success', 'session.revoke'] as const) {
      await f.audit.record({
        action,
        actorId: subject,
        subjectId: subject,
        ip: FULL_IP,
        details: { sessionCount: 2, method: 'password' },
        private: { ip: FULL_IP, userAgent },
      });
    }
    await f.audit.record({ action: 'data.export', subjectId: other, ip: FULL_IP, private: { ip: FULL_IP } });
  });
  afterAll(async () => {
    await f.close();
  });

  it('keeps neither the full IP address nor the user agent in the table', async () => {
    const stored = rowBytes(await f.raw(rawRows));
    expect(scanBuffers(stored, [FULL_IP, userAgent], ['utf8', 'utf16le', 'utf16be', 'hex-utf8'])).toEqual([]);
    // The scan does see the table: the truncated address is there in the clear.
    expect(scanBuffers(stored, [TRUNCATED_IP])).not.toEqual([]);
    const target = f.db.database.target;
    if (target.kind === 'sqlite') {
      const files = [target.file, `${target.file}-wal`].filter((file) => existsSync(file));
      const contents = new Map(files.map((file) => [file, readFileSync(file)]));
      expect(scanBuffers(contents, [FULL_IP, userAgent])).toEqual([]);
    }
  });

  it('shows the subject their own entries, newest first, with the private part decrypted', async () => {
    const log = await f.audit.securityLog(subject);
    expect(log.map((e) => e.action)).toEqual(['session.revoke', 'auth.login.success', 'auth.login.failure']);
    for (const entry of log) {
      expect(entry.ip).toBe(TRUNCATED_IP);
      expect(entry.private).toEqual({ ip: FULL_IP, userAgent });
      expect(entry.details).toEqual({ sessionCount: 2, method: 'password' });
    }
    const page = await f.audit.securityLog(subject, { limit: 1, beforeSeq: log[0]?.seq });
    expect(page.map((e) => e.action)).toEqual(['auth.login.success']);
    expect((await f.audit.securityLog(other)).map((e) => e.private)).toEqual([{ ip: FULL_IP }]);
  });

  it('after the subject is shredded keeps the entries and the chain, but not the private part', async () => {
    expect(await f.keyring.shred(subject)).toBe(1);
    const log = await f.audit.securityLog(subject);
    expect(log).toHaveLength(3);
    expect(log.map((e) => e.private)).toEqual([null, null, null]);
    expect(log.map((e) => e.ip)).toEqual([TRUNCATED_IP, TRUNCATED_IP, TRUNCATED_IP]);
    expect(await f.audit.verify()).toEqual({ ok: true, entries: 4 });
    expect((await f.audit.securityLog(other)).map((e) => e.private)).toEqual([{ ip: FULL_IP }]);
    // A later event about them never re-creates a key: its private part is dropped.
    await f.audit.record({ action: 'account.delete', subjectId: subject, private: { ip: FULL_IP } });
    const [latest] = await f.audit.securityLog(subject, { limit: 1 });
    expect(latest).toMatchObject({ action: 'account.delete', private: null });
    expect(await f.keyring.existingDataKey(subject)).toBeNull();
    const rows = await f.raw(rawRows);
    expect(rows.at(-1)?.['private_ct']).toBeNull();
    expect(await f.audit.verify()).toEqual({ ok: true, entries: 5 });
  });
});
