/**
 * What an event says, as Sundial keeps it: the strings that go to the names
 * dictionary (app, title, url, domain), the away flag, and any other fields
 * (`extra`, kept as encrypted JSON). `readContent` turns a client's `data`
 * object into this, with a message naming the field on bad input;
 * `contentData` turns it back into the `data` object clients see.
 */
import type { ActivityKind } from '@sundial/store';

export const STRING_LIMIT = 2048;
/** The other fields of one event, as JSON. */
const EXTRA_LIMIT_BYTES = 8 * 1024;

/** A UTF-16 surrogate without its partner: not text, and not encryptable as UTF-8. */
const LONE_SURROGATE = /[\uD800-\uDBFF](?![\uDC00-\uDFFF])|(?<![\uD800-\uDBFF])[\uDC00-\uDFFF]/;

export interface Content {
  readonly app?: string;
  readonly title?: string;
  readonly url?: string;
  readonly domain?: string;
  /** away events: true when the person was away. */
  readonly away?: boolean;
  readonly extra?: Readonly<Record<string, unknown>>;
}

export class ContentError extends Error {
  constructor(
    readonly field: string,
    message: string,
  ) {
    super(`${field}: ${message}`);
  }
}

/** The kind an ActivityWatch bucket type maps to; null for types accepted and dropped. */
export function kindOfBucketType(type: string): ActivityKind | null {
  if (type === 'currentwindow') return 'window';
  if (type === 'web.tab.current') return 'web';
  if (type === 'afkstatus') return 'away';
  if (type === 'os.hid.input') return null;
  return 'other';
}

function optionalString(data: Record<string, unknown>, field: string, truncate: boolean): string | undefined {
  const value = data[field];
  if (value === undefined || value === null) return undefined;
  if (typeof value !== 'string') throw new ContentError(`data.${field}`, 'must be a string');
  if (LONE_SURROGATE.test(value)) throw new ContentError(`data.${field}`, 'must be well-formed Unicode text');
  if (value.length <= STRING_LIMIT) return value;
  if (truncate) {
    // Never split a surrogate pair: the kept text must stay well-formed.
    const cut = /[\uD800-\uDBFF]/.test(value.charAt(STRING_LIMIT - 1)) ? STRING_LIMIT - 1 : STRING_LIMIT;
    return value.slice(0, cut);
  }
  throw new ContentError(`data.${field}`, `must be at most ${STRING_LIMIT} characters (got ${value.length})`);
}

function requiredString(data: Record<string, unknown>, field: string): string {
  const value = optionalString(data, field, false);
  if (value === undefined) throw new ContentError(`data.${field}`, 'is required');
  return value;
}

function extraOf(data: Record<string, unknown>, known: readonly string[]): Record<string, unknown> | undefined {
  const extra: Record<string, unknown> = {};
  let any = false;
  for (const [field, value] of Object.entries(data)) {
    if (known.includes(field)) continue;
    checkExtraValue(`data.${field}`, value, 0);
    extra[field] = value;
    any = true;
  }
  if (!any) return undefined;
  const size = Buffer.byteLength(JSON.stringify(extra));
  if (size > EXTRA_LIMIT_BYTES)
    throw new ContentError('data', `other fields take ${size} bytes, more than ${EXTRA_LIMIT_BYTES}`);
  return extra;
}

function checkExtraValue(field: string, value: unknown, depth: number): void {
  if (depth > 8) throw new ContentError(field, 'is nested too deeply');
  if (typeof value === 'string' && value.length > STRING_LIMIT) {
    throw new ContentError(field, `must be at most ${STRING_LIMIT} characters (got ${value.length})`);
  }
  if (typeof value === 'number' && !Number.isFinite(value)) throw new ContentError(field, 'must be a finite number');
  if (value !== null && typeof value === 'object') {
    for (const [key, inner] of Object.entries(value)) checkExtraValue(`${field}.${key}`, inner, depth + 1);
  }
}

/** Reads a client's data object for an event of `kind`; throws ContentError naming the field. */
export function readContent(kind: ActivityKind, data: unknown): Content {
  if (data === null || typeof data !== 'object' || Array.isArray(data)) {
    throw new ContentError('data', 'must be an object');
  }
  const d = data as Record<string, unknown>;
  switch (kind) {
    case 'window':
      return {
        app: requiredString(d, 'app'),
        title: optionalString(d, 'title', true),
        url: optionalString(d, 'url', false),
        extra: extraOf(d, ['app', 'title', 'url']),
      };
    case 'web':
      return {
        url: requiredString(d, 'url'),
        title: optionalString(d, 'title', true),
        extra: extraOf(d, ['url', 'title']),
      };
    case 'away': {
      const status = d.status;
      if (status !== 'afk' && status !== 'not-afk') throw new ContentError('data.status', 'must be "afk" or "not-afk"');
      return { away: status === 'afk' };
    }
    case 'other':
      return { extra: extraOf(d, []) };
  }
}

/** The data object clients see for stored content. */
export function contentData(kind: ActivityKind, content: Content): Record<string, unknown> {
  if (kind === 'away') return { status: content.away ? 'afk' : 'not-afk' };
  const data: Record<string, unknown> = {};
  if (content.app !== undefined) data.app = content.app;
  if (content.title !== undefined) data.title = content.title;
  if (content.url !== undefined) data.url = content.url;
  // At the `domain` detail level a site keeps its domain but not its URL.
  if (content.domain !== undefined && content.url === undefined) data.domain = content.domain;
  return { ...content.extra, ...data };
}
