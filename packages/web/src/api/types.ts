/**
 * Wire types of the server, inferred from the TypeBox schemas in
 * `@sundial/contracts`. Imported as types only: no schema code reaches the
 * bundle, yet a change to a schema breaks the dashboard's typecheck.
 */
import type { Static } from 'typebox';
import type * as C from '@sundial/contracts';

export type Me = Static<typeof C.MeResponse>;
export type SignupBody = Static<typeof C.SignupBody>;
export type LoginBody = Static<typeof C.LoginBody>;
export type Accepted = Static<typeof C.AcceptedResponse>;
export type PasskeyOptions = Static<typeof C.PasskeyOptionsResponse>;
export type PasskeyLoginBody = Static<typeof C.PasskeyLoginBody>;
export type ResetConfirmBody = Static<typeof C.ResetConfirmBody>;

export type SummaryQuery = Static<typeof C.SummaryQuery>;
export type Summary = Static<typeof C.SummaryResponse>;
export type TimelineQuery = Static<typeof C.TimelineQuery>;
export type Timeline = Static<typeof C.TimelineResponse>;
export type TrendQuery = Static<typeof C.TrendQuery>;
export type Trend = Static<typeof C.TrendResponse>;

/** Productivity levels, very distracting (−2) to very productive (+2). */
export type Level = -2 | -1 | 0 | 1 | 2;

export type AnalyticQuery = Static<typeof C.AnalyticQuery>;
export type Analytic = Static<typeof C.AnalyticResponse>;
