import fc from 'fast-check';
import { describe, expect, it } from 'vitest';
import { maskDatabaseUrl, parseDatabaseUrl } from '../src/database-url.js';

const base = '/srv/sundial';

describe('parseDatabaseUrl: SQLite', () => {
  it.each([
    ['sqlite:relative.db', '/srv/sundial/relative.db'],
    ['sqlite:data/nested/x.db', '/srv/sundial/data/nested/x.db'],
    ['sqlite:../up.db', '/srv/up.db'],
    ['sqlite://relative.db', '/srv/sundial/relative.db'],
    ['sqlite:///abs/x.db', '/abs/x.db'],
    ['sqlite:/abs/x.db', '/abs/x.db'],
    ['SQLite:/abs/X.db', '/abs/X.db'],
    ['  sqlite:/abs/x.db \n', '/abs/x.db'],
  ])('%j names the file %s', (text, file) => {
    expect(parseDatabaseUrl(text, base)).toEqual({ kind: 'sqlite', file });
  });

  it.each([
    ['file:///abs/x.db', '/abs/x.db'],
    ['file://localhost/abs/x.db', '/abs/x.db'],
    ['file:///abs/with%20space.db', '/abs/with space.db'],
    ['FILE:///abs/x.db', '/abs/x.db'],
  ])('the file: URL %j names %s', (text, file) => {
    expect(parseDatabaseUrl(text, base)).toEqual({ kind: 'sqlite', file });
  });

  it('refuses a file: URL with a remote host', () => {
    expect(parseDatabaseUrl('file://otherhost/x.db', base)).toEqual({
      error: expect.stringMatching(/absolute file: URL/),
    });
  });

  it('refuses a relative file: URL, which would silently mean a path under /', () => {
    expect(parseDatabaseUrl('file:data/x.db', base)).toEqual({ error: expect.stringMatching(/absolute file: URL/) });
  });

  it('refuses sqlite: with no path', () => {
    for (const bare of ['sqlite:', 'sqlite://', 'sqlite:///']) {
      expect(parseDatabaseUrl(bare, base), bare).toEqual({ error: expect.stringMatching(/names no SQLite file/) });
    }
  });

  it('refuses sqlite: without a path', () => {
    expect(parseDatabaseUrl('sqlite:', base)).toHaveProperty('error');
  });
});

describe('parseDatabaseUrl: PostgreSQL', () => {
  it.each([
    'postgres://postgres@127.0.0.1:5432/sundial',
    'postgres://sundial:s3cret@db.example.org:5432/sundial',
    'postgresql://sundial@db.example.org/sundial',
    'postgresql://sundial:p%40ss@db.example.org:6432/sundial?sslmode=require',
    'POSTGRES://sundial@[::1]:5432/sundial',
    'postgres:///sundial?host=/var/run/postgresql',
  ])('keeps %j as it is', (url) => {
    expect(parseDatabaseUrl(url, base)).toEqual({ kind: 'postgres', url });
  });

  it('trims surrounding blanks', () => {
    expect(parseDatabaseUrl(' postgres://u@h/db\n', base)).toEqual({ kind: 'postgres', url: 'postgres://u@h/db' });
  });

  it('refuses a URL without a host', () => {
    const result = parseDatabaseUrl('postgres:///sundial', base);
    expect(result).toEqual({ error: expect.stringMatching(/^names no PostgreSQL host/) });
  });

  it.each(['postgres://u@127.0.0.1:5432', 'postgres://u@127.0.0.1:5432/', 'postgresql://u:pw@h'])(
    'refuses %j, which names no database',
    (url) => {
      expect(parseDatabaseUrl(url, base)).toEqual({ error: expect.stringMatching(/^names no PostgreSQL database/) });
    },
  );

  it.each(['postgres://[::1/db', 'postgres://u@h:99999/db', 'postgres://u@h:port/db'])(
    'refuses the malformed URL %j',
    (url) => {
      expect(parseDatabaseUrl(url, base)).toEqual({ error: expect.stringMatching(/^is not a valid PostgreSQL URL/) });
    },
  );
});

describe('parseDatabaseUrl: anything else', () => {
  it.each(['mysql://u:pw@h/db', '', '   ', 'garbage', 'sundial.db', '/abs/x.db', 'postgres:/h/db', 'http://h/db'])(
    'refuses %j',
    (text) => {
      expect(parseDatabaseUrl(text, base)).toEqual({
        error: 'must start with sqlite:, file:, postgres:// or postgresql://',
      });
    },
  );

  it('never throws, and answers either a target or an error', () => {
    const prefixes = fc.constantFrom('', 'sqlite:', 'file:', 'postgres://', 'postgresql://', 'mysql://');
    fc.assert(
      fc.property(prefixes, fc.string({ unit: 'binary', maxLength: 40 }), (prefix, rest) => {
        const result = parseDatabaseUrl(prefix + rest, base);
        if ('error' in result) expect(result.error).toMatch(/\S/);
        else expect(['sqlite', 'postgres']).toContain(result.kind);
      }),
      { numRuns: 500 },
    );
  });
});

describe('maskDatabaseUrl', () => {
  it.each([
    ['postgres://sundial:s3cret@127.0.0.1:5432/sundial', 'postgres://sundial:***@127.0.0.1:5432/sundial'],
    ['postgresql://sundial:s3cret@db/sundial', 'postgresql://sundial:***@db/sundial'],
    ['POSTGRES://u:p%40ss%2Fw0rd@db/x', 'postgres://u:***@db/x'],
    ['postgres://:s3cret@db/x', 'postgres://:***@db/x'],
    ['postgres://u@db/x?password=s3cret&sslmode=require', 'postgres://u@db/x?password=***&sslmode=require'],
    ['postgres://u:pw@db/x?application_name=a@b', 'postgres://u:***@db/x?application_name=a@b'],
  ])('hides the password of %j', (url, masked) => {
    expect(maskDatabaseUrl(url)).toBe(masked);
  });

  it.each([
    'postgres://postgres@127.0.0.1:5432/test',
    'postgresql://db.example.org:5432/sundial',
    'postgres:///sundial?host=/var/run/postgresql',
    'sqlite:/abs/x.db',
    'file:///abs/x.db',
  ])('leaves %j unchanged', (url) => {
    expect(maskDatabaseUrl(url)).toBe(url);
  });

  it('hides any URL-safe password', () => {
    fc.assert(
      fc.property(fc.stringMatching(/^[A-Za-z0-9._~%!$&'()*+,;=:-]{1,30}$/), (password) => {
        expect(maskDatabaseUrl(`postgres://sundial:${password}@db.example.org:5432/sundial`)).toBe(
          'postgres://sundial:***@db.example.org:5432/sundial',
        );
      }),
      { numRuns: 300 },
    );
  });
});
