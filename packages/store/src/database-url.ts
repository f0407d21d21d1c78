/**
 * Which database a URL names. SQLite is the embedded default; a
 * `postgres://` or `postgresql://` URL selects PostgreSQL.
 */
import { isAbsolute, resolve } from 'node:path';
import { fileURLToPath } from 'node:url';

export type DatabaseTarget =
  { readonly kind: 'sqlite'; readonly file: string } | { readonly kind: 'postgres'; readonly url: string };

export type DatabaseKind = DatabaseTarget['kind'];

/**
 * Parses `sqlite:<path>`, `sqlite://<absolute path>`, `file:<path>` or a
 * PostgreSQL URL. Returns an error message (never throws) for anything else.
 */
export function parseDatabaseUrl(text: string, baseDir: string): DatabaseTarget | { error: string } {
  const value = text.trim();
  if (/^postgres(ql)?:\/\//i.test(value)) {
    let url: URL;
    try {
      url = new URL(value);
    } catch {
      return { error: 'is not a valid PostgreSQL URL (expected postgres://user@host:port/database)' };
    }
    if (!url.hostname && !url.searchParams.has('host')) {
      return { error: 'names no PostgreSQL host (expected postgres://user@host:port/database)' };
    }
    if (url.pathname.replace(/^\//, '') === '') {
      return { error: 'names no PostgreSQL database (expected postgres://user@host:port/database)' };
    }
    return { kind: 'postgres', url: value };
  }
  if (/^file:/i.test(value)) {
    // A file: URL is always absolute (file:data/x.db would silently mean
    // /data/x.db), so only the explicit file:/// and file://localhost/ forms.
    if (!/^file:\/\/(localhost)?\//i.test(value)) {
      return {
        error: 'must be an absolute file: URL (file:///path/to/sundial.db); use sqlite:<path> for a relative path',
      };
    }
    try {
      return { kind: 'sqlite', file: fileURLToPath(value) };
    } catch {
      return { error: 'is not a valid file: URL' };
    }
  }
  const sqlite = /^sqlite:(?:\/\/)?(.*)$/i.exec(value);
  if (sqlite) {
    const path = sqlite[1] ?? '';
    if (path.replace(/\//g, '') === '') return { error: 'names no SQLite file (expected sqlite:<path>)' };
    return { kind: 'sqlite', file: isAbsolute(path) ? path : resolve(baseDir, path) };
  }
  return { error: 'must start with sqlite:, file:, postgres:// or postgresql://' };
}

const MASK = '***';

/** The URL with any password (user-info or `password=` parameter) replaced, for logs and messages. */
export function maskDatabaseUrl(text: string): string {
  if (!/^postgres(ql)?:\/\//i.test(text)) return text;
  try {
    const url = new URL(text);
    if (url.password) url.password = MASK;
    if (url.searchParams.has('password')) url.searchParams.set('password', MASK);
    return url.toString();
  } catch {
    // Not parseable: hide everything between the scheme and the last '@', and any password parameter.
    return text.replace(/^(postgres(?:ql)?:\/\/)[^/?#]*@/i, `$1${MASK}@`).replace(/(password=)[^&]*/gi, `$1${MASK}`);
  }
}
