/** Goals and alerts on the wire (/api/v1/alerts). */
import { Type, type Static } from 'typebox';

const Weekday = Type.Enum(['mon', 'tue', 'wed', 'thu', 'fri', 'sat', 'sun'], { description: 'A weekday' });
const Level = Type.Integer({ minimum: -2, maximum: 2, description: 'Productivity level −2..2' });

const CategoryTarget = Type.Object(
  {
    kind: Type.Literal('category'),
    categoryId: Type.String({
      minLength: 1,
      maxLength: 100,
      description: 'A category of mine (default or own); time in its subcategories counts too',
    }),
  },
  { additionalProperties: false },
);
const LevelTarget = Type.Object(
  {
    kind: Type.Literal('level'),
    op: Type.Union([Type.Literal('>='), Type.Literal('<=')]),
    level: Level,
  },
  { additionalProperties: false, description: 'Time whose productivity level is ≥ or ≤ `level` (uncategorised: 0)' },
);
const AppTarget = Type.Object(
  {
    kind: Type.Literal('app'),
    name: Type.String({ minLength: 1, maxLength: 500, description: 'The app name exactly as recorded' }),
  },
  { additionalProperties: false },
);
const DomainTarget = Type.Object(
  {
    kind: Type.Literal('domain'),
    name: Type.String({ minLength: 1, maxLength: 500, description: 'A site such as youtube.com ("www." is dropped)' }),
  },
  { additionalProperties: false },
);

const Target = Type.Union([CategoryTarget, LevelTarget, AppTarget, DomainTarget], {
  description: 'What time counts: a category, a productivity level, an app or a site',
});

/**
 * The target as a request gives it: one object with the fields of every
 * kind, each checked here, so a mistake is reported as one plain message
 * (a union's schema would report a failure against every one of its
 * branches); which fields a kind needs is checked by the server.
 */
const TargetInput = Type.Object(
  {
    kind: Type.Enum(['category', 'level', 'app', 'domain']),
    categoryId: Type.Optional(CategoryTarget.properties.categoryId),
    op: Type.Optional(LevelTarget.properties.op),
    level: Type.Optional(Level),
    name: Type.Optional(
      Type.String({
        minLength: 1,
        maxLength: 500,
        description: 'app: the app name exactly as recorded; domain: a site such as youtube.com',
      }),
    ),
  },
  {
    additionalProperties: false,
    description:
      'One of {kind: "category", categoryId}, {kind: "level", op: ">=" | "<=", level}, {kind: "app", name}, ' +
      '{kind: "domain", name}',
  },
);

export const AlertBody = Type.Object(
  {
    name: Type.String({ minLength: 1, maxLength: 100 }),
    target: TargetInput,
    comparison: Type.Union([Type.Literal('more-than'), Type.Literal('at-least')], {
      description: '`more-than`: strictly over the minutes; `at-least`: at the minutes or over',
    }),
    minutes: Type.Integer({ minimum: 1, maximum: 1440, description: 'Active minutes today' }),
    days: Type.Array(Weekday, { minItems: 1, maxItems: 7, description: 'The weekdays the alert applies on' }),
    timeZone: Type.String({
      minLength: 1,
      maxLength: 64,
      description: 'IANA time zone of "today", e.g. Europe/Berlin',
    }),
    enabled: Type.Optional(Type.Boolean({ default: true })),
  },
  { additionalProperties: false },
);
export type AlertBody = Static<typeof AlertBody>;

export const AlertIdParams = Type.Object(
  { id: Type.String({ minLength: 1, maxLength: 100 }) },
  { additionalProperties: false },
);
export type AlertIdParams = Static<typeof AlertIdParams>;

export const AlertView = Type.Object(
  {
    id: Type.String(),
    name: Type.String(),
    target: Target,
    comparison: Type.String(),
    minutes: Type.Integer(),
    days: Type.Array(Type.String()),
    timeZone: Type.String(),
    enabled: Type.Boolean(),
  },
  { additionalProperties: false },
);

export const AlertsResponse = Type.Object({ alerts: Type.Array(AlertView) }, { additionalProperties: false });

export const AlertStatusQuery = Type.Object(
  {
    since: Type.String({
      minLength: 10,
      maxLength: 40,
      description: 'ISO 8601: firings at or after this instant (`Z`, an offset, or none for UTC)',
    }),
  },
  { additionalProperties: false },
);
export type AlertStatusQuery = Static<typeof AlertStatusQuery>;

export const FiringView = Type.Object(
  {
    alertId: Type.String(),
    name: Type.String({ description: "The alert's name" }),
    day: Type.String({ description: "The local date (YYYY-MM-DD) in the alert's time zone" }),
    firedAt: Type.String({ format: 'date-time' }),
    seconds: Type.Integer({ description: 'Active seconds observed today when it fired' }),
  },
  { additionalProperties: false },
);

export const AlertStatusResponse = Type.Object(
  { firings: Type.Array(FiringView, { description: 'Oldest first; at most 1000' }) },
  { additionalProperties: false },
);

export const AlertStream = Type.String({
  description:
    'text/event-stream: an `event: firing` whose `data` is a firing (as in /api/v1/alerts/status) each time ' +
    'an alert fires in this server process, and a `: heartbeat` comment about every 25 s',
});
