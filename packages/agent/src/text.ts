/**
 * Untrusted strings from watchers and local clients, made safe to store:
 * lone UTF-16 surrogates (what invalid UTF-8 decodes to in some paths) and
 * NUL become U+FFFD, and anything longer than the server keeps is cut
 * without splitting a surrogate pair.
 */

/** The server keeps at most this many UTF-16 units of a name (packages/server content.ts). */
export const TEXT_LIMIT = 2048;

const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/g;

export function cleanText(value: string, limit = TEXT_LIMIT): string {
  // eslint-disable-next-line no-control-regex -- NUL is exactly what is being removed
  let text = value.replace(LONE_SURROGATE, '\uFFFD').replace(/\u0000/g, '\uFFFD');
  if (text.length > limit) {
    const cut = /[\uD800-\uDBFF]/.test(text.charAt(limit - 1)) ? limit - 1 : limit;
    text = text.slice(0, cut);
  }
  return text;
}
