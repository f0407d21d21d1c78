/**
 * The promise of encryption at rest, checked on the bytes: people's emails,
 * names and every kind of interned name are planted with unique markers, and
 * the database files (SQLite: data, keyring and their WAL files, while the
 * server runs and after it stops; PostgreSQL: a full pg_dump, keyring schema
 * included) must not hold any marker, in UTF-8, UTF-16 or another case. A
 * marker written in plaintext on purpose proves the scan can see.
 */
import { existsSync, readdirSync, statSync } from 'node:fs';
import { join } from 'node:path';
import { afterAll, beforeAll, expect, it } from 'vitest';
import { NAME_KINDS, type NameKind } from '../../src/index.js';
import { eachDatabase } from '../../../../test/support/databases.js';
import { fullPgDump, marker, readFiles, scanBuffers, startAtRestServer, type AtRestServer } from './support.js';

const PEOPLE = 3;
const CONTROL_KEY = 'test.plaintext-control';

/** Every personal value of one person, each carrying markers of its own. */
function personalValues(markers: string[]): { email: string; displayName: string; names: Array<[NameKind, string]> } {
  const mark = (prefix?: string): string => {
    const m = marker(prefix);
    markers.push(m);
    return m;
  };
  const long = mark('LongTitle');
  const names: Array<[NameKind, string]> = [
    ['app', `App ${mark('MkApp')}`],
    ['app', `${mark('Ünïcödé')}.exe`],
    ['title', `Quarterly report ${mark('MkTitle')} — Draft`],
    ['title', `${long} ${'x'.repeat(1_000)} ${long} `.padEnd(2_000, 'y')],
    ['title', `会议记录 ${mark('時間')} 🕐`],
    ['domain', `${mark('mkdomain')}.example.org`],
    ['url', `https://www.example.org/${mark('MkPath')}?q=${mark('MkQuery')}`],
    ['file', `/home/someone/Documents/${mark('MkFile')}.odt`],
    ['file', `C:\\Users\\Ñandú\\${mark('Ñandú')}.docx`],
  ];
  if (!names.some(([, value]) => value.length === 2_000)) throw new Error('the long title must be 2 000 characters');
  return { email: `${mark('MkMail')}@Example.ORG`, displayName: `Dr. ${mark('MkName')} Ünïcödé`, names };
}

eachDatabase('no personal plaintext at rest', (kind) => {
  let ctx: AtRestServer;
  const markers: string[] = [];
  const control = marker('PlainControl');
  const kindsPlanted = new Set<string>();

  beforeAll(async () => {
    ctx = await startAtRestServer(kind);
    const { services, store } = ctx.server;
    for (let i = 0; i < PEOPLE; i++) {
      const values = personalValues(markers);
      const created = await services.people.create({ email: values.email, displayName: values.displayName });
      if (created === 'email_taken') throw new Error('email unexpectedly taken');
      for (const [nameKind, value] of values.names) {
        await services.names.intern(created.id, nameKind, value);
        kindsPlanted.add(nameKind);
      }
      // Read back, so the scan looks at a database the server really uses.
      expect((await services.people.get(created.id))?.email).toBe(values.email);
    }
    await store.instanceMeta.setIfAbsent(CONTROL_KEY, `plaintext on purpose: ${control}`, Date.now());
  });

  afterAll(async () => {
    await ctx.dispose();
  });

  it('plants a marker in every kind of name, and a 2 000-character title', () => {
    expect([...kindsPlanted].sort()).toEqual([...NAME_KINDS].sort());
    expect(markers).toHaveLength(PEOPLE * 12);
    expect(new Set(markers).size).toBe(markers.length);
  });

  it('the scanner finds a marker in UTF-8, UTF-16LE, UTF-16BE, hex and in another case', () => {
    const m = marker('Ünïcödé');
    const padded = (bytes: Buffer): Buffer => Buffer.concat([Buffer.alloc(7, 1), bytes, Buffer.alloc(5, 2)]);
    const cases: Array<[Buffer, string]> = [
      [padded(Buffer.from(m, 'utf8')), 'utf8'],
      [padded(Buffer.from(m, 'utf16le')), 'utf16le'],
      [padded(Buffer.from(m, 'utf16le').swap16()), 'utf16be'],
      [padded(Buffer.from(Buffer.from(m.toLowerCase(), 'utf8').toString('hex'), 'latin1')), 'hex-utf8'],
      [padded(Buffer.from(m.toLowerCase(), 'utf16le')), 'utf16le'],
      [padded(Buffer.from(m.toUpperCase(), 'utf8')), 'utf8'],
    ];
    for (const [bytes, encoding] of cases) {
      const found = scanBuffers(new Map([['synthetic', bytes]]), [m], ['utf8', 'utf16le', 'utf16be', 'hex-utf8']);
      expect(found.map((f) => f.encoding)).toContain(encoding);
    }
    expect(scanBuffers(new Map([['synthetic', Buffer.from(marker(), 'utf8')]]), [m])).toEqual([]);
  });

  if (kind === 'sqlite') {
    const databaseFiles = (): string[] =>
      readdirSync(ctx.dataDir)
        .map((name) => join(ctx.dataDir, name))
        .filter((file) => statSync(file).isFile());

    it('while the server runs: no marker in sundial.db, the keyring or their WAL files', () => {
      const files = databaseFiles();
      const wal = join(ctx.dataDir, 'sundial.db-wal');
      expect(files).toEqual(
        expect.arrayContaining([join(ctx.dataDir, 'sundial.db'), wal, join(ctx.dataDir, 'sundial.keyring.db')]),
      );
      expect(statSync(wal).size).toBeGreaterThan(0);
      const buffers = readFiles(files);
      expect(scanBuffers(buffers, [control]).length, 'the control marker must be found').toBeGreaterThan(0);
      expect(scanBuffers(buffers, markers)).toEqual([]);
    });

    it('after the server stops: no marker in the checkpointed files either', async () => {
      await ctx.server.close();
      expect(existsSync(join(ctx.dataDir, 'sundial.db-wal'))).toBe(false);
      const buffers = readFiles(databaseFiles());
      expect([...buffers.keys()]).toEqual(
        expect.arrayContaining([join(ctx.dataDir, 'sundial.db'), join(ctx.dataDir, 'sundial.keyring.db')]),
      );
      expect(scanBuffers(buffers, [control]).length, 'the control marker must be found').toBeGreaterThan(0);
      expect(scanBuffers(buffers, markers)).toEqual([]);
    });
  } else {
    it('no marker in a full pg_dump (data and keyring schemas), as text or as hex of bytea', () => {
      if (ctx.database.target.kind !== 'postgres') throw new Error('expected PostgreSQL');
      const dump = fullPgDump(ctx.database.target.url, join(ctx.scratch, 'full.sql'));
      const text = dump.toString('utf8');
      expect(text).toMatch(/COPY sundial_keyring\.data_keys /);
      expect(text).toMatch(/COPY public\.names /);
      const buffers = new Map([['pg_dump', dump]]);
      expect(scanBuffers(buffers, [control]).length, 'the control marker must be found').toBeGreaterThan(0);
      expect(scanBuffers(buffers, markers, ['utf8', 'utf16le', 'utf16be', 'hex-utf8'])).toEqual([]);
    });
  }
});
