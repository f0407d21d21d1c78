/**
 * The ActivityWatch-compatible API (/api/0) on the wire: buckets, events,
 * heartbeats, export and import, query2 and settings. Shapes follow
 * ActivityWatch's own servers so unchanged watchers and clients work; errors
 * carry a top-level `message`, which ActivityWatch clients read.
 */
import { Type, type Static } from 'typebox';

const Timestamp = Type.String({
  minLength: 10,
  maxLength: 40,
  description: 'ISO 8601; `Z`, an offset, or none (UTC)',
});
const Data = Type.Unsafe<Record<string, unknown>>(
  Type.Object({}, { additionalProperties: true, description: 'What happened (fields by bucket type)' }),
);

export const AwErrorResponse = Type.Object(
  {
    message: Type.Optional(Type.String({ description: 'What went wrong (ActivityWatch clients read this)' })),
    error: Type.Object({ code: Type.String(), message: Type.String() }),
    requestId: Type.String(),
  },
  { $id: 'AwErrorResponse', additionalProperties: false },
);

/** The error answers of an /api/0 route. */
export const AW_ERROR_RESPONSES = {
  400: AwErrorResponse,
  401: AwErrorResponse,
  403: AwErrorResponse,
  404: AwErrorResponse,
  409: AwErrorResponse,
  413: AwErrorResponse,
  429: AwErrorResponse,
} as const;

export const AwNoContent = Type.Null({ description: 'No content' });
/** An answer without a body (304). */
export const AwEmpty = Type.Unsafe<undefined>({ description: 'No body' });

export const AwBucketParams = Type.Object(
  {
    bucket_id: Type.String({
      minLength: 1,
      maxLength: 128,
      description: "The client's bucket id, e.g. `aw-watcher-window_myhost` (no '/')",
    }),
  },
  { additionalProperties: false },
);
export type AwBucketParams = Static<typeof AwBucketParams>;

export const AwEventParams = Type.Object(
  {
    bucket_id: AwBucketParams.properties.bucket_id,
    event_id: Type.Integer({
      minimum: 1,
      maximum: Number.MAX_SAFE_INTEGER,
      description: 'The integer id the server gave the event',
    }),
  },
  { additionalProperties: false },
);

/** An event as clients send it. */
export const AwEventInput = Type.Object(
  {
    id: Type.Optional(
      Type.Union([Type.Integer({ minimum: 0, maximum: Number.MAX_SAFE_INTEGER }), Type.Null()], {
        description: 'The id of a stored event of this bucket to replace',
      }),
    ),
    timestamp: Timestamp,
    duration: Type.Optional(Type.Number({ minimum: 0, default: 0, description: 'Seconds' })),
    data: Data,
  },
  { additionalProperties: false },
);
export type AwEventInput = Static<typeof AwEventInput>;

/** An event as the server answers it. */
export const AwEvent = Type.Object(
  {
    id: Type.Optional(Type.Integer({ description: 'Absent only for a heartbeat that privacy settings dropped' })),
    timestamp: Type.String({ format: 'date-time' }),
    duration: Type.Number({ description: 'Seconds' }),
    data: Type.Object({}, { additionalProperties: true }),
  },
  { additionalProperties: false },
);

export const AwEvents = Type.Array(AwEvent);

export const AwEventsBody = Type.Union([AwEventInput, Type.Array(AwEventInput, { maxItems: 10_000 })], {
  description: 'One event or a list',
});
export type AwEventsBody = Static<typeof AwEventsBody>;

export const AwEventsQuery = Type.Object(
  {
    start: Type.Optional(Timestamp),
    end: Type.Optional(Timestamp),
    limit: Type.Optional(Type.Integer({ minimum: -1, description: 'At most this many; -1 or absent: all' })),
  },
  { additionalProperties: false },
);

export const AwCountQuery = Type.Object(
  { start: Type.Optional(Timestamp), end: Type.Optional(Timestamp) },
  { additionalProperties: false },
);

export const AwCount = Type.Integer({ description: 'How many events' });

export const AwHeartbeatQuery = Type.Object(
  { pulsetime: Type.Number({ minimum: 0, maximum: 86_400, description: 'Merge window in seconds' }) },
  { additionalProperties: false },
);

export const AwBucketBody = Type.Object(
  {
    client: Type.String({ minLength: 1, maxLength: 128 }),
    type: Type.String({
      minLength: 1,
      maxLength: 128,
      description: '`currentwindow`, `afkstatus`, `web.tab.current`…',
    }),
    hostname: Type.String({ minLength: 1, maxLength: 256, description: '`!local`: the device this token is' }),
    data: Type.Optional(Data),
    // Sent by clients that post a whole bucket (aw-sync, exports); ignored.
    id: Type.Optional(Type.String({ maxLength: 128 })),
    name: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Null()])),
    created: Type.Optional(Type.String({ maxLength: 40 })),
    last_updated: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
  },
  { additionalProperties: false },
);
export type AwBucketBody = Static<typeof AwBucketBody>;

export const AwDeleteBucketQuery = Type.Object(
  { force: Type.Optional(Type.String({ maxLength: 8, description: 'Sent by clients (`1`); not needed' })) },
  { additionalProperties: false },
);

const bucketFields = {
  id: Type.String(),
  created: Type.String({ format: 'date-time' }),
  name: Type.Union([Type.String(), Type.Null()]),
  type: Type.String(),
  client: Type.String(),
  hostname: Type.String(),
  data: Type.Object({}, { additionalProperties: true }),
  last_updated: Type.Optional(Type.String({ format: 'date-time', description: 'End of the latest event' })),
};

export const AwBucket = Type.Object(bucketFields, { additionalProperties: false });

export const AwBuckets = Type.Object({}, { additionalProperties: AwBucket, description: 'Buckets by id' });

export const AwExport = Type.Object(
  {
    buckets: Type.Object(
      {},
      {
        additionalProperties: Type.Object({ ...bucketFields, events: AwEvents }, { additionalProperties: false }),
        description: 'Buckets by id, each with its events (newest first)',
      },
    ),
  },
  { additionalProperties: false },
);

const ImportedBucket = Type.Object(
  {
    id: Type.Optional(Type.String({ maxLength: 128 })),
    created: Type.Optional(Type.String({ maxLength: 40 })),
    name: Type.Optional(Type.Union([Type.String({ maxLength: 256 }), Type.Null()])),
    type: Type.String({ minLength: 1, maxLength: 128 }),
    client: Type.String({ minLength: 1, maxLength: 128 }),
    hostname: Type.String({ minLength: 1, maxLength: 256 }),
    data: Type.Optional(Data),
    last_updated: Type.Optional(Type.Union([Type.String({ maxLength: 40 }), Type.Null()])),
    metadata: Type.Optional(Type.Unknown()),
    events: Type.Optional(Type.Array(AwEventInput)),
  },
  { additionalProperties: false },
);
export type AwImportedBucket = Static<typeof ImportedBucket>;

export const AwImportBody = Type.Object(
  {
    buckets: Type.Unsafe<Record<string, AwImportedBucket>>(
      Type.Object(
        {},
        { additionalProperties: ImportedBucket, description: 'Buckets by id, as GET /api/0/export answers' },
      ),
    ),
  },
  { additionalProperties: false },
);
export type AwImportBody = Static<typeof AwImportBody>;

export const AwImportResponse = Type.Object(
  {
    buckets: Type.Integer({ description: 'Buckets created' }),
    merged: Type.Integer({ description: 'Existing buckets that received events' }),
    events: Type.Integer({ description: 'Events stored' }),
    skipped: Type.Integer({ description: 'Events already there (same timestamp, duration and data)' }),
    dropped: Type.Integer({ description: "Events left out by the person's privacy settings" }),
  },
  { additionalProperties: false },
);

export const AwQueryBody = Type.Object(
  {
    query: Type.Array(Type.String({ maxLength: 100_000 }), {
      minItems: 1,
      maxItems: 10_000,
      description: 'The program, one statement (or line) per item; joined with newlines',
    }),
    timeperiods: Type.Array(Type.String({ minLength: 3, maxLength: 100 }), {
      minItems: 1,
      maxItems: 1000,
      description: '`start/end` in ISO 8601; the program runs once per period',
    }),
  },
  { additionalProperties: false },
);
export type AwQueryBody = Static<typeof AwQueryBody>;

export const AwQueryParams = Type.Object(
  {
    // aw-client sends these; results are never cached here.
    name: Type.Optional(Type.String({ maxLength: 256 })),
    cache: Type.Optional(Type.String({ maxLength: 8 })),
  },
  { additionalProperties: false },
);

export const AwQueryResponse = Type.Array(Type.Unknown(), { description: "One result per period (RETURN's value)" });

export const AwInfo = Type.Object(
  {
    hostname: Type.String({ description: "The server's host name" }),
    version: Type.String(),
    testing: Type.Boolean(),
    device_id: Type.String({ description: 'The device the caller writes as' }),
  },
  { additionalProperties: false },
);

export const AwSettingParams = Type.Object(
  { key: Type.String({ minLength: 1, maxLength: 128 }) },
  { additionalProperties: false },
);

export const AwSettingValue = Type.Unknown({ description: 'Any JSON value (at most 64 KiB)' });

export const AwSettingBody = Type.Object(
  { key: AwSettingParams.properties.key, value: AwSettingValue },
  { additionalProperties: false },
);
export type AwSettingBody = Static<typeof AwSettingBody>;

export const AwSettings = Type.Object({}, { additionalProperties: true, description: 'Every setting, by key' });
