/**
 * A person's whole data as one document (GET /api/v1/export, POST
 * /api/v1/import; docs/export.md). Events carry their stored fields (app,
 * title, url, domain, away, extra) rather than the API's `data` object:
 * `data` merges `extra` into the named fields, and an import must put each
 * value back where it was stored.
 */
import { Type, type Static } from 'typebox';
import { WorkingHours } from './activity.js';

export const EXPORT_FORMAT = 'sundial-export';
export const EXPORT_VERSION = 1;

const Instant = Type.String({ format: 'date-time', maxLength: 40, description: 'ISO 8601, UTC' });
const Kind = Type.Union([Type.Literal('window'), Type.Literal('web'), Type.Literal('away'), Type.Literal('other')]);
const Field = Type.Union([Type.Literal('app'), Type.Literal('title'), Type.Literal('domain'), Type.Literal('url')]);
const Match = Type.Union([Type.Literal('exact'), Type.Literal('glob'), Type.Literal('regex')]);
const Level = Type.Integer({ minimum: -2, maximum: 2 });
const Text = (maxLength: number) => Type.String({ maxLength });
const Json = Type.Unsafe<Record<string, unknown>>(Type.Object({}, { additionalProperties: true }));

export const ExportQuery = Type.Object(
  {
    format: Type.Union([Type.Literal('json'), Type.Literal('csv')], {
      default: 'json',
      description: '`json`: everything, as one document; `csv`: the events only',
    }),
  },
  { additionalProperties: false },
);
export type ExportQuery = Static<typeof ExportQuery>;

/** Who exported: never a secret (no password hash, TOTP secret, token or session). */
const ExportProfile = Type.Object(
  {
    id: Type.String(),
    email: Type.String(),
    displayName: Type.Union([Type.String(), Type.Null()]),
    role: Type.Union([Type.Literal('member'), Type.Literal('admin')]),
    mfa: Type.Object({ totp: Type.Boolean() }, { additionalProperties: false }),
    createdAt: Instant,
  },
  { additionalProperties: false, description: "The exporting account's; an import leaves the importing account's" },
);

const ExportSettings = Type.Object(
  {
    privacy: Type.Object(
      {
        detail: Type.Union([Type.Literal('app'), Type.Literal('domain'), Type.Literal('full')]),
        ignore: Type.Array(
          Type.Object({ field: Field, match: Match, pattern: Text(500) }, { additionalProperties: false }),
          { maxItems: 200 },
        ),
        paused: Type.Boolean(),
        retentionDays: Type.Union([Type.Integer({ minimum: 1, maximum: 36_500 }), Type.Null()]),
        // Optional: documents exported before working hours existed have none.
        workingHours: Type.Optional(Type.Union([WorkingHours, Type.Null()])),
      },
      { additionalProperties: false },
    ),
    activitywatch: Type.Unsafe<Record<string, unknown>>(
      Type.Object(
        {},
        { additionalProperties: true, description: "The ActivityWatch API's settings (key → JSON value)" },
      ),
    ),
  },
  { additionalProperties: false },
);

const ExportCategory = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100 }),
    parentId: Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()]),
    name: Type.String({ minLength: 1, maxLength: 100 }),
    level: Level,
    color: Text(7),
  },
  { additionalProperties: false },
);

const ExportCategories = Type.Object(
  {
    customised: Type.Boolean({ description: 'false: the default tree (the import keeps the defaults)' }),
    tree: Type.Array(ExportCategory, { maxItems: 500, description: 'Parents before children' }),
  },
  { additionalProperties: false },
);

const ExportRule = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 200 }),
    field: Field,
    match: Match,
    pattern: Type.String({ minLength: 1, maxLength: 500 }),
    categoryId: Type.Union([Type.String({ minLength: 1, maxLength: 100 }), Type.Null()]),
    level: Type.Union([Level, Type.Null()]),
  },
  { additionalProperties: false },
);

const ExportDevice = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 100 }),
    name: Text(200),
    platform: Text(100),
    createdAt: Instant,
    lastSeenAt: Type.Union([Instant, Type.Null()]),
  },
  { additionalProperties: false },
);

const ExportBucket = Type.Object(
  {
    key: Type.String({ minLength: 1, maxLength: 128, description: "The client's name for it; events refer to it" }),
    device: Type.String({ minLength: 1, maxLength: 100 }),
    kind: Kind,
    type: Type.String({ minLength: 1, maxLength: 128 }),
    client: Type.String({ minLength: 1, maxLength: 128 }),
    hostname: Type.String({ minLength: 1, maxLength: 256 }),
    data: Json,
    createdAt: Instant,
    lastUpdatedAt: Type.Union([Instant, Type.Null()]),
  },
  { additionalProperties: false },
);

export const ExportEvent = Type.Object(
  {
    id: Type.String({ minLength: 1, maxLength: 36, description: "The event's UUID" }),
    device: Type.String({ minLength: 1, maxLength: 100 }),
    bucket: Type.String({ minLength: 1, maxLength: 128, description: "Its bucket's key" }),
    kind: Kind,
    start: Instant,
    end: Instant,
    app: Type.Optional(Text(2048)),
    title: Type.Optional(Text(2048)),
    url: Type.Optional(Text(2048)),
    domain: Type.Optional(Text(2048)),
    away: Type.Optional(Type.Boolean({ description: 'away events: true when the person was away' })),
    extra: Type.Optional(Json),
  },
  { additionalProperties: false },
);
export type ExportEvent = Static<typeof ExportEvent>;

export const ExportDocument = Type.Object(
  {
    format: Type.Literal(EXPORT_FORMAT),
    version: Type.Literal(EXPORT_VERSION),
    exportedAt: Instant,
    profile: ExportProfile,
    settings: ExportSettings,
    categories: ExportCategories,
    rules: Type.Array(ExportRule, { maxItems: 5000, description: 'My own rules (the default rules are built in)' }),
    devices: Type.Array(ExportDevice, { maxItems: 10_000 }),
    buckets: Type.Array(ExportBucket, { maxItems: 10_000 }),
    // Sections of later features go here, before `events`, as Type.Optional so
    // older exports still import; alerts will add `alerts: Type.Optional(…)`.
    events: Type.Array(ExportEvent, { description: 'Oldest first (by start, then id)' }),
  },
  { additionalProperties: false },
);
export type ExportDocument = Static<typeof ExportDocument>;

export const ImportResponse = Type.Object(
  {
    devices: Type.Integer(),
    buckets: Type.Integer(),
    categories: Type.Integer({ description: 'Categories in the imported tree (0: the default tree was kept)' }),
    rules: Type.Integer(),
    settings: Type.Integer({ description: 'ActivityWatch settings' }),
    events: Type.Integer(),
  },
  { additionalProperties: false },
);
export type ImportResponse = Static<typeof ImportResponse>;

/** The CSV form of the export. */
export const ExportCsv = Type.String({
  description:
    'A header row, then one event a row: id, device, bucket, kind, start, end, duration_seconds, app, title, domain, url, away',
});
