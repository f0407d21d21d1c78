/**
 * Where a start page sends the visitor once signed in: the `?next=` path they
 * came from (e.g. a device approval link), carried through log-in, first run
 * and sign-up alike.
 */

/** Only same-site paths: an open redirect through `?next=` would be a phishing aid. */
export function safeNext(next: string | null): string {
  return next && next.startsWith('/') && !next.startsWith('//') && !next.startsWith('/\\') ? next : '/';
}

/** `path`, keeping the `next` path when there is one to keep. */
export function withNext(path: string, next: string): string {
  return next === '/' ? path : `${path}?next=${encodeURIComponent(next)}`;
}
