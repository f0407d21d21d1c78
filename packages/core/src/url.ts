/**
 * URL helpers: the site a URL belongs to (for ignore rules, the "domain"
 * detail level and reports by site) and the split of a URL into the parts
 * query2's split_url_events exposes.
 *
 * Parsing is the WHATWG URL standard (the global URL class), the same
 * standard the Rust `url` crate behind aw-server-rust implements, so hosts
 * come out lowercased and punycoded, without port or credentials.
 */

/**
 * The global WHATWG URL class (Node and browsers), declared here because core
 * compiles without DOM or Node types; only the parts used below.
 */
declare const URL: new (input: string) => {
  readonly protocol: string;
  readonly hostname: string;
  readonly pathname: string;
  readonly search: string;
  readonly hash: string;
};

type ParsedUrl = InstanceType<typeof URL>;

function parse(url: string): ParsedUrl | null {
  try {
    return new URL(url);
  } catch {
    return null;
  }
}

/** Leading "www." labels removed, like aw-server-rust's trim_start_matches("www."). */
function stripWww(host: string): string {
  return host.replace(/^(?:www\.)+/, '');
}

/**
 * The host of an http(s) URL as it was visited: lowercased, without port and
 * without the trailing dot of a fully qualified name, but with any "www.".
 * Null for other schemes (file:, about:, chrome://, data:, …) and for what
 * does not parse.
 */
export function hostOf(url: string): string | null {
  const parsed = parse(url);
  if (parsed === null || (parsed.protocol !== 'http:' && parsed.protocol !== 'https:')) return null;
  const host = parsed.hostname.toLowerCase().replace(/\.$/, '');
  return host === '' ? null : host;
}

/**
 * The canonical form of a site name: lowercased, without a trailing dot and
 * without leading "www." labels. "WWW.Example.com." → "example.com".
 */
export function normaliseDomain(domain: string): string {
  return stripWww(domain.toLowerCase().replace(/\.$/, ''));
}

/**
 * The site of an http(s) URL: `https://www.Example.com:8443/a?b#c` →
 * `example.com`. Null for other schemes (file:, about:, chrome://, …), for
 * what does not parse.
 */
export function domainOf(url: string): string | null {
  const host = hostOf(url);
  return host === null ? null : normaliseDomain(host);
}

/** The parts of a URL, named after query2's `$protocol`, `$domain`, `$path`, `$params`, `$options`. */
export interface SplitUrl {
  /** The scheme without ":" — "https", "file", "about". */
  readonly protocol: string;
  /** The host without leading "www." labels; for a URL without a host, the scheme. */
  readonly domain: string;
  /** The path, percent-encoded as the URL standard serialises it. */
  readonly path: string;
  /** The query without "?", or "". */
  readonly params: string;
  /** The fragment without "#", or "". */
  readonly options: string;
}

/**
 * A URL split like aw-server-rust's split_url_event (aw-transform/src/split_url.rs):
 * protocol = scheme, domain = host with leading "www." removed (the scheme
 * when there is no host, so file: and about: pages group under "file" and
 * "about"), path = path, params = query. Null where that function adds
 * nothing: when the URL does not parse.
 *
 * Deviation: aw-server-rust sets no `$options` (its source has a TODO), and
 * aw-core (Python) uses `$options` for the query and `$identifier` for the
 * fragment. Here `options` is the fragment, so no part is reported twice.
 * Unlike domainOf, the domain keeps a trailing dot and non-http hosts, as
 * aw-server-rust does.
 */
export function splitUrl(url: string): SplitUrl | null {
  const parsed = parse(url);
  if (parsed === null) return null;
  const protocol = parsed.protocol.replace(/:$/, '');
  return {
    protocol,
    domain: parsed.hostname === '' ? protocol : stripWww(parsed.hostname),
    path: parsed.pathname,
    params: parsed.search.replace(/^\?/, ''),
    options: parsed.hash.replace(/^#/, ''),
  };
}
