/** Activity on the wire: events, heartbeats, erase and privacy settings (the native API, /api/v1). */
import { Type, type Static } from 'typebox';

const Kind = Type.Union([Type.Literal('window'), Type.Literal('web'), Type.Literal('away')], {
  description: '`window` (data: app, title), `web` (url, title, audible, incognito) or `away` (status)',
});
const Timestamp = Type.String({
  minLength: 10,
  maxLength: 40,
  description: 'ISO 8601; `Z`, an offset, or none (UTC)',
});
const Seconds = Type.Number({ minimum: 0, description: 'Seconds' });
const Data = Type.Object({}, { additionalProperties: true, description: 'What happened (fields by kind)' });

const EventBucket = Type.Object(
  {
    id: Type.String({
      minLength: 1,
      maxLength: 128,
      description: 'The ActivityWatch bucket id, e.g. `aw-watcher-web-firefox_host`',
    }),
    type: Type.String({
      minLength: 1,
      maxLength: 128,
      description: "Its ActivityWatch type; must map to the event's kind",
    }),
    client: Type.String({ minLength: 1, maxLength: 128 }),
    hostname: Type.String({ minLength: 1, maxLength: 256 }),
  },
  {
    additionalProperties: false,
    description: "The bucket the event belongs to (created on first use); absent: the device's own bucket of its kind",
  },
);

export const EventBody = Type.Object(
  {
    id: Type.String({ maxLength: 36, description: 'A UUID made by the client: posting it again replaces the event' }),
    kind: Kind,
    start: Timestamp,
    duration: Seconds,
    data: Data,
    bucket: Type.Optional(EventBucket),
  },
  { additionalProperties: false },
);

export const EventsBatchBody = Type.Object(
  { events: Type.Array(EventBody, { maxItems: 10_000 }) },
  { additionalProperties: false },
);
export type EventsBatchBody = Static<typeof EventsBatchBody>;

export const BatchResponse = Type.Object(
  {
    accepted: Type.Integer({ description: 'New events stored' }),
    replaced: Type.Integer({ description: 'Events that replaced a stored one with the same id' }),
    dropped: Type.Integer({ description: "Events left out by the person's privacy settings" }),
  },
  { additionalProperties: false },
);

export const HeartbeatBody = Type.Object(
  { kind: Kind, start: Timestamp, duration: Type.Optional(Seconds), data: Data },
  { additionalProperties: false },
);
export type HeartbeatBody = Static<typeof HeartbeatBody>;

export const HeartbeatQuery = Type.Object(
  { pulsetime: Type.Number({ minimum: 0, maximum: 86_400, description: 'Merge window in seconds' }) },
  { additionalProperties: false },
);

export const EventView = Type.Object(
  {
    id: Type.String(),
    kind: Type.String(),
    device: Type.String(),
    start: Type.String({ format: 'date-time' }),
    duration: Type.Number(),
    data: Type.Object({}, { additionalProperties: true }),
  },
  { additionalProperties: false },
);

export const HeartbeatResponse = Type.Object(
  {
    event: Type.Union([EventView, Type.Null()], { description: 'null when privacy settings dropped it' }),
    merged: Type.Boolean({ description: 'true when it extended the last event' }),
  },
  { additionalProperties: false },
);

export const EventsQuery = Type.Object(
  {
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
    kind: Type.Optional(Kind),
    limit: Type.Optional(Type.Integer({ minimum: 1, maximum: 10_000, default: 1000 })),
  },
  { additionalProperties: false },
);
export type EventsQuery = Static<typeof EventsQuery>;

export const EventsResponse = Type.Object({ events: Type.Array(EventView) }, { additionalProperties: false });

export const EraseBody = Type.Object(
  {
    all: Type.Optional(Type.Literal(true)),
    app: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
    domain: Type.Optional(Type.String({ minLength: 1, maxLength: 2048 })),
    from: Type.Optional(Timestamp),
    to: Type.Optional(Timestamp),
  },
  { additionalProperties: false, description: 'Exactly one of: all, app, domain, or from and to' },
);
export type EraseBody = Static<typeof EraseBody>;

export const EraseResponse = Type.Object(
  { erased: Type.Integer({ description: 'Events removed or cut' }) },
  { additionalProperties: false },
);

const IgnoreRule = Type.Object(
  {
    field: Type.Union([Type.Literal('app'), Type.Literal('title'), Type.Literal('domain'), Type.Literal('url')]),
    match: Type.Union([Type.Literal('exact'), Type.Literal('glob'), Type.Literal('regex')]),
    pattern: Type.String({ minLength: 1, maxLength: 500 }),
  },
  { additionalProperties: false },
);

const Clock = (description: string) =>
  Type.String({
    pattern: '^([01][0-9]|2[0-3]):[0-5][0-9]$',
    description: `${description}, local time HH:MM (24-hour)`,
  });

export const WorkingHours = Type.Object(
  {
    days: Type.Array(Type.Integer({ minimum: 1, maximum: 7 }), {
      minItems: 1,
      maxItems: 7,
      uniqueItems: true,
      description: 'Weekdays on which a working period starts: 1 = Monday … 7 = Sunday',
    }),
    start: Clock('Start'),
    end: Clock('End; at or before the start means the next day (22:00–06:00), equal to it a whole day'),
    timeZone: Type.String({ minLength: 1, maxLength: 64, description: 'IANA time zone, e.g. Europe/Berlin' }),
  },
  { additionalProperties: false },
);
export type WorkingHours = Static<typeof WorkingHours>;

const privacyFields = {
  detail: Type.Union([Type.Literal('app'), Type.Literal('domain'), Type.Literal('full')], {
    description: '`app`: no titles or URLs; `domain`: domains but no paths or titles; `full`: everything',
  }),
  ignore: Type.Array(IgnoreRule, { maxItems: 200, description: 'Activity matching any rule is never stored' }),
  paused: Type.Boolean({ description: 'While paused nothing is stored' }),
  retentionDays: Type.Union([Type.Integer({ minimum: 1, maximum: 36_500 }), Type.Null()], {
    description: 'Activity older than this is deleted (nightly); null keeps it',
  }),
};
const workingHoursField = Type.Union([WorkingHours, Type.Null()], {
  description: 'Only activity inside these hours is stored (cut at their edges); null: always',
});

/** The settings as sent: `workingHours` may be left out (older clients), which means null. */
export const PrivacySettingsBody = Type.Object(
  { ...privacyFields, workingHours: Type.Optional(workingHoursField) },
  { additionalProperties: false },
);
export type PrivacySettingsBody = Static<typeof PrivacySettingsBody>;

/** The settings as answered: every field present. */
export const PrivacySettingsView = Type.Object(
  { ...privacyFields, workingHours: workingHoursField },
  { additionalProperties: false },
);
export type PrivacySettingsView = Static<typeof PrivacySettingsView>;
