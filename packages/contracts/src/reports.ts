/** Reports on the wire (/api/v1/reports/*, /api/v1/analytic-data). */
import { Type } from 'typebox';

const closed = { additionalProperties: false } as const;
const Date = Type.String({ maxLength: 10, description: 'A local date, YYYY-MM-DD' });
const Zone = Type.String({ minLength: 1, maxLength: 64, description: 'An IANA time zone, e.g. Europe/Paris' });
const Level = Type.Integer({ minimum: -2, maximum: 2 });
const Seconds = Type.Integer({ minimum: 0 });
const Pulse = Type.Union([Type.Integer({ minimum: 0, maximum: 100 }), Type.Null()], {
  description: 'Productivity pulse 0–100 (RescueTime’s formula); null without time',
});
const ByProductivity = Type.Object(
  { '-2': Seconds, '-1': Seconds, '0': Seconds, '1': Seconds, '2': Seconds },
  { ...closed, description: 'Seconds at each productivity level' },
);
const CategoryRef = Type.Union([Type.Object({ id: Type.String(), name: Type.String() }, closed), Type.Null()]);
const Limit = Type.Integer({ minimum: 1, maximum: 1000, default: 10, description: 'Length of the top lists' });

export const SummaryQuery = Type.Object(
  { from: Date, to: Date, tz: Type.Optional(Zone), limit: Type.Optional(Limit) },
  closed,
);

const Named = Type.Object({ name: Type.String(), category: CategoryRef, level: Level, seconds: Seconds }, closed);

export const SummaryResponse = Type.Object(
  {
    range: Type.Object({ from: Type.String(), to: Type.String(), start: Type.String(), end: Type.String() }, closed),
    tz: Type.String(),
    activeSeconds: Seconds,
    awaySeconds: Seconds,
    pulse: Pulse,
    byProductivity: ByProductivity,
    byCategory: Type.Array(
      Type.Object(
        {
          id: Type.Union([Type.String(), Type.Null()], { description: 'null: uncategorised time' }),
          name: Type.String(),
          path: Type.Array(Type.String()),
          level: Level,
          seconds: Seconds,
        },
        closed,
      ),
    ),
    byApp: Type.Array(Named),
    byDomain: Type.Array(Named),
    byDay: Type.Array(Type.Object({ date: Type.String(), activeSeconds: Seconds, pulse: Pulse }, closed)),
    recategorising: Type.Boolean({
      description: 'true while history is being re-categorised after a rules change (categories may lag)',
    }),
  },
  closed,
);

export const TimelineQuery = Type.Object({ date: Date, tz: Type.Optional(Zone) }, closed);

export const TimelineResponse = Type.Object(
  {
    date: Type.String(),
    tz: Type.String(),
    blocks: Type.Array(
      Type.Object(
        {
          start: Type.String(),
          end: Type.String(),
          seconds: Seconds,
          device: Type.String(),
          app: Type.String(),
          title: Type.Union([Type.String(), Type.Null()]),
          domain: Type.Union([Type.String(), Type.Null()]),
          category: CategoryRef,
          level: Level,
        },
        closed,
      ),
    ),
    away: Type.Array(
      Type.Object({ start: Type.String(), end: Type.String(), seconds: Seconds, device: Type.String() }, closed),
    ),
    hours: Type.Array(
      Type.Object(
        { start: Type.String(), label: Type.String(), activeSeconds: Seconds, byProductivity: ByProductivity },
        closed,
      ),
    ),
  },
  closed,
);

export const TrendQuery = Type.Object(
  {
    from: Date,
    to: Date,
    tz: Type.Optional(Zone),
    bucket: Type.Optional(Type.Union([Type.Literal('day'), Type.Literal('week'), Type.Literal('month')])),
    weekStart: Type.Optional(
      Type.Integer({ minimum: 1, maximum: 7, description: '1 = Monday (ISO, default) … 7 = Sunday' }),
    ),
  },
  closed,
);

export const TrendResponse = Type.Object(
  {
    tz: Type.String(),
    bucket: Type.String(),
    series: Type.Array(
      Type.Object(
        {
          period: Type.String({ description: 'The period’s label: its first day, or YYYY-MM for months' }),
          from: Type.String(),
          to: Type.String(),
          activeSeconds: Seconds,
          pulse: Pulse,
          byProductivity: ByProductivity,
        },
        closed,
      ),
    ),
  },
  closed,
);

export const AnalyticQuery = Type.Object(
  {
    perspective: Type.Optional(Type.Union([Type.Literal('rank'), Type.Literal('interval')])),
    resolution_time: Type.Optional(
      Type.Union([
        Type.Literal('month'),
        Type.Literal('week'),
        Type.Literal('day'),
        Type.Literal('hour'),
        Type.Literal('minute'),
      ]),
    ),
    restrict_begin: Date,
    restrict_end: Date,
    restrict_kind: Type.Optional(
      Type.Union([
        Type.Literal('overview'),
        Type.Literal('category'),
        Type.Literal('activity'),
        Type.Literal('productivity'),
      ]),
    ),
    format: Type.Optional(Type.Union([Type.Literal('json'), Type.Literal('csv')])),
    tz: Type.Optional(Zone),
  },
  closed,
);

export const AnalyticResponse = Type.Object(
  {
    notes: Type.String(),
    row_headers: Type.Array(Type.String()),
    rows: Type.Array(Type.Array(Type.Union([Type.String(), Type.Number()]))),
  },
  closed,
);

export const AnalyticCsv = Type.String({ description: 'row_headers, then the rows (RFC 4180)' });
